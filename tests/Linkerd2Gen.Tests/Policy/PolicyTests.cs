using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Tests.Conformance;
using Linkerd2Gen.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Linkerd2Gen.Tests.Policy;

/// <summary>
/// Zero trust by construction, checked from the outside: "who may call what" is computed from the rendered Linkerd objects
/// (Servers, MeshTLSAuthentications, AuthorizationPolicies, Deployments, Services) and compared with the mesh file's calls and
/// allow entries, read as plain YAML, not through the code that wrote the policy.
/// </summary>
public class PolicyTests
{
    private static readonly string Example = Path.Combine(Repo.Root, "examples", "emojivoto", "mesh.yaml");

    /// <summary>service:port → the identities the rendered policy admits there.</summary>
    private static Dictionary<string, SortedSet<string>> Admitted(IReadOnlyList<YamlMappingNode> objects)
    {
        var admitted = new Dictionary<string, SortedSet<string>>();
        foreach (var server in objects.Where(o => o.Str("kind") == "Server"))
        {
            var name = server.Str("metadata", "name")!;
            var selector = (YamlMappingNode)server.At("spec", "podSelector", "matchLabels")!;
            // The Service whose selector is the Server's, and its port that targets the Server's container port.
            var service = objects.Single(o => o.Str("kind") == "Service" && o.At("spec", "selector") is YamlMappingNode s
                && s.Children.Count == selector.Children.Count && s.Children.All(kv => selector.Children.TryGetValue(kv.Key, out var v) && v.ToString() == kv.Value.ToString()));
            var port = ((YamlSequenceNode)service.At("spec", "ports")!).Children.Single(p => p.Str("targetPort") == server.Str("spec", "port"));
            var policies = objects.Where(o => o.Str("kind") == "AuthorizationPolicy" && o.Str("spec", "targetRef", "name") == name);
            var identities = policies.SelectMany(p => ((YamlSequenceNode)p.At("spec", "requiredAuthenticationRefs")!).Children)
                .Select(r => objects.Single(o => o.Str("kind") == "MeshTLSAuthentication" && o.Str("metadata", "name") == r.Str("name")))
                .SelectMany(Identities);
            admitted[$"{service.Str("metadata", "name")}:{port.Str("port")}"] = new SortedSet<string>(identities, StringComparer.Ordinal);
        }
        return admitted;
    }

    // What one MeshTLSAuthentication admits, as Linkerd reads it: identity strings, and identityRefs (a ServiceAccount, in
    // the authentication's namespace unless named; a Namespace, all of its ServiceAccounts). Default control plane.
    private static IEnumerable<string> Identities(YamlMappingNode authentication)
    {
        foreach (var identity in (authentication.At("spec", "identities") as YamlSequenceNode)?.Children ?? [])
        {
            yield return identity.ToString();
        }
        foreach (var reference in (authentication.At("spec", "identityRefs") as YamlSequenceNode)?.Children ?? [])
        {
            var ns = reference.Str("namespace") ?? authentication.Str("metadata", "namespace");
            yield return reference.Str("kind") switch
            {
                "ServiceAccount" => $"{reference.Str("name")}.{ns}.serviceaccount.identity.linkerd.cluster.local",
                "Namespace" => $"*.{reference.Str("name")}.serviceaccount.identity.linkerd.cluster.local",
                var other => throw new InvalidOperationException($"identityRef kind {other}"),
            };
        }
    }

    [Fact]
    public void The_rendered_policy_admits_exactly_the_declared_callers_on_each_port()
    {
        var result = Compiler.Compile([Example]);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var admitted = Admitted(Examples.Objects(result.Bundles.Single()));

        // What the mesh file declares, read as YAML: routes (the gateway), calls (their workload's ServiceAccount), allow.
        var mesh = ReadBack.Documents(File.ReadAllText(Example)).Single();
        static string Id(string sa, string ns) => $"{sa}.{ns}.serviceaccount.identity.linkerd.cluster.local";
        var expected = new Dictionary<string, SortedSet<string>>();
        var services = ((YamlSequenceNode)mesh.At("namespaces", "0", "services")!).Children.Cast<YamlMappingNode>().ToList();
        foreach (var svc in services.Where(s => s.At("ports") is not null))
        {
            foreach (var port in ((YamlSequenceNode)svc.At("ports")!).Children)
            {
                var key = $"{svc.Str("name")}:{port.Str("servicePort") ?? port.Str("containerPort")}";
                var who = expected[key] = new SortedSet<string>(StringComparer.Ordinal);
                if (svc.At("routes") is YamlSequenceNode routes && routes.Children.Count > 0 && port == ((YamlSequenceNode)svc.At("ports")!).Children[0])
                {
                    who.Add(Id("emissary-ingress", "emissary"));
                }
                foreach (var caller in services.Where(c => c.At("calls") is YamlSequenceNode calls && calls.Children.Any(x => x.ToString() == svc.Str("name"))))
                {
                    who.Add(Id(caller.Str("serviceAccount") ?? caller.Str("workload") ?? caller.Str("name")!, "emojivoto"));
                }
                foreach (var allow in (svc.At("allow") as YamlSequenceNode)?.Children ?? [])
                {
                    if (((YamlSequenceNode)allow.At("ports")!).Children.Any(p => p.ToString() == port.Str("name"))) who.Add(Id(allow.Str("serviceAccount")!, allow.Str("namespace")!));
                }
            }
        }
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), admitted.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, who) in expected)
        {
            Assert.True(who.SetEquals(admitted[key]), $"{key}: declared {string.Join(", ", who)}; rendered {string.Join(", ", admitted[key])}");
        }
        Assert.Contains(Id("vote-bot", "emojivoto"), admitted["web-svc:80"]); // vote-bot calls web-svc
        Assert.DoesNotContain(Id("vote-bot", "emojivoto"), admitted["emoji-svc:8080"]); // and nothing else
    }

    [ConformanceFact]
    public void Every_policy_object_passes_linkerds_schemas()
    {
        var result = Compiler.Compile([Example]);
        var objects = Examples.Objects(result.Bundles.Single()).Where(o => o.Str("apiVersion")!.StartsWith("policy.linkerd.io/", StringComparison.Ordinal)).ToList();
        Assert.Equal(15, objects.Count); // five ports: a Server, a MeshTLSAuthentication and an AuthorizationPolicy each
        OfficialSchemas.AssertValid(objects);
    }

    [Theory]
    [InlineData("2.12", "policy.linkerd.io/v1beta1")]
    [InlineData("2.15", "policy.linkerd.io/v1beta2")]
    [InlineData("2.16", "policy.linkerd.io/v1beta3")]
    public void The_server_api_version_follows_the_linkerd_version(string version, string apiVersion)
    {
        var text = File.ReadAllText(Example).Replace("version: \"2.20\"", $"version: \"{version}\"");
        var result = Compiler.Compile(["mesh.yaml"], texts: new Dictionary<string, string> { ["mesh.yaml"] = text });
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var servers = Examples.Objects(result.Bundles.Single()).Where(o => o.Str("kind") == "Server").ToList();
        Assert.All(servers, s => Assert.Equal(apiVersion, s.Str("apiVersion")));
    }

    [Fact]
    public void Linkerd_2_11_gets_server_authorizations_and_older_versions_an_error()
    {
        var text = File.ReadAllText(Example).Replace("version: \"2.20\"", "version: \"2.11\"").Replace("        patch:\n          spec:\n            template:\n              spec:\n                securityContext: {runAsNonRoot: true, runAsUser: 65534}\n", "");
        var result = Compiler.Compile(["mesh.yaml"], texts: new Dictionary<string, string> { ["mesh.yaml"] = text });
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var objects = Examples.Objects(result.Bundles.Single());
        Assert.Contains(objects, o => o.Str("kind") == "ServerAuthorization");
        Assert.DoesNotContain(objects, o => o.Str("kind") == "AuthorizationPolicy");
        // web-svc's httpGet readiness probe: its pods' admin port admits the kubelet, with a warning that says why.
        Assert.Equal("true", ReadBack.Object(objects, "ServerAuthorization", "web-svc-linkerd-admin").Str("spec", "client", "unauthenticated"));
        Assert.Equal("linkerd-admin", ReadBack.Object(objects, "Server", "web-svc-linkerd-admin").Str("spec", "port"));
        Assert.Contains(result.Diagnostics, d => d.Code == "L2G0241");
        var old = Compiler.Compile(["mesh.yaml"], texts: new Dictionary<string, string> { ["mesh.yaml"] = text.Replace("\"2.11\"", "\"2.10\"") });
        Assert.Contains(old.Diagnostics, d => d.Code == "L2G0209" && d.Message.Contains("policy.mode: calls"));
    }

    [Theory]
    [InlineData("true", "emissary-ingress.emissary.serviceaccount.identity.linkerd.cluster.local")]
    [InlineData("remote-discovery", "client.apps.serviceaccount.identity.linkerd.cluster.local")]
    public void Multicluster_exports_keep_working_under_calls_policy(string export, string admittedIdentity)
    {
        const string head = "apiVersion: linkerd2gen.io/v1alpha1\nkind: Mesh\nmetadata:\n  name: ";
        var east = head + "east\npolicy: {mode: calls}\nnamespaces:\n  - name: shop\n    services:\n"
            + $"      - {{name: catalog, image: i, ports: [{{name: http, containerPort: 8080}}], export: {export}}}\nmulticluster:\n  role: target\n";
        var west = head + "west\nnamespaces:\n  - name: apps\n    services:\n"
            + "      - {name: client, image: i, calls: [{cluster: east, namespace: shop, service: catalog}]}\nmulticluster:\n  role: source\n  remotes: [{cluster: east, namespace: shop, service: catalog, prefix: /catalog/}]\n";
        var result = Compiler.Compile(["east.yaml", "west.yaml"], texts: new Dictionary<string, string> { ["east.yaml"] = east, ["west.yaml"] = west });
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        var objects = Examples.Objects(result.Bundles.Single(b => b.Cluster == "east"));
        var admitted = Admitted(objects);
        Assert.Contains(admittedIdentity, admitted["catalog:8080"]);
        // The gateway is a ServiceAccount of this cluster: a reference. Another cluster's workload has no object here to
        // refer to: its identity, in an authentication of its own ("-remote").
        var authentication = objects.Single(o => o.Str("kind") == "MeshTLSAuthentication");
        Assert.Equal(export == "true" ? "catalog-http" : "catalog-http-remote", authentication.Str("metadata", "name"));
        Assert.Equal(export == "true", authentication.At("spec", "identityRefs") is not null);
    }

    /// <summary>A bundle built as Kubernetes would receive it (kubectl kustomize: its bases included), as objects.</summary>
    private static List<YamlMappingNode> Built(Pipeline.CompileResult result, TempDir dir)
    {
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var bundle = result.Bundles.Single();
        Write.BundleWriter.Write(bundle, dir.Combine("out"), new Diagnostics.DiagnosticBag());
        var (code, stdout, stderr) = Kubectl.Kustomize(dir.Combine("out", bundle.Cluster));
        Assert.True(code == 0, stderr);
        return ReadBack.Documents(stdout);
    }

    [KubectlFact]
    public void The_app_meshed_from_its_own_manifests_gets_the_same_zero_trust_policy_as_the_app_written_natively()
    {
        // The base example (emojivoto's own manifests), its services declared existing with what the native example says of
        // them: web calls emoji and voting, Prometheus may scrape, and vote-bot (a workload without a Service, so it cannot
        // be declared) is allowed by its ServiceAccount.
        var example = Path.Combine(Repo.Root, "examples", "emojivoto-base", "mesh.yaml");
        var text = File.ReadAllText(example).Replace("gateway:", "policy: {mode: calls}\ngateway:")
            + "        calls: [emoji-svc, voting-svc]\n        allow: [{serviceAccount: vote-bot, namespace: emojivoto}]\n"
            + "      - {name: emoji-svc, existing: true, allow: [{serviceAccount: prometheus, namespace: linkerd-viz, ports: [prom]}]}\n"
            + "      - {name: voting-svc, existing: true, allow: [{serviceAccount: prometheus, namespace: linkerd-viz, ports: [prom]}]}\n";
        using var fromBase = new TempDir();
        using var native = new TempDir();
        var ours = Admitted(Built(Compiler.Compile([example], texts: new Dictionary<string, string> { [example] = text }, outRoot: fromBase.Combine("out")), fromBase));
        var theirs = Admitted(Built(Compiler.Compile([Example], outRoot: native.Combine("out")), native));
        Assert.Equal(["emoji-svc:8080", "emoji-svc:8801", "voting-svc:8080", "voting-svc:8801", "web-svc:80"], ours.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(theirs.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
        foreach (var (port, identities) in theirs)
        {
            Assert.True(identities.SetEquals(ours[port]), $"{port}: native {string.Join(", ", identities)}; from the manifests {string.Join(", ", ours[port])}");
        }
    }

    // Regression: the calls of an existing service (whose identity only its base shows) reached no other cluster, so a
    // remote-discovery export's policy there did not admit it.
    [Fact]
    public void A_remote_discovery_export_admits_an_existing_callers_identity_from_its_base()
    {
        using var dir = new TempDir();
        dir.Write("apps/kustomization.yaml", "resources:\n- app.yaml\n");
        dir.Write("apps/app.yaml", BaseManifests.File(BaseManifests.Service("legacy", "apps"), BaseManifests.Workload("legacy", "apps", podSpec: "serviceAccountName: legacy-sa")));
        const string head = "apiVersion: linkerd2gen.io/v1alpha1\nkind: Mesh\nmetadata:\n  name: ";
        var east = dir.Write("east.yaml", head + "east\npolicy: {mode: calls}\nnamespaces:\n  - name: shop\n    inject: enabled\n    services:\n"
            + "      - {name: catalog, image: i, ports: [{name: http, containerPort: 8080}], export: remote-discovery}\nmulticluster:\n  role: target\n");
        var west = dir.Write("west.yaml", head + "west\nnamespaces:\n  - name: apps\n    create: false\n    base: apps/\n    services:\n"
            + "      - {name: legacy, existing: true, calls: [{cluster: east, namespace: shop, service: catalog}]}\nmulticluster:\n  role: source\n");
        var result = Compiler.Compile([east, west]);
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        var admitted = Admitted(Examples.Objects(result.Bundles.Single(b => b.Cluster == "east")));
        Assert.Equal(["legacy-sa.apps.serviceaccount.identity.linkerd.cluster.local"], admitted["catalog:8080"]);
    }

    [Fact]
    public void Policy_in_a_namespace_without_a_proxy_is_a_warning_where_the_namespace_says_so()
    {
        // Created without `inject`: at its name. Disabled: at the value. An existing namespace may be annotated in the cluster: not judged.
        var text = Mesh.Header + "policy: {mode: calls}\nnamespaces:\n  - name: shop\n    services:\n      - {name: web, image: i, ports: [{containerPort: 80}]}\n"
            + "  - name: ops\n    inject: disabled\n    services:\n      - {name: ui, image: i, ports: [{containerPort: 80}]}\n"
            + "  - name: legacy\n    create: false\n    services:\n      - {name: api, image: i, ports: [{containerPort: 80}]}\n"
            + "  - name: apps\n    inject: enabled\n    services:\n      - {name: client, image: i, calls: [shop/web, ops/ui, legacy/api]}\n";
        var found = Mesh.Diagnostics(text).Where(d => d.Code == "L2G0245").Select(d => (d.Location.Line, d.Location.Column, d.Severity)).ToList();
        Assert.Equal([(7, 11, Severity.Warning), (11, 13, Severity.Warning)], found);
    }

    [Fact]
    public void Calls_from_a_namespace_without_a_proxy_are_a_warning_at_each_call_a_policy_or_another_cluster_refuses()
    {
        var text = Mesh.Header + "namespaces:\n  - name: shop\n    inject: enabled\n    policy: {mode: calls}\n    services:\n      - {name: web, image: i, ports: [{containerPort: 80}]}\n"
            + "  - name: open\n    inject: enabled\n    services:\n      - {name: docs, image: i, ports: [{containerPort: 80}]}\n"
            + "  - name: vault\n    inject: enabled\n    proxy: {defaultInboundPolicy: all-authenticated}\n    services:\n      - {name: kv, image: i, ports: [{containerPort: 80}]}\n"
            + "  - name: batch\n    services:\n      - {name: job, image: i, calls: [shop/web, open/docs, vault/kv]}\n";
        var found = Mesh.Diagnostics(text).Where(x => x.Code == "L2G0246").ToList();
        // shop/web is policed and vault asks for identity by default: those calls are refused; open/docs admits anyone (the
        // default policy), so that call is no finding.
        Assert.Equal([(22, 39), (22, 60)], found.Select(x => (x.Location.Line, x.Location.Column)));
        Assert.Equal("the calls of 'job' carry no identity: namespace 'batch' is not meshed, so the policy of 'shop/web' denies them", found[0].Message);
        Assert.Equal("the calls of 'job' carry no identity: namespace 'batch' is not meshed, so the default inbound policy of 'vault/kv' (all-authenticated) denies them", found[1].Message);
        // The same namespace meshed, or the caller's own pods asking for the proxy: no finding.
        Assert.DoesNotContain(Mesh.Diagnostics(text.Replace("  - name: batch\n", "  - name: batch\n    inject: enabled\n")), x => x.Code == "L2G0246");
        var ownProxy = Mesh.Diagnostics(text.Replace("{name: job, image: i,", "{name: job, image: i, podAnnotations: {linkerd.io/inject: enabled},"));
        Assert.DoesNotContain(ownProxy, x => x.IsError);
        Assert.DoesNotContain(ownProxy, x => x.Code == "L2G0246");
    }

    [Fact]
    public void A_call_to_nothing_is_an_error_at_its_line_naming_what_is_there()
    {
        var d = Mesh.Single(Mesh.Header + "namespaces:\n  - name: shop\n    services:\n      - {name: web, image: i, ports: [{containerPort: 80}]}\n"
            + "      - {name: bot, image: i, calls: [shop/wbe]}\n", "L2G0237");
        Assert.Equal((9, 39), (d.Location.Line, d.Location.Column));
        Assert.Equal("services there: web, bot", d.Hint);
    }

    private static (int Code, string Out, string Err) Cli(params string[] args) => InProcess.Cli(args);

    [Theory]
    [InlineData("emojivoto/vote-bot", "emojivoto/web-svc:80", 0, "allowed: ")]
    [InlineData("emojivoto/vote-bot", "emojivoto/emoji-svc:8080", 1, "denied: ")]
    [InlineData("emojivoto/web", "emojivoto/voting-svc:grpc", 0, "allowed: ")]
    [InlineData("emojivoto/vote-bot", "emojivoto/voting-svc:8801", 1, "denied: ")]
    public void Check_access_answers_from_the_rendered_policy(string from, string to, int code, string answer)
    {
        var (exit, stdout, _) = Cli("check-access", Example, "--from", from, "--to", to);
        Assert.Equal(code, exit);
        Assert.StartsWith(answer, stdout);
    }

    [Fact]
    public void Check_access_names_what_it_does_not_know()
    {
        var (exit, _, stderr) = Cli("check-access", Example, "--from", "emojivoto/nobody", "--to", "emojivoto/web-svc:80");
        Assert.Equal(2, exit);
        Assert.Contains("L2G0517", stderr);
        Assert.Equal(2, Cli("check-access", Example, "--from", "vote-bot", "--to", "web-svc").Code);
    }

    [Theory]
    // A Server admits identities: an unmeshed caller has none.
    [InlineData("", "", "batch/job", "shop/web:8080", 1, "denied: batch/job (ServiceAccount job, not meshed: linkerd.io/inject is not enabled for its pods, so its calls carry no identity) may not call shop/web:8080: Server web-http admits only client.apps.serviceaccount.identity.linkerd.cluster.local")]
    // A port no Server guards: the default inbound policy of the callee's pods, else of their namespace, else the cluster's.
    [InlineData("", "", "batch/job", "tools/ui:80", 0, "allowed: batch/job (ServiceAccount job, not meshed: linkerd.io/inject is not enabled for its pods, so its calls carry no identity) may call tools/ui:80: no Server guards that port, so the cluster's default inbound policy (set at install; all-unauthenticated unless changed) decides: all-unauthenticated admits every client")]
    [InlineData("all-authenticated", "", "batch/job", "tools/ui:80", 1, "denied: batch/job (ServiceAccount job, not meshed: linkerd.io/inject is not enabled for its pods, so its calls carry no identity) may not call tools/ui:80: no Server guards that port, so namespace tools's default inbound policy decides: all-authenticated admits only meshed clients")]
    [InlineData("all-authenticated", "", "apps/client", "tools/ui:80", 0, "allowed: apps/client (ServiceAccount client, identity client.apps.serviceaccount.identity.linkerd.cluster.local) may call tools/ui:80: no Server guards that port, so namespace tools's default inbound policy decides: all-authenticated admits every meshed client")]
    [InlineData("all-authenticated", "deny", "batch/job", "tools/ui:80", 1, "denied: batch/job (ServiceAccount job, not meshed: linkerd.io/inject is not enabled for its pods, so its calls carry no identity) may not call tools/ui:80: no Server guards that port, so its pods' default inbound policy decides: deny denies what no Server authorizes")]
    public void Check_access_knows_an_unmeshed_caller_and_the_default_inbound_policy(string namespacePolicy, string podPolicy, string from, string to, int code, string answer)
    {
        using var dir = new TempDir();
        var tools = (namespacePolicy.Length > 0 ? $"    proxy: {{defaultInboundPolicy: {namespacePolicy}}}\n" : "")
            + $"    services:\n      - {{name: ui, image: i, ports: [{{name: http, containerPort: 8080, servicePort: 80}}]{(podPolicy.Length > 0 ? $", proxy: {{defaultInboundPolicy: {podPolicy}}}" : "")}}}\n";
        var mesh = dir.Write("mesh.yaml", Mesh.Header + "namespaces:\n"
            + "  - name: shop\n    inject: enabled\n    policy: {mode: calls}\n    services:\n      - {name: web, image: i, ports: [{name: http, containerPort: 8080}]}\n"
            + "  - name: apps\n    inject: enabled\n    services:\n      - {name: client, image: i, calls: [shop/web, tools/ui]}\n"
            + "  - name: batch\n    services:\n      - {name: job, image: i}\n"
            + "  - name: tools\n    inject: enabled\n" + tools);
        var (exit, stdout, stderr) = Cli("check-access", mesh, "--from", from, "--to", to);
        Assert.True(code == exit, stderr);
        Assert.Equal(answer, stdout.TrimEnd());
    }

    /// <summary>Three clusters: east exports catalog (by the gateway or pod to pod) under calls policy, and cart not at all;
    /// west's client calls catalog (so west links east), west's other calls nothing, and its batch/job is not meshed; north
    /// is a source that links nothing.</summary>
    private static (int Code, string Out, string Err) CheckAcross(string export, string from, string to)
    {
        using var dir = new TempDir();
        const string head = "apiVersion: linkerd2gen.io/v1alpha1\nkind: Mesh\nmetadata:\n  name: ";
        var east = dir.Write("east.yaml", head + "east\npolicy: {mode: calls}\nnamespaces:\n  - name: shop\n    inject: enabled\n    services:\n"
            + $"      - {{name: catalog, image: i, ports: [{{name: http, containerPort: 8080}}], export: {export}}}\n"
            + "      - {name: search, image: i, ports: [{name: http, containerPort: 8080}], export: true, allow: [{namespace: apps}]}\n"
            + "      - {name: cart, image: i, ports: [{name: http, containerPort: 9000}], allow: [{namespace: apps}]}\nmulticluster:\n  role: target\n");
        var west = dir.Write("west.yaml", head + "west\nnamespaces:\n  - name: apps\n    inject: enabled\n    services:\n"
            + "      - {name: client, image: i, calls: [{cluster: east, namespace: shop, service: catalog}]}\n      - {name: other, image: i}\n"
            + "  - name: batch\n    services:\n      - {name: job, image: i}\nmulticluster:\n  role: source\n");
        var north = dir.Write("north.yaml", head + "north\nnamespaces:\n  - name: apps\n    inject: enabled\n    services:\n      - {name: client, image: i}\n"
            + "multicluster:\n  role: source\n");
        return Cli("check-access", east, west, north, "--from", from, "--to", to);
    }

    [Theory]
    // Pod to pod, the callee sees the caller's own identity: the declared caller only.
    [InlineData("remote-discovery", "west/apps/client", 0, "allowed: west/apps/client (ServiceAccount client, identity client.apps.serviceaccount.identity.linkerd.cluster.local) may call east/shop/catalog:8080 by its mirror catalog-east, pod to pod (with its own identity): Server catalog-http admits client.apps.serviceaccount.identity.linkerd.cluster.local")]
    [InlineData("remote-discovery", "west/apps/other", 1, "denied: west/apps/other (ServiceAccount other, identity other.apps.serviceaccount.identity.linkerd.cluster.local) may not call east/shop/catalog:8080 by its mirror catalog-east, pod to pod (with its own identity): Server catalog-http admits only client.apps.serviceaccount.identity.linkerd.cluster.local")]
    // Through the gateway, the callee sees the gateway's identity: any workload of a linked cluster gets in.
    [InlineData("true", "west/apps/other", 0, "allowed: west/apps/other (ServiceAccount other, identity other.apps.serviceaccount.identity.linkerd.cluster.local) may call east/shop/catalog:8080 by its mirror catalog-east, through the gateway of east (whose identity emissary-ingress.emissary.serviceaccount.identity.linkerd.cluster.local the call carries there): Server catalog-http admits emissary-ingress.emissary.serviceaccount.identity.linkerd.cluster.local")]
    // No link, no mirror: north reaches nothing of east, whatever east's policy says.
    [InlineData("true", "north/apps/client", 1, "denied: north/apps/client (ServiceAccount client, identity client.apps.serviceaccount.identity.linkerd.cluster.local) may not call east/shop/catalog:8080: north does not link east, so no mirror of it exists in north (a source links the clusters its remotes name and its workloads call)")]
    // Without a proxy there is no identity: the gateway's port requires one, and gateway-less mirrors are the proxy's to find.
    [InlineData("true", "west/batch/job", 1, "denied: west/batch/job (ServiceAccount job, not meshed: linkerd.io/inject is not enabled for its pods, so its calls carry no identity) may not call east/shop/catalog:8080: only a meshed workload reaches another cluster's mirror")]
    public void Check_access_answers_across_clusters_as_multicluster_carries_the_call(string export, string from, int code, string answer)
    {
        var (exit, stdout, stderr) = CheckAcross(export, from, "east/shop/catalog:8080");
        Assert.True(code == exit, stderr);
        Assert.Equal(answer, stdout.TrimEnd());
    }

    [Fact]
    public void Check_access_across_clusters_denies_what_is_not_exported_and_names_the_cluster_that_has_a_service()
    {
        // cart admits all of apps in east, but east does not export it: west has no mirror to call.
        var (exit, stdout, _) = CheckAcross("true", "west/apps/client", "east/shop/cart:9000");
        Assert.Equal(1, exit);
        Assert.EndsWith("may not call east/shop/cart:9000: east does not export shop/cart, so no linked cluster has a mirror of it", stdout.TrimEnd());
        // A link made for gateway-less exports only (west calls a remote-discovery export) mirrors none that goes through the gateway.
        var (gatewayLess, answer, _) = CheckAcross("remote-discovery", "west/apps/client", "east/shop/search:8080");
        Assert.Equal(1, gatewayLess);
        Assert.Contains("may not call east/shop/search:8080: west links east without its gateway (--gateway=false)", answer);
        Assert.Equal(0, CheckAcross("true", "west/apps/client", "east/shop/search:8080").Code);
        // Another cluster's Service is named with its cluster; unnamed, it is looked for in the caller's, and the hint says where it is.
        var (unnamed, _, stderr) = CheckAcross("true", "west/apps/client", "shop/catalog:8080");
        Assert.Equal(2, unnamed);
        Assert.Contains("L2G0517", stderr);
        Assert.Contains("hint: no Service shop/catalog in the bundle of west; cluster east has it: --to east/shop/catalog:8080", stderr);
        var (missing, _, unknownCluster) = CheckAcross("true", "south/apps/client", "east/shop/catalog:8080");
        Assert.Equal(2, missing);
        Assert.Contains("no cluster south in this run (its clusters: east, north, west)", unknownCluster);
    }

    [Fact]
    public void Mesh_md_draws_the_graph_and_explain_prints_its_table()
    {
        var bundle = Compiler.Compile([Example]).Bundles.Single();
        var mesh = bundle.Files["MESH.md"];
        Assert.Contains("```mermaid\nflowchart LR\n", mesh);
        Assert.Contains("  svc_emojivoto_vote_bot -->|\"calls\"| svc_emojivoto_web_svc\n", mesh);
        Assert.Contains("| emojivoto/emoji-svc | 8080 (grpc) | `web.emojivoto.serviceaccount.identity.linkerd.cluster.local` (calls of emojivoto/web) |\n", mesh);
        var (code, stdout, _) = Cli("explain", Example);
        Assert.Equal(0, code);
        Assert.Contains("## Who may call each port", stdout);
        Assert.Contains("| emojivoto/web-svc | 80 (http) |", stdout);
    }
}
