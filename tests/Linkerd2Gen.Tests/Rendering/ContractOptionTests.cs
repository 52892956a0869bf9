using System.Text.Json.Nodes;
using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Rendering;

/// <summary>Each option of the input contract changes the bundle the way DESIGN.md §3 says.</summary>
public class ContractOptionTests
{
    private const string Service = "namespaces:\n  - name: shop\n    services:\n      - name: web\n        image: i\n        ports: [{containerPort: 8080, servicePort: 80}]\n        routes: [{prefix: /web/}]\n";

    private static Render.Bundle Render(string gateway, string rest = Service)
    {
        var result = Mesh.Compile(Mesh.Header + gateway + rest);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Bundles.Single();
    }

    private static Dictionary<string, string> GatewayAnnotations(Render.Bundle bundle) => Patches.GatewayPodAnnotations(bundle);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Injection_never_goes_missing_whether_the_bundle_creates_the_namespace_or_not(bool create)
    {
        var bundle = Render("", $"namespaces:\n  - name: shop\n    create: {(create ? "true" : "false")}\n    inject: enabled\n    proxy: {{cpuRequest: 100m, logLevel: debug}}\n"
            + "    services:\n      - {name: web, image: i, ports: [{containerPort: 8080}], proxy: {logLevel: info}}\n      - {name: old, existing: true, ports: [{servicePort: 80}]}\n");
        var pod = ReadBack.Object(ReadBack.Documents(bundle.Files["namespaces/shop/web.yaml"]), "Deployment", "web").At("spec", "template", "metadata")!;
        if (create)
        {
            // The Namespace object carries them; its pods inherit them, as Linkerd's injector reads them.
            var ns = ReadBack.Object(ReadBack.Documents(bundle.Files["namespaces.yaml"]), "Namespace", "shop");
            Assert.Equal("enabled", ns.Str("metadata", "annotations", "linkerd.io/inject"));
            Assert.Equal("100m", ns.Str("metadata", "annotations", "config.linkerd.io/proxy-cpu-request"));
            Assert.Equal("info", pod.Str("annotations", "config.linkerd.io/proxy-log-level"));
            Assert.DoesNotContain("existing/namespace-shop.json", bundle.Files.Keys);
            return;
        }
        // No Namespace object: the rendered pods carry the namespace's settings (the workload's own win)...
        Assert.DoesNotContain("namespaces.yaml", bundle.Files.Keys);
        Assert.Equal("enabled", pod.Str("annotations", "linkerd.io/inject"));
        Assert.Equal("100m", pod.Str("annotations", "config.linkerd.io/proxy-cpu-request"));
        Assert.Equal("info", pod.Str("annotations", "config.linkerd.io/proxy-log-level"));
        // ...and the existing Namespace is patched for the pods the bundle does not render, by Kustomize or by kubectl.
        Assert.Equal(new Dictionary<string, string>
        {
            ["config.linkerd.io/proxy-cpu-request"] = "100m",
            ["config.linkerd.io/proxy-log-level"] = "debug",
            ["linkerd.io/inject"] = "enabled",
        }, Patches.Metadata(bundle, "existing/namespace-shop.json"));
        Assert.Contains("kubectl annotate namespace shop config.linkerd.io/proxy-cpu-request=100m config.linkerd.io/proxy-log-level=debug linkerd.io/inject=enabled --overwrite", bundle.Files["APPLY.md"]);
    }

    [Fact]
    public void Each_workload_runs_as_its_own_service_account_which_the_bundle_creates_unless_told_it_exists()
    {
        var bundle = Render("", "namespaces:\n  - name: shop\n    services:\n"
            + "      - {name: web, image: i, ports: [{containerPort: 8080}]}\n"
            + "      - {name: api, image: i, ports: [{containerPort: 8080}], serviceAccount: backend}\n"
            + "      - {name: worker, image: i, ports: [{containerPort: 8081}], serviceAccount: backend}\n"
            + "      - {name: legacy, image: i, ports: [{containerPort: 8082}], serviceAccount: {name: legacy-sa, create: false}}\n");
        string? Account(string service) => ReadBack.Object(ReadBack.Documents(bundle.Files[$"namespaces/shop/{service}.yaml"]), "Deployment", service).Str("spec", "template", "spec", "serviceAccountName");
        List<string> Created(string service) => ReadBack.Documents(bundle.Files[$"namespaces/shop/{service}.yaml"]).Where(d => d.Str("kind") == "ServiceAccount").Select(d => d.Str("metadata", "name")!).ToList();
        Assert.Equal(("web", "backend", "backend", "legacy-sa"), (Account("web"), Account("api"), Account("worker"), Account("legacy")));
        Assert.Equal(["web"], Created("web"));
        Assert.Equal(["backend"], Created("api")); // shared: created once
        Assert.Empty(Created("worker"));
        Assert.Empty(Created("legacy"));
    }

    [Fact]
    public void Created_namespaces_are_kept_from_gitops_pruning_unless_they_opt_out()
    {
        var bundle = Render("", "namespaces:\n  - name: kept\n  - name: pruned\n    prune: true\n");
        var objects = ReadBack.Documents(bundle.Files["namespaces.yaml"]);
        var kept = ReadBack.Object(objects, "Namespace", "kept");
        Assert.Equal("Prune=false", kept.Str("metadata", "annotations", "argocd.argoproj.io/sync-options"));
        Assert.Equal("disabled", kept.Str("metadata", "annotations", "kustomize.toolkit.fluxcd.io/prune"));
        Assert.Null(ReadBack.Object(objects, "Namespace", "pruned").At("metadata", "annotations"));
    }

    [Fact]
    public void Linkerd_headers_off_adds_them_nowhere()
    {
        var bundle = Render("gateway:\n  linkerdHeaders: off\n");
        Assert.DoesNotContain("add_linkerd_headers", bundle.Files["namespaces/shop/mappings.yaml"]);
        Assert.DoesNotContain("patches/ambassador-module.json", bundle.Files.Keys);
    }

    [Fact]
    public void Linkerd_headers_module_sets_them_once_in_the_module_not_on_mappings()
    {
        var bundle = Render("gateway:\n  linkerdHeaders: module\n");
        Assert.DoesNotContain("add_linkerd_headers", bundle.Files["namespaces/shop/mappings.yaml"]);
        Assert.Equal("""[{"op":"add","path":"/spec/config/add_linkerd_headers","value":true}]""", JsonNode.Parse(bundle.Files["patches/ambassador-module.json"])!.ToJsonString());
    }

    [Fact]
    public void Ingress_mode_meshes_the_gateway_as_ingress_and_strips_client_supplied_override_headers()
    {
        var bundle = Render("gateway:\n  injectMode: ingress\n");
        Assert.Equal("ingress", GatewayAnnotations(bundle)["linkerd.io/inject"]);
        var mapping = ReadBack.Documents(bundle.Files["namespaces/shop/mappings.yaml"]).Single();
        Assert.Equal("true", mapping.Str("spec", "add_linkerd_headers"));
        Assert.Equal("l5d-dst-override", mapping.Str("spec", "remove_request_headers", "0")); // else an open relay
    }

    [Fact]
    public void Edge_stack_defaults_come_from_its_official_install()
    {
        var bundle = Render("gateway:\n  flavor: edge-stack\n");
        var component = ReadBack.Documents(bundle.Files["patches/kustomization.yaml"]).Single();
        Assert.Equal(("edge-stack", "ambassador"), (component.Str("patches", "0", "target", "name"), component.Str("patches", "0", "target", "namespace")));
        Assert.Contains("edge-stack.ambassador.serviceaccount.identity.linkerd.cluster.local", bundle.Files["APPLY.md"]);
        Assert.Equal("ambassador", ReadBack.Documents(bundle.Files["gateway/listeners.yaml"]).First().Str("metadata", "namespace"));
    }

    [Fact]
    public void Gateway_ports_set_the_listeners_and_the_default_skip_list()
    {
        var bundle = Render("gateway:\n  ports:\n    - {name: web, port: 8000, targetPort: 8001}\n    - {port: 443, targetPort: 9443}\n");
        Assert.Equal("8001,9443", GatewayAnnotations(bundle)["config.linkerd.io/skip-inbound-ports"]);
        var listeners = ReadBack.Documents(bundle.Files["gateway/listeners.yaml"]);
        Assert.Equal(["emissary-ingress-web-listener 8001 HTTP", "emissary-ingress-https-listener 9443 HTTPS"],
            listeners.Select(l => $"{l.Str("metadata", "name")} {l.Str("spec", "port")} {l.Str("spec", "protocol")}"));
    }

    [Fact]
    public void Listeners_false_emits_none()
    {
        Assert.DoesNotContain("gateway/listeners.yaml", Render("gateway:\n  listeners: false\n").Files.Keys);
    }

    [Fact]
    public void Create_false_leaves_the_namespace_out_but_still_renders_its_services()
    {
        var bundle = Render("", Service.Replace("  - name: shop\n", "  - name: shop\n    create: false\n"));
        Assert.DoesNotContain("namespaces.yaml", bundle.Files.Keys);
        Assert.Contains("namespaces/shop/web.yaml", bundle.Files.Keys);
    }

    [Fact]
    public void An_existing_service_gets_its_routes_and_nothing_else()
    {
        var bundle = Render("", "namespaces:\n  - name: shop\n    services:\n      - name: legacy\n        existing: true\n        ports: [{servicePort: 8080}]\n        routes: [{prefix: /legacy/}]\n");
        Assert.DoesNotContain("namespaces/shop/legacy.yaml", bundle.Files.Keys);
        Assert.Equal("legacy.shop:8080", ReadBack.Documents(bundle.Files["namespaces/shop/mappings.yaml"]).Single().Str("spec", "service"));
    }

    [Fact]
    public void Host_names_are_derived_from_hostnames_and_ambassador_ids_are_lists()
    {
        var bundle = Render("gateway:\n  ambassadorId: [blue]\n  hosts: [{hostname: \"*.shop.example.com\", tlsSecret: {name: shop-cert}}]\n");
        var host = ReadBack.Documents(bundle.Files["gateway/hosts.yaml"]).Single();
        Assert.Equal("wildcard-shop-example-com", host.Str("metadata", "name"));
        Assert.Equal("Redirect", host.Str("spec", "requestPolicy", "insecure", "action"));
        Assert.Equal("shop-cert", host.Str("spec", "tlsSecret", "name"));
        Assert.Equal("blue", host.Str("spec", "ambassador_id", "0"));
        Assert.Equal("blue", ReadBack.Documents(bundle.Files["namespaces/shop/mappings.yaml"]).Single().Str("spec", "ambassador_id", "0"));
    }

    [Fact]
    public void Namespace_proxy_settings_are_namespace_annotations_and_workload_ones_pod_annotations()
    {
        var bundle = Render("", Service.Replace("    services:\n", "    proxy: {cpuLimit: 1}\n    services:\n").Replace("        routes:", "        proxy: {logLevel: debug, await: false}\n        routes:"));
        Assert.Equal("1", ReadBack.Documents(bundle.Files["namespaces.yaml"]).Single().Str("metadata", "annotations", "config.linkerd.io/proxy-cpu-limit"));
        var deployment = ReadBack.Object(ReadBack.Documents(bundle.Files["namespaces/shop/web.yaml"]), "Deployment", "web");
        Assert.Equal("debug", deployment.Str("spec", "template", "metadata", "annotations", "config.linkerd.io/proxy-log-level"));
        Assert.Equal("disabled", deployment.Str("spec", "template", "metadata", "annotations", "config.linkerd.io/proxy-await"));
    }
}
