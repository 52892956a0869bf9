using System.Text.Json.Nodes;
using Linkerd2Gen.Inject;
using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Write;
using Linkerd2Gen.Yaml;
using Linkerd2Gen.Kubernetes;

namespace Linkerd2Gen.Tests.Inject;

/// <summary>The official Emissary install through `inject`, and the same gateway meshed by a rendered bundle.</summary>
public class EmissaryInstallTests
{
    private static (string Out, string Err) InjectInstall(params string[] flags)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, Linkerd2Gen.Cli.Cli.Run(["inject", .. flags, Repo.EmissaryInstall], TextReader.Null, stdout, stderr));
        return (stdout.ToString(), stderr.ToString());
    }

    [ConformanceFact]
    public void Injecting_the_install_changes_nothing_but_the_deployments_pod_template_annotations()
    {
        var input = YamlDocuments.Split(File.ReadAllText(Repo.EmissaryInstall)).ToList();
        var (stdout, stderr) = InjectInstall();
        var output = YamlDocuments.Split(stdout).ToList();
        Assert.Equal(input.Count, output.Count);
        for (var i = 0; i < input.Count; i++)
        {
            if (input[i].Contains("kind: Deployment\n", StringComparison.Ordinal)) continue;
            Assert.Equal(input[i], output[i]); // every other document, byte for byte (Services re-serialised identically)
        }

        var before = GoYaml.Read(input.Single(d => d.Contains("kind: Deployment\n", StringComparison.Ordinal)))!.AsObject();
        var after = GoYaml.Read(output.Single(d => d.Contains("kind: Deployment\n", StringComparison.Ordinal)))!.AsObject();
        var changes = Differences(before, after, "").Order(StringComparer.Ordinal).ToList();
        // The one change inject makes, plus what re-serialising through the Go types does (and the real linkerd does
        // too): a false omitempty bool and an empty omitempty list vanish, and a bare 1 becomes the quantity "1".
        Assert.Equal(
        [
            "+/spec/template/metadata/annotations/linkerd.io~1inject = \"enabled\"",
            "-/spec/template/spec/hostNetwork = false",
            "-/spec/template/spec/imagePullSecrets = []",
            "~/spec/template/spec/containers/0/resources/limits/cpu = 1 -> \"1\"",
        ], changes);
        Assert.EndsWith("deployment \"emissary-ingress\" injected\nmodule \"ambassador\" skipped\nrole \"emissary-ingress-apiext\" skipped\nrolebinding \"emissary-ingress-apiext\" skipped\n\n", stderr);
    }

    [KubectlFact(needsConformance: true)]
    public void A_rendered_bundle_meshes_the_gateway_exactly_as_inject_with_the_same_flags()
    {
        // The bundle's patch Component over the install, built by Kustomize…
        using var dir = new TempDir();
        BundleWriter.Write(Examples.Qotm, dir.Combine("out"), new Diagnostics.DiagnosticBag());
        dir.Write("gateway/install.yaml", File.ReadAllText(Repo.EmissaryInstall));
        dir.Write("gateway/kustomization.yaml", "resources:\n- install.yaml\ncomponents:\n- ../out/qotm/patches\n");
        var (code, built, error) = Kubectl.Kustomize(dir.Combine("gateway"));
        Assert.True(code == 0, error);
        var viaBundle = ReadBack.Object(ReadBack.Documents(built), "Deployment", "emissary-ingress").At("spec", "template", "metadata", "annotations")!;

        // …and `inject --skip-inbound-ports 8080,8443` of the same install.
        var (stdout, _) = InjectInstall("--skip-inbound-ports", "8080,8443");
        var deployment = YamlDocuments.Split(stdout).Single(d => d.Contains("kind: Deployment\n", StringComparison.Ordinal));
        var viaInject = GoYaml.Read(deployment)!["spec"]!["template"]!["metadata"]!["annotations"]!.AsObject();

        Assert.Equal(
            viaInject.ToDictionary(kv => kv.Key, kv => kv.Value!.ToString()),
            ((YamlDotNet.RepresentationModel.YamlMappingNode)viaBundle).Children.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString()));
    }

    private static IEnumerable<string> Differences(JsonNode? a, JsonNode? b, string path)
    {
        if (a is JsonObject ao && b is JsonObject bo)
        {
            foreach (var key in ao.Select(p => p.Key).Union(bo.Select(p => p.Key)))
            {
                var child = path + "/" + key.Replace("~", "~0").Replace("/", "~1");
                if (!bo.ContainsKey(key)) yield return $"-{child} = {ao[key]?.ToJsonString()}";
                else if (!ao.ContainsKey(key)) yield return $"+{child} = {bo[key]?.ToJsonString()}";
                else foreach (var d in Differences(ao[key], bo[key], child)) yield return d;
            }
        }
        else if (a is JsonArray aa && b is JsonArray ba && aa.Count == ba.Count)
        {
            for (var i = 0; i < aa.Count; i++) foreach (var d in Differences(aa[i], ba[i], $"{path}/{i}")) yield return d;
        }
        else if (a?.ToJsonString() != b?.ToJsonString())
        {
            yield return $"~{path} = {a?.ToJsonString()} -> {b?.ToJsonString()}";
        }
    }
}
