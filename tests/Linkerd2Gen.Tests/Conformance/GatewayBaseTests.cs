using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Write;

namespace Linkerd2Gen.Tests.Conformance;

/// <summary>gateway.base: the bundle builds the user's own gateway manifests, patched, and every patch is verified against them.</summary>
public class GatewayBaseTests
{
    private static string MeshWithBase(string @base = "gateway") => Mesh.Header + $"gateway:\n  base: {@base}\nnamespaces:\n  - name: default\n    inject: enabled\n";

    private static TempDir GatewayFolder(Func<string, string>? edit = null)
    {
        var dir = new TempDir();
        var install = File.ReadAllText(Repo.EmissaryInstall);
        dir.Write("gateway/install.yaml", edit is null ? install : edit(install));
        dir.Write("gateway/kustomization.yaml", "resources:\n- install.yaml\n");
        return dir;
    }

    [KubectlFact(needsConformance: true)]
    public void The_bundle_includes_the_base_and_builds_it_meshed()
    {
        using var dir = GatewayFolder();
        var mesh = dir.Write("mesh.yaml", MeshWithBase());
        var result = Compiler.Compile([mesh], outRoot: dir.Combine("out"));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var bundle = result.Bundles.Single();
        Assert.Contains("- ../../gateway\n", bundle.Files["kustomization.yaml"]);
        Assert.Contains("components:\n- patches\n", bundle.Files["kustomization.yaml"]);
        BundleWriter.Write(bundle, dir.Combine("out"), new Diagnostics.DiagnosticBag());
        var (code, stdout, stderr) = Kubectl.Kustomize(dir.Combine("out", "test"));
        Assert.True(code == 0, stderr);
        var gateway = ReadBack.Object(ReadBack.Documents(stdout), "Deployment", "emissary-ingress");
        Assert.Equal("enabled", gateway.Str("spec", "template", "metadata", "annotations", "linkerd.io/inject"));
        Assert.Equal("false", gateway.Str("spec", "template", "metadata", "annotations", "sidecar.istio.io/inject"));
    }

    [ConformanceFact]
    public void A_base_without_the_named_gateway_is_an_error_at_gateway_base()
    {
        using var dir = GatewayFolder(install => install.Replace("name: emissary-ingress\n  namespace: emissary\nspec:\n  progressDeadlineSeconds", "name: renamed\n  namespace: emissary\nspec:\n  progressDeadlineSeconds"));
        var mesh = dir.Write("mesh.yaml", MeshWithBase());
        var d = Assert.Single(Compiler.Compile([mesh]).Diagnostics);
        Assert.Equal("L2G0219", d.Code);
        Assert.Equal((mesh, 6, 9), (d.Location.File, d.Location.Line, d.Location.Column));
        Assert.Contains("Deployment emissary/emissary-ingress", d.Message);
    }

    [KubectlFact(needsConformance: true)]
    public void A_base_whose_pod_template_has_no_annotations_gets_the_whole_map_added()
    {
        // As a Helm install without podAnnotations: a key-by-key RFC 6902 add would fail there; the merge patch adds the map.
        using var dir = GatewayFolder(install => install.Replace("      annotations:\n        consul.hashicorp.com/connect-inject: \"false\"\n        sidecar.istio.io/inject: \"false\"\n", ""));
        var mesh = dir.Write("mesh.yaml", MeshWithBase());
        var result = Compiler.Compile([mesh], outRoot: dir.Combine("out"));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        BundleWriter.Write(result.Bundles.Single(), dir.Combine("out"), new Diagnostics.DiagnosticBag());
        var (code, stdout, stderr) = Kubectl.Kustomize(dir.Combine("out", "test"));
        Assert.True(code == 0, stderr);
        var gateway = ReadBack.Object(ReadBack.Documents(stdout), "Deployment", "emissary-ingress");
        Assert.Equal("enabled", gateway.Str("spec", "template", "metadata", "annotations", "linkerd.io/inject"));
    }

    [KubectlFact(needsConformance: true)]
    public void A_base_whose_pod_template_has_no_metadata_gets_it_added()
    {
        using var dir = GatewayFolder(install => install.Replace("  template:\n    metadata:\n      annotations:\n        consul.hashicorp.com/connect-inject: \"false\"\n        sidecar.istio.io/inject: \"false\"\n      labels:\n        app.kubernetes.io/instance: emissary-ingress\n        app.kubernetes.io/managed-by: getambassador.io\n        app.kubernetes.io/name: emissary-ingress\n        app.kubernetes.io/part-of: emissary-ingress\n        product: aes\n        profile: main\n", "  template:\n"));
        Assert.NotEqual(File.ReadAllText(Repo.EmissaryInstall), File.ReadAllText(dir.Combine("gateway", "install.yaml"))); // the edit took
        var mesh = dir.Write("mesh.yaml", MeshWithBase());
        var result = Compiler.Compile([mesh], outRoot: dir.Combine("out"));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        BundleWriter.Write(result.Bundles.Single(), dir.Combine("out"), new Diagnostics.DiagnosticBag());
        var (code, stdout, stderr) = Kubectl.Kustomize(dir.Combine("out", "test"));
        Assert.True(code == 0, stderr);
        var gateway = ReadBack.Object(ReadBack.Documents(stdout), "Deployment", "emissary-ingress");
        Assert.Equal("enabled", gateway.Str("spec", "template", "metadata", "annotations", "linkerd.io/inject"));
    }

    [ConformanceFact]
    public void Regression_an_exported_existing_service_in_the_gateway_namespace_is_not_required_in_the_base()
    {
        // It used to be judged by namespace, as if it were one of the gateway's own objects.
        using var dir = GatewayFolder();
        var yaml = MeshWithBase().Replace("namespaces:\n  - name: default\n    inject: enabled\n",
            "namespaces:\n  - name: emissary\n    create: false\n    services:\n      - {name: legacy, existing: true, ports: [{servicePort: 80}], export: true}\nmulticluster:\n  role: target\n");
        var mesh = dir.Write("mesh.yaml", yaml);
        var result = Compiler.Compile([mesh]);
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        Assert.Contains("existing/emissary-legacy.json", result.Bundles.Single().Files.Keys);
    }

    [Fact]
    public void A_base_that_is_not_a_kustomization_folder_is_an_error()
    {
        using var dir = new TempDir();
        var mesh = dir.Write("mesh.yaml", MeshWithBase("nowhere"));
        var d = Assert.Single(Compiler.Compile([mesh]).Diagnostics);
        Assert.Equal(("L2G0218", 6, 9), (d.Code, d.Location.Line, d.Location.Column));
    }
}
