using System.Text.Json.Nodes;
using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Multicluster;

/// <summary>The source role and the checks across the clusters of one run.</summary>
public class SourceAndCrossClusterTests
{
    private const string East = """
        apiVersion: linkerd2gen.io/v1alpha1
        kind: Mesh
        metadata:
          name: east
        linkerd:
          version: "2.18"
        namespaces:
          - name: shop
            services:
              - {name: web, image: i, ports: [{containerPort: 8080}], export: true}
              - {name: cart, image: i, ports: [{containerPort: 9000}]}
              - {name: pods, image: i, ports: [{containerPort: 7000}], export: remote-discovery}
        multicluster:
          role: target
        """;

    private static string West(string remotes, string version = "2.18", string extra = "") => $$"""
        apiVersion: linkerd2gen.io/v1alpha1
        kind: Mesh
        metadata:
          name: west
        linkerd:
          version: "{{version}}"
        multicluster:
          role: source
        {{extra}}  remotes:
        {{remotes}}
        """;

    private static CompileResult Compile(string west, string? east = East)
    {
        var texts = new Dictionary<string, string> { ["west.yaml"] = west };
        if (east is not null) texts["east.yaml"] = east;
        return Compiler.Compile(texts.Keys.Order(StringComparer.Ordinal).ToList(), texts: texts);
    }

    [Fact]
    public void A_remote_becomes_a_mapping_to_the_mirror_on_the_exported_port()
    {
        var result = Compile(West("    - {cluster: east, namespace: shop, service: web, prefix: /east/web/}"));
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        var west = result.Bundles.Single(b => b.Cluster == "west");
        var mapping = ReadBack.Documents(west.Files["namespaces/shop/mappings.yaml"]).Single();
        Assert.Equal("web-east", mapping.Str("metadata", "name"));
        Assert.Equal("web-east.shop:8080", mapping.Str("spec", "service"));
        Assert.Equal("/east/web/", mapping.Str("spec", "prefix"));
    }

    [Fact]
    public void A_remote_to_a_service_its_cluster_does_not_export_is_an_error_at_the_remote()
    {
        var result = Compile(West("    - {cluster: east, namespace: shop, service: cart, prefix: /east/cart/}"));
        var d = Assert.Single(result.Diagnostics, x => x.IsError);
        Assert.Equal(("L2G0223", "west.yaml", 10, 49), (d.Code, d.Location.File, d.Location.Line, d.Location.Column));
        Assert.Equal("service 'shop/cart' is not exported by cluster 'east' (east.yaml)", d.Message);
        Assert.Empty(result.Bundles);
    }

    [Fact]
    public void A_remote_whose_cluster_is_not_in_the_run_is_a_warning_and_renders()
    {
        var result = Compile(West("    - {cluster: north, namespace: shop, service: web, prefix: /north/web/}"), east: null);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("L2G0222", "west.yaml", 10, 17), (d.Code, d.Location.File, d.Location.Line, d.Location.Column));
        var west = result.Bundles.Single();
        Assert.Contains("service: web-north.shop:80", west.Files["namespaces/shop/mappings.yaml"]);
        Assert.Contains("--gateway-name=<gateway-name>", west.Files["APPLY.md"]);
    }

    [Fact]
    public void The_source_gateway_requires_identity_on_the_linkerd_inbound_port()
    {
        var result = Compile(West("    - {cluster: east, namespace: shop, service: web, prefix: /w/}"));
        var annotations = Patches.GatewayPodAnnotations(result.Bundles.Single(b => b.Cluster == "west"));
        Assert.Equal("4143", annotations["config.linkerd.io/proxy-require-identity-inbound-ports"]);
    }

    [Fact]
    public void The_guides_port_4183_is_kept_as_asked_with_a_warning_that_says_why()
    {
        var result = Compile(West("    - {cluster: east, namespace: shop, service: web, prefix: /w/}", extra: "  requireIdentityOnInboundPorts: [4183]\n"));
        var d = Assert.Single(result.Diagnostics, x => x.Code == "L2G0300");
        Assert.Equal(("west.yaml", 9, 35), (d.Location.File, d.Location.Line, d.Location.Column));
        Assert.Contains("4143", d.Hint);
        Assert.Contains("\"4183\"", result.Bundles.Single(b => b.Cluster == "west").Files["patches/gateway-deployment.json"]);
    }

    [Theory]
    [InlineData("2.8", "linkerd --context=east multicluster link --cluster-name=east | kubectl --context=west apply -f -")]
    [InlineData("2.9", "linkerd --context=east multicluster link --cluster-name=east --gateway-name=emissary-ingress --gateway-namespace=emissary | kubectl --context=west apply -f -")]
    [InlineData("2.18", "linkerd --context=east multicluster link-gen --cluster-name=east --gateway-name=emissary-ingress --gateway-namespace=emissary | kubectl --context=west apply -f -")]
    public void The_plan_links_the_clusters_with_the_versions_command(string version, string command)
    {
        var east = string.Join("\n", East.Replace("\"2.18\"", $"\"{version}\"").Split('\n').Where(l => !l.Contains("name: pods")));
        var result = Compile(West("    - {cluster: east, namespace: shop, service: web, prefix: /w/}", version), east);
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        Assert.Contains(command, result.Bundles.Single(b => b.Cluster == "west").Files["APPLY.md"]);
    }

    [Fact]
    public void A_link_to_gateway_less_exports_only_says_so()
    {
        var result = Compile(West("    - {cluster: east, namespace: shop, service: pods, prefix: /p/}"));
        var plan = result.Bundles.Single(b => b.Cluster == "west").Files["APPLY.md"];
        Assert.Contains("multicluster link-gen --cluster-name=east --gateway=false |", plan);
        Assert.Contains("multicluster install --set controllers[0].link.ref.name=east |", plan);
    }

    private static string Caller(string service, string role = "source") =>
        "apiVersion: linkerd2gen.io/v1alpha1\nkind: Mesh\nmetadata:\n  name: west\nlinkerd:\n  version: \"2.18\"\nnamespaces:\n  - name: apps\n    services:\n"
        + $"      - {{name: client, image: i, calls: [{{cluster: east, namespace: shop, service: {service}}}]}}\nmulticluster:\n  role: {role}\n";

    // Regression: a source linked only the clusters its gateway routes to (remotes). A workload's call to another cluster's
    // export got no link, so no mirror of the called service existed where the caller runs.
    [Theory]
    [InlineData("pods", "linkerd --context=east multicluster link-gen --cluster-name=east --gateway=false | kubectl --context=west apply -f -")]
    [InlineData("web", "linkerd --context=east multicluster link-gen --cluster-name=east --gateway-name=emissary-ingress --gateway-namespace=emissary | kubectl --context=west apply -f -")]
    public void A_source_links_the_clusters_its_workloads_call(string service, string link)
    {
        var result = Compile(Caller(service));
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        var plan = result.Bundles.Single(b => b.Cluster == "west").Files["APPLY.md"];
        Assert.Contains(link, plan);
        Assert.Contains("multicluster install --set controllers[0].link.ref.name=east |", plan);
        // The caller's namespace has no proxy (no `inject`): its call could not reach the mirror, and says so.
        var unmeshed = Assert.Single(result.Diagnostics, d => d.Code == "L2G0246");
        Assert.EndsWith($"not meshed, and only a meshed workload reaches another cluster's mirror ('east/shop/{service}')", unmeshed.Message);
    }

    [Fact]
    public void A_call_to_a_cluster_not_in_the_run_is_a_warning_at_the_cluster_it_names()
    {
        var d = Assert.Single(Compile(Caller("pods"), east: null).Diagnostics, x => x.Code == "L2G0222");
        Assert.Equal(("west.yaml", 10, 52), (d.Location.File, d.Location.Line, d.Location.Column));
        Assert.Equal("cluster 'east' is not in this run: this call is not checked against its exports", d.Message);
    }

    [Theory]
    [InlineData("target")]
    [InlineData("none")]
    public void A_call_to_another_cluster_from_a_cluster_that_links_none_is_an_error_at_the_cluster(string role)
    {
        var result = Compile(Caller("pods", role));
        var d = Assert.Single(result.Diagnostics, x => x.Code == "L2G0244");
        Assert.Equal(("west.yaml", 10, 52), (d.Location.File, d.Location.Line, d.Location.Column));
        Assert.Contains($"multicluster.role is {role}", d.Message);
        Assert.Empty(result.Bundles);
    }

    [Fact]
    public void A_remote_to_a_cluster_that_is_no_target_is_a_warning()
    {
        var east = East.Replace("  role: target", "  role: none");
        var result = Compile(West("    - {cluster: east, namespace: shop, service: web, prefix: /w/}"), east);
        var d = Assert.Single(result.Diagnostics, x => x.Code == "L2G0225");
        Assert.Equal(("west.yaml", 10, 17), (d.Location.File, d.Location.Line, d.Location.Column));
        Assert.Contains("east.yaml", d.Hint);
    }

    [Fact]
    public void Remotes_on_a_target_only_cluster_are_flagged()
    {
        var yaml = East + "\n  remotes:\n    - {cluster: west, namespace: shop, service: web, prefix: /x/}\n";
        Assert.Contains(Mesh.Diagnostics(yaml), d => d.Code == "L2G0213");
    }
}
