using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Rendering;

/// <summary>The guide's single-cluster walkthrough, rendered from examples/qotm/mesh.yaml.</summary>
public class QotmBundleTests
{
    // The reviewed bytes of this bundle are the baseline tests/baselines/qotm.

    [Fact]
    public void The_bundle_has_the_documented_layout()
    {
        Assert.Equal(
        [
            "APPLY.md", "MESH.md", "gateway/listeners.yaml", "kustomization.yaml", "namespaces.yaml",
            "namespaces/default/mappings.yaml", "namespaces/default/qotm-linkerd2.yaml",
            "patches/gateway-deployment.json", "patches/kustomization.yaml",
        ], Examples.Qotm.Files.Keys);
    }

    [Fact]
    public void The_namespace_is_auto_injected()
    {
        var ns = ReadBack.Object(Examples.Objects(Examples.Qotm), "Namespace", "default");
        Assert.Equal("enabled", ns.Str("metadata", "annotations", "linkerd.io/inject"));
    }

    [Fact]
    public void The_deployment_is_the_guides_qotm()
    {
        var d = ReadBack.Object(Examples.Objects(Examples.Qotm), "Deployment", "qotm");
        Assert.Equal("apps/v1", d.Str("apiVersion"));
        Assert.Equal("default", d.Str("metadata", "namespace"));
        Assert.Equal("1", d.Str("spec", "replicas"));
        Assert.Equal("qotm", d.Str("spec", "selector", "matchLabels", "app"));
        Assert.Equal("qotm", d.Str("spec", "template", "metadata", "labels", "app"));
        var c = d.At("spec", "template", "spec", "containers", "0")!;
        Assert.Equal("qotm", c.Str("name"));
        Assert.Equal("docker.io/datawire/qotm:1.7", c.Str("image"));
        Assert.Equal("http-api", c.Str("ports", "0", "name"));
        Assert.Equal("5000", c.Str("ports", "0", "containerPort"));
        Assert.Equal("POD_IP", c.Str("env", "0", "name"));
        Assert.Equal("status.podIP", c.Str("env", "0", "valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("/health", c.Str("readinessProbe", "httpGet", "path"));
        Assert.Equal("http-api", c.Str("readinessProbe", "httpGet", "port"));
        Assert.Equal("60", c.Str("readinessProbe", "initialDelaySeconds"));
        Assert.Equal("3", c.Str("readinessProbe", "periodSeconds"));
        Assert.Equal("0.1", c.Str("resources", "limits", "cpu"));
        Assert.Equal("100Mi", c.Str("resources", "limits", "memory"));
        // "0.1" must stay a string: a bare 0.1 is a float to Kubernetes' YAML reader.
        var cpu = (YamlDotNet.RepresentationModel.YamlScalarNode)c.At("resources", "limits", "cpu")!;
        Assert.NotEqual(YamlDotNet.Core.ScalarStyle.Plain, cpu.Style);
    }

    [Fact]
    public void The_service_is_the_guides_qotm_linkerd2_on_port_80()
    {
        var s = ReadBack.Object(Examples.Objects(Examples.Qotm), "Service", "qotm-linkerd2");
        Assert.Equal("qotm", s.Str("spec", "selector", "app"));
        Assert.Equal("80", s.Str("spec", "ports", "0", "port"));
        Assert.Equal("http-api", s.Str("spec", "ports", "0", "targetPort")); // the container's port 5000, by name
    }

    [Fact]
    public void The_mapping_routes_the_prefix_for_every_hostname_with_linkerd_headers()
    {
        var m = ReadBack.Object(Examples.Objects(Examples.Qotm), "Mapping", "linkerd2-qotm");
        Assert.Equal("getambassador.io/v3alpha1", m.Str("apiVersion"));
        Assert.Equal("*", m.Str("spec", "hostname"));
        Assert.Equal("/qotm-linkerd2/", m.Str("spec", "prefix"));
        Assert.Equal("qotm-linkerd2.default:80", m.Str("spec", "service"));
        Assert.Equal("true", m.Str("spec", "add_linkerd_headers"));
    }

    [Fact]
    public void Listeners_cover_the_gateways_container_ports()
    {
        var listeners = Examples.Objects(Examples.Qotm).Where(o => o.Str("kind") == "Listener").ToList();
        Assert.Equal(["8080 HTTP", "8443 HTTPS"], listeners.Select(l => $"{l.Str("spec", "port")} {l.Str("spec", "protocol")}"));
        Assert.All(listeners, l => Assert.Equal("emissary", l.Str("metadata", "namespace")));
    }

    [Fact]
    public void The_gateway_patch_meshes_it_skipping_its_own_listener_ports()
    {
        Assert.Equal(new Dictionary<string, string>
        {
            ["config.linkerd.io/skip-inbound-ports"] = "8080,8443",
            ["linkerd.io/inject"] = "enabled",
        }, Patches.GatewayPodAnnotations(Examples.Qotm));
        var component = ReadBack.Documents(Examples.Qotm.Files["patches/kustomization.yaml"]).Single();
        Assert.Equal("Component", component.Str("kind"));
        Assert.Equal("emissary-ingress", component.Str("patches", "0", "target", "name"));
        Assert.Equal("emissary", component.Str("patches", "0", "target", "namespace"));
        Assert.Equal("Deployment", component.Str("patches", "0", "target", "kind"));
    }

    [Fact]
    public void The_kustomization_lists_every_owned_file_namespaces_first()
    {
        var k = ReadBack.Documents(Examples.Qotm.Files["kustomization.yaml"]).Single();
        var resources = ((YamlDotNet.RepresentationModel.YamlSequenceNode)k.At("resources")!).Select(r => r.ToString()).ToList();
        Assert.Equal(["namespaces.yaml", "namespaces/default/mappings.yaml", "namespaces/default/qotm-linkerd2.yaml", "gateway/listeners.yaml"], resources);
    }

    [Fact]
    public void The_plan_applies_namespaces_first_then_patches_the_gateway()
    {
        var plan = Examples.Qotm.Files["APPLY.md"];
        var ns = plan.IndexOf("kubectl apply -f namespaces.yaml", StringComparison.Ordinal);
        var deploy = plan.IndexOf("kubectl apply -f namespaces/default/qotm-linkerd2.yaml", StringComparison.Ordinal);
        var patch = plan.IndexOf("kubectl -n emissary patch deployment.apps emissary-ingress --type=merge --patch-file patches/gateway-deployment.json", StringComparison.Ordinal);
        Assert.True(ns >= 0 && deploy > ns && patch > deploy, plan);
        Assert.Contains("kubectl apply -k .", plan);
    }

    [Fact]
    public void The_committed_bundle_in_out_is_current()
    {
        var drift = Linkerd2Gen.Write.BundleWriter.Drift(Examples.Qotm, Path.Combine(Repo.Root, "out"));
        Assert.True(drift.Count == 0, "out/ is stale; run the README's render command: " + string.Join(", ", drift));
    }
}
