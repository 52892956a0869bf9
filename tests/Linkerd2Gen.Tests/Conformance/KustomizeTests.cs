using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Write;
using YamlDotNet.RepresentationModel;

namespace Linkerd2Gen.Tests.Conformance;

/// <summary>The bundles through the real Kustomize (kubectl kustomize), the way users consume them.</summary>
public class KustomizeTests
{
    [KubectlFact]
    public void The_qotm_bundle_builds()
    {
        using var dir = new TempDir();
        BundleWriter.Write(Examples.Qotm, dir.Path, new Diagnostics.DiagnosticBag());
        var (code, stdout, stderr) = Kubectl.Kustomize(Path.Combine(dir.Path, "qotm"));
        Assert.True(code == 0, stderr);
        var kinds = ReadBack.Documents(stdout).Select(d => $"{d.Str("kind")}/{d.Str("metadata", "name")}").Order(StringComparer.Ordinal);
        Assert.Equal(["Deployment/qotm", "Listener/emissary-ingress-http-listener", "Listener/emissary-ingress-https-listener", "Mapping/linkerd2-qotm", "Namespace/default", "Service/qotm-linkerd2", "ServiceAccount/qotm"], kinds);
    }

    [KubectlFact(needsConformance: true)]
    public void The_component_meshes_the_official_emissary_install_and_changes_nothing_else()
    {
        var (before, after) = BuildGateway(Examples.Qotm);
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            var name = $"{before[i].Str("kind")}/{before[i].Str("metadata", "name")}";
            if (name == "Deployment/emissary-ingress") continue;
            Assert.True(ReadBack.ToJson(before[i]) == ReadBack.ToJson(after[i]), $"{name} changed");
        }

        var deployment = ReadBack.Object(after, "Deployment", "emissary-ingress");
        var annotations = (YamlMappingNode)deployment.At("spec", "template", "metadata", "annotations")!;
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["config.linkerd.io/skip-inbound-ports"] = "8080,8443",
                ["consul.hashicorp.com/connect-inject"] = "false",
                ["linkerd.io/inject"] = "enabled",
                ["sidecar.istio.io/inject"] = "false",
            },
            annotations.Children.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString()));

        // Only the pod template's annotations differ: the rest of the Deployment is as installed.
        var original = ReadBack.Object(before, "Deployment", "emissary-ingress");
        ((YamlMappingNode)original.At("spec", "template", "metadata")!).Children.Remove(new YamlScalarNode("annotations"));
        ((YamlMappingNode)deployment.At("spec", "template", "metadata")!).Children.Remove(new YamlScalarNode("annotations"));
        Assert.Equal(ReadBack.ToJson(original), ReadBack.ToJson(deployment));
    }

    [KubectlFact(needsConformance: true)]
    public void The_module_patch_sets_linkerd_headers_on_the_installed_ambassador_module()
    {
        var result = Mesh.Compile(FullMesh.Text);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var (_, after) = BuildGateway(result.Bundles.Single(), exclude: "export-");
        var module = ReadBack.Object(after, "Module", "ambassador");
        Assert.Equal("true", module.Str("spec", "config", "add_linkerd_headers"));
        Assert.Equal("false", module.Str("spec", "config", "diagnostics", "enabled")); // kept
        var deployment = ReadBack.Object(after, "Deployment", "emissary-ingress");
        Assert.Equal("100m", deployment.Str("spec", "template", "metadata", "annotations", "config.linkerd.io/proxy-cpu-request"));
        Assert.Equal("warn,linkerd=info", deployment.Str("spec", "template", "metadata", "annotations", "config.linkerd.io/proxy-log-level"));
    }

    [KubectlFact]
    public void A_full_featured_bundle_builds()
    {
        var result = Mesh.Compile(FullMesh.Text);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        using var dir = new TempDir();
        BundleWriter.Write(result.Bundles.Single(), dir.Path, new Diagnostics.DiagnosticBag());
        var (code, stdout, stderr) = Kubectl.Kustomize(Path.Combine(dir.Path, "full"));
        Assert.True(code == 0, stderr);
        var docs = ReadBack.Documents(stdout);
        Assert.DoesNotContain(docs, d => d.Str("kind") == "Namespace" && d.Str("metadata", "name") == "empty");
        Assert.Equal(2, docs.Count(d => d.Str("kind") == "Host"));
    }

    [KubectlFact]
    public void A_bundle_of_workloads_as_teams_write_them_builds()
    {
        var mesh = Path.Combine(Repo.Root, "tests", "baselines", "workloads-as-teams-write-them", "mesh.yaml");
        var result = Linkerd2Gen.Pipeline.Compiler.Compile([mesh]);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        using var dir = new TempDir();
        BundleWriter.Write(result.Bundles.Single(), dir.Path, new Diagnostics.DiagnosticBag());
        var (code, stdout, stderr) = Kubectl.Kustomize(Path.Combine(dir.Path, "test"));
        Assert.True(code == 0, stderr);
        var kinds = ReadBack.Documents(stdout).Select(d => $"{d.Str("kind")}/{d.Str("metadata", "name")}").Order(StringComparer.Ordinal).ToList();
        Assert.Contains("StatefulSet/db", kinds);
        Assert.Contains("Service/db-headless", kinds);
        Assert.Contains("DaemonSet/node-agent", kinds);
        Assert.DoesNotContain("Service/vote-bot", kinds); // no ports, no Service
        Assert.DoesNotContain("ServiceAccount/node-agent", kinds); // it exists already
    }

    [KubectlFact]
    public void Existing_objects_of_any_shape_take_their_patches()
    {
        // The team's own kustomization: a Namespace and a Service without labels or annotations maps.
        var result = Mesh.Compile(Mesh.Header + "namespaces:\n  - name: shop\n    create: false\n    inject: enabled\n    proxy: {cpuRequest: 100m}\n"
            + "    services:\n      - {name: legacy, existing: true, ports: [{servicePort: 8080}], export: true}\nmulticluster:\n  role: target\n");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        using var dir = new TempDir();
        BundleWriter.Write(result.Bundles.Single(), dir.Combine("bundle"), new Diagnostics.DiagnosticBag());
        dir.Write("app/objects.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: legacy\n  namespace: shop\nspec:\n  ports:\n  - port: 8080\n");
        dir.Write("app/kustomization.yaml", "resources:\n- objects.yaml\ncomponents:\n- ../bundle/test/existing\n");
        var (code, stdout, stderr) = Kubectl.Kustomize(dir.Combine("app"));
        Assert.True(code == 0, stderr);
        var docs = ReadBack.Documents(stdout);
        var ns = ReadBack.Object(docs, "Namespace", "shop");
        Assert.Equal("enabled", ns.Str("metadata", "annotations", "linkerd.io/inject"));
        Assert.Equal("100m", ns.Str("metadata", "annotations", "config.linkerd.io/proxy-cpu-request"));
        Assert.Equal("true", ReadBack.Object(docs, "Service", "legacy").Str("metadata", "labels", "mirror.linkerd.io/exported"));
    }

    /// <summary>kubectl kustomize of the official install, without and with the bundle's Component.</summary>
    private static (List<YamlMappingNode> Before, List<YamlMappingNode> After) BuildGateway(Linkerd2Gen.Render.Bundle bundle, string? exclude = null)
    {
        using var dir = new TempDir();
        BundleWriter.Write(bundle, dir.Combine("bundle"), new Diagnostics.DiagnosticBag());
        File.Copy(Repo.EmissaryInstall, dir.Combine("gateway", "install.yaml").Also(p => Directory.CreateDirectory(Path.GetDirectoryName(p)!)));
        var component = dir.Combine("bundle", bundle.Cluster, "patches");
        if (exclude is not null)
        {
            // Patches of objects the official install does not have (existing services) are checked elsewhere.
            var k = File.ReadAllText(Path.Combine(component, "kustomization.yaml"));
            var kept = ReadBack.Documents(k).Single();
            var patches = (YamlSequenceNode)kept.At("patches")!;
            foreach (var p in patches.Children.Where(p => p.Str("path")!.StartsWith(exclude, StringComparison.Ordinal)).ToList()) patches.Children.Remove(p);
            var stream = new YamlStream(new YamlDocument(kept));
            using var w = new StringWriter();
            stream.Save(w, assignAnchors: false);
            File.WriteAllText(Path.Combine(component, "kustomization.yaml"), w.ToString());
        }
        File.WriteAllText(dir.Combine("gateway", "kustomization.yaml"), "resources:\n- install.yaml\n");
        var before = Kubectl.Kustomize(dir.Combine("gateway"));
        Assert.True(before.ExitCode == 0, before.Stderr);
        File.WriteAllText(dir.Combine("gateway", "kustomization.yaml"), $"resources:\n- install.yaml\ncomponents:\n- {Path.GetRelativePath(dir.Combine("gateway"), component)}\n");
        var after = Kubectl.Kustomize(dir.Combine("gateway"));
        Assert.True(after.ExitCode == 0, after.Stderr);
        return (ReadBack.Documents(before.Stdout), ReadBack.Documents(after.Stdout));
    }
}

internal static class Fluent
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
