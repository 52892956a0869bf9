using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Tests.Conformance;
using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Write;
using YamlDotNet.RepresentationModel;

namespace Linkerd2Gen.Tests.Multicluster;

/// <summary>The multicluster examples through the official schemas and the real Kustomize, over the official Emissary install.</summary>
public class GatewayPatchConformanceTests
{
    private static IReadOnlyList<Render.Bundle> Bundles => Examples.Render("multicluster/east.yaml", "multicluster/west.yaml");

    private static Render.Bundle East => Bundles.Single(b => b.Cluster == "east");

    [ConformanceFact]
    public void Every_object_of_both_clusters_is_schema_valid()
    {
        foreach (var bundle in Bundles)
        {
            foreach (var obj in Examples.Objects(bundle))
            {
                var errors = OfficialSchemas.Errors(obj);
                Assert.True(errors.Count == 0, $"{bundle.Cluster}: {obj.Str("kind")} {obj.Str("metadata", "name")}:\n{string.Join("\n", errors)}");
            }
        }
    }

    [KubectlFact(needsConformance: true)]
    public void Over_the_official_install_the_gateway_service_and_deployment_come_out_exactly_right()
    {
        var (code, stdout, stderr) = BuildInstall(File.ReadAllText(Repo.EmissaryInstall));
        Assert.True(code == 0, stderr);
        var docs = ReadBack.Documents(stdout);

        var service = ReadBack.Object(docs, "Service", "emissary-ingress");
        var ports = ((YamlSequenceNode)service.At("spec", "ports")!).Select(p => ReadBack.ToJson(p)).ToList();
        Assert.Equal(
        [
            """{"name":"mc-probe","port":80,"targetPort":8080}""",
            """{"name":"https","port":443,"targetPort":8443}""",
            """{"name":"mc-gateway","port":4143}""",
        ], ports);
        var annotations = ((YamlMappingNode)service.At("metadata", "annotations")!).Children.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString());
        Assert.Equal("emissary-ingress.emissary.serviceaccount.identity.linkerd.cluster.local", annotations["mirror.linkerd.io/gateway-identity"]);
        Assert.Equal("/-/ambassador/ready", annotations["mirror.linkerd.io/probe-path"]);
        Assert.Equal("3", annotations["mirror.linkerd.io/probe-period"]);
        Assert.False(annotations.ContainsKey("mirror.linkerd.io/multicluster-gateway")); // 2.18 reads it nowhere
        Assert.Equal("Ambassador Labs", annotations["a8r.io/owner"]); // the install's own annotations are kept
        Assert.Equal(11, annotations.Count);

        var deployment = ReadBack.Object(docs, "Deployment", "emissary-ingress");
        Assert.Equal("true", deployment.Str("spec", "template", "metadata", "annotations", "config.linkerd.io/enable-gateway"));
        Assert.Equal("4143", deployment.Str("spec", "template", "metadata", "annotations", "config.linkerd.io/proxy-require-identity-inbound-ports"));
        Assert.Equal("enabled", deployment.Str("spec", "template", "metadata", "annotations", "linkerd.io/inject"));
        Assert.Equal("false", deployment.Str("spec", "template", "metadata", "annotations", "sidecar.istio.io/inject"));

        // The probe Mapping's prefix is the probe-path annotation, one value.
        var probe = ReadBack.Object(ReadBack.Documents(East.Files["gateway/mappings.yaml"]), "Mapping", "linkerd-gateway-probe");
        Assert.Equal(annotations["mirror.linkerd.io/probe-path"], probe.Str("spec", "prefix"));
    }

    [KubectlFact(needsConformance: true)]
    public void Over_a_service_whose_ports_are_in_another_order_the_patch_fails_instead_of_clobbering()
    {
        var swapped = File.ReadAllText(Repo.EmissaryInstall).Replace(
            "  - name: http\n    port: 80\n    targetPort: 8080\n  - name: https\n    port: 443\n    targetPort: 8443\n",
            "  - name: https\n    port: 443\n    targetPort: 8443\n  - name: http\n    port: 80\n    targetPort: 8080\n");
        Assert.NotEqual(File.ReadAllText(Repo.EmissaryInstall), swapped);
        var (code, _, stderr) = BuildInstall(swapped);
        Assert.NotEqual(0, code);
        Assert.Contains("test", stderr);
    }

    [ConformanceFact]
    public void A_gateway_base_of_another_shape_is_caught_before_anything_is_written()
    {
        using var dir = new TempDir();
        dir.Write("gateway/install.yaml", File.ReadAllText(Repo.EmissaryInstall).Replace("  - name: http\n    port: 80\n", "  - name: web\n    port: 80\n"));
        dir.Write("gateway/kustomization.yaml", "resources:\n- install.yaml\n");
        var east = File.ReadAllText(Path.Combine(Repo.Root, "examples", "multicluster", "east.yaml")).Replace("  flavor: emissary\n", "  flavor: emissary\n  base: gateway\n");
        var mesh = dir.Write("east.yaml", east);
        var result = Compiler.Compile([mesh]);
        var d = Assert.Single(result.Diagnostics, x => x.IsError);
        Assert.Equal("L2G0220", d.Code);
        Assert.Contains("gateway-service.json", d.Message);
        Assert.Empty(result.Bundles);
    }

    private static (int, string, string) BuildInstall(string install)
    {
        using var dir = new TempDir();
        BundleWriter.Write(East, dir.Combine("out"), new Diagnostics.DiagnosticBag());
        dir.Write("gateway/install.yaml", install);
        dir.Write("gateway/kustomization.yaml", "resources:\n- install.yaml\ncomponents:\n- ../out/east/patches\n");
        return Kubectl.Kustomize(dir.Combine("gateway"));
    }
}
