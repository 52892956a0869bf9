using System.Text.Json.Nodes;
using Linkerd2Gen.Tests.Support;
using Snapshooter;
using Snapshooter.Xunit;

namespace Linkerd2Gen.Tests.Multicluster;

/// <summary>How a target cluster exports its services, by Linkerd version (facts/linkerd.md §4).</summary>
public class ExportStyleTests
{
    private static string Target(string version, string export = "true", string extra = "") => $$"""
        apiVersion: linkerd2gen.io/v1alpha1
        kind: Mesh
        metadata:
          name: east
        linkerd:
          version: "{{version}}"
        gateway:
          name: ambassador
          namespace: ambassador
        namespaces:
          - name: shop
            services:
              - name: web
                image: ghcr.io/example/web:1.0
                ports: [{name: http, containerPort: 8080, servicePort: 80}]
                export: {{export}}
        {{extra}}
        multicluster:
          role: target
        """;

    private static Render.Bundle Render(string yaml)
    {
        var result = Mesh.Compile(yaml);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Bundles.Single();
    }

    private static YamlDotNet.RepresentationModel.YamlMappingNode Service(Render.Bundle bundle) =>
        ReadBack.Object(ReadBack.Documents(bundle.Files["namespaces/shop/web.yaml"]), "Service", "web");

    [Theory]
    [InlineData("2.8")]
    [InlineData("2.9")]
    [InlineData("2.14")]
    [InlineData("2.18")]
    [InlineData("2.20")]
    public void The_export_and_the_gateway_patches_match_the_snapshot_of_each_version(string version)
    {
        var bundle = Render(Target(version));
        var files = new[] { "namespaces/shop/web.yaml", "patches/gateway-service.json", "patches/gateway-service-annotations.json", "patches/gateway-deployment.json" };
        Snapshot.Match(files.SelectMany(f => bundle.Files[f].Split('\n').Prepend($"=== {f}")).ToArray(), SnapshotNameExtension.Create(version));
    }

    [Fact]
    public void Linkerd_2_8_exports_with_annotations_naming_the_real_gateway()
    {
        var service = Service(Render(Target("2.8")));
        Assert.Equal("ambassador", service.Str("metadata", "annotations", "mirror.linkerd.io/gateway-name"));
        Assert.Equal("ambassador", service.Str("metadata", "annotations", "mirror.linkerd.io/gateway-ns"));
        Assert.Null(service.Str("metadata", "labels", "mirror.linkerd.io/exported"));
    }

    [Theory]
    [InlineData("2.9")]
    [InlineData("2.14")]
    [InlineData("2.18")]
    [InlineData("2.19")]
    [InlineData("2.20")]
    public void Linkerd_2_9_and_later_export_with_the_label(string version)
    {
        var service = Service(Render(Target(version)));
        Assert.Equal("true", service.Str("metadata", "labels", "mirror.linkerd.io/exported"));
        Assert.Null(service.At("metadata", "annotations"));
    }

    [Theory]
    [InlineData("2.8", true)]
    [InlineData("2.9", false)]
    [InlineData("2.18", false)]
    [InlineData("2.20", false)]
    public void The_multicluster_gateway_annotation_is_written_only_where_it_is_read(string version, bool expected)
    {
        var annotations = Patches.Metadata(Render(Target(version)), "patches/gateway-service-annotations.json");
        Assert.Equal(expected, annotations.ContainsKey("mirror.linkerd.io/multicluster-gateway"));
    }

    [Fact]
    public void Remote_discovery_needs_no_gateway_at_all()
    {
        var result = Mesh.Compile(Target("2.14", "remote-discovery"));
        Assert.Empty(result.Diagnostics); // no warning about Emissary as the gateway: it is not one here
        var bundle = result.Bundles.Single();
        Assert.Equal("remote-discovery", Service(bundle).Str("metadata", "labels", "mirror.linkerd.io/exported"));
        Assert.DoesNotContain("patches/gateway-service.json", bundle.Files.Keys);
        Assert.DoesNotContain("patches/gateway-service-annotations.json", bundle.Files.Keys);
        Assert.DoesNotContain("gateway/mappings.yaml", bundle.Files.Keys);
        Assert.DoesNotContain("enable-gateway", bundle.Files["patches/gateway-deployment.json"]);
    }

    [Fact]
    public void Federated_services_are_members()
    {
        var service = Service(Render(Target("2.17", "federated")));
        Assert.Equal("member", service.Str("metadata", "labels", "mirror.linkerd.io/federated"));
    }

    [Theory]
    [InlineData("2.13", "remote-discovery", "2.14")]
    [InlineData("2.16", "federated", "2.17")]
    public void An_export_style_the_version_lacks_is_an_error(string version, string export, string needs)
    {
        var d = Mesh.Single(Target(version, export), "L2G0209");
        Assert.Equal((16, 17), (d.Location.Line, d.Location.Column));
        Assert.Contains($"needs Linkerd {needs}", d.Message);
    }

    [Fact]
    public void Emissary_as_the_gateway_on_2_9_and_later_is_a_warning_that_names_the_risk_and_the_alternatives()
    {
        var result = Mesh.Compile(Target("2.18"));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("L2G0302", 19, 9), (d.Code, d.Location.Line, d.Location.Column));
        Assert.Contains("linkerd2#7612", d.Hint);
        Assert.Contains("remote-discovery", d.Hint);
        Assert.Single(result.Bundles); // it still renders
        Assert.DoesNotContain(Mesh.Compile(Target("2.8")).Diagnostics, x => x.Code == "L2G0302");
    }

    [Fact]
    public void The_identity_is_derived_from_the_service_account_namespace_control_plane_and_trust_domain()
    {
        var yaml = Target("2.18", extra: "linkerd:\n  version: \"2.18\"\n  controlPlaneNamespace: l5d\n  trustDomain: corp.example\n")
            .Replace("linkerd:\n  version: \"2.18\"\ngateway:", "gateway:")
            .Replace("  namespace: ambassador\n", "  namespace: ambassador\n  serviceAccount: gw\n");
        var identity = Patches.Metadata(Render(yaml), "patches/gateway-service-annotations.json")["mirror.linkerd.io/gateway-identity"];
        Assert.Equal("gw.ambassador.serviceaccount.identity.l5d.corp.example", identity);
    }

    [Fact]
    public void The_probe_mapping_prefix_and_the_probe_path_annotation_are_one_value()
    {
        var yaml = Target("2.8").Replace("  role: target", "  role: target\n  probe: {path: /healthz/gw, period: 7, port: 443}");
        var bundle = Render(yaml);
        var mapping = ReadBack.Object(ReadBack.Documents(bundle.Files["gateway/mappings.yaml"]), "Mapping", "linkerd-gateway-probe");
        Assert.Equal("/healthz/gw", mapping.Str("spec", "prefix"));
        Assert.Equal("localhost:8877", mapping.Str("spec", "service"));
        Assert.Equal("/ambassador/v0/check_ready", mapping.Str("spec", "rewrite"));
        Assert.Equal("true", mapping.Str("spec", "bypass_auth"));
        Assert.Equal("ambassador", mapping.Str("metadata", "namespace"));
        var ops = Patches.Operations(bundle, "patches/gateway-service.json");
        var annotations = Patches.Metadata(bundle, "patches/gateway-service-annotations.json");
        Assert.Equal("/healthz/gw", annotations["mirror.linkerd.io/probe-path"]);
        Assert.Equal("7", annotations["mirror.linkerd.io/probe-period"]);
        // The https port (index 1) is the probe port here: guarded, then renamed, keeping its target port.
        Assert.Equal("test /spec/ports/1/name \"https\"", ops[0]);
        Assert.Equal("replace /spec/ports/1 {\"name\":\"mc-probe\",\"port\":443,\"targetPort\":8443}", ops[2]);
    }

    [Fact]
    public void A_probe_port_that_is_not_a_gateway_port_is_an_error()
    {
        var d = Mesh.Single(Target("2.8").Replace("  role: target", "  role: target\n  probe: {port: 8080}"), "L2G0224");
        Assert.Equal((20, 17), (d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void A_target_host_routes_insecure_requests_by_default()
    {
        var yaml = Target("2.8").Replace("  namespace: ambassador\n", "  namespace: ambassador\n  hosts: [{hostname: east.example.com}]\n");
        var host = ReadBack.Documents(Render(yaml).Files["gateway/hosts.yaml"]).Single();
        Assert.Equal("Route", host.Str("spec", "requestPolicy", "insecure", "action"));
        Assert.Equal("none", host.Str("spec", "acmeProvider", "authority"));
    }
}
