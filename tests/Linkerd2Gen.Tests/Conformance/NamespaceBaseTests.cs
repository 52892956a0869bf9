using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Write;

namespace Linkerd2Gen.Tests.Conformance;

/// <summary>namespaces[].base: the team's own manifests, included, read for existing services, meshed by patches.</summary>
public class NamespaceBaseTests
{
    private static string Example(string name) => Path.Combine(Repo.Root, "examples", name, "mesh.yaml");

    [KubectlFact]
    public void The_base_example_builds_with_every_workload_meshed_and_the_route_on_the_real_port()
    {
        using var dir = new TempDir();
        var result = Compiler.Compile([Example("emojivoto-base")], outRoot: dir.Path);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        BundleWriter.Write(result.Bundles.Single(), dir.Path, new Diagnostics.DiagnosticBag());
        var (code, stdout, stderr) = Kubectl.Kustomize(Path.Combine(dir.Path, "emojivoto-base"));
        Assert.True(code == 0, stderr);
        var docs = ReadBack.Documents(stdout);
        Assert.Equal("enabled", ReadBack.Object(docs, "Namespace", "emojivoto").Str("metadata", "annotations", "linkerd.io/inject"));
        foreach (var name in new[] { "web", "emoji", "voting", "vote-bot" })
        {
            Assert.Equal("enabled", ReadBack.Object(docs, "Deployment", name).Str("spec", "template", "metadata", "annotations", "linkerd.io/inject"));
        }
        Assert.Equal("web-svc.emojivoto:80", ReadBack.Object(docs, "Mapping", "web-svc").Str("spec", "service"));
    }

    [KubectlFact]
    public void The_native_example_builds_and_matches_the_base_examples_workloads()
    {
        using var dir = new TempDir();
        var native = Compiler.Compile([Example("emojivoto")]);
        Assert.False(native.HasErrors, string.Join("\n", native.Diagnostics));
        BundleWriter.Write(native.Bundles.Single(), dir.Path, new Diagnostics.DiagnosticBag());
        var (code, stdout, stderr) = Kubectl.Kustomize(Path.Combine(dir.Path, "emojivoto"));
        Assert.True(code == 0, stderr);
        var docs = ReadBack.Documents(stdout);
        // The same application, written natively: the same workloads, images, selectors and service accounts as its manifests.
        var (_, baseOut, _) = Kubectl.Kustomize(Path.Combine(Repo.Root, "examples", "emojivoto-base", "manifests"));
        var manifests = ReadBack.Documents(baseOut);
        foreach (var deployment in manifests.Where(d => d.Str("kind") == "Deployment"))
        {
            var name = deployment.Str("metadata", "name")!;
            var ours = ReadBack.Object(docs, "Deployment", name);
            foreach (var path in new[] { new[] { "spec", "replicas" }, ["spec", "selector", "matchLabels", "app"], ["spec", "template", "metadata", "labels", "app"],
                         ["spec", "template", "spec", "serviceAccountName"], ["spec", "template", "spec", "containers", "0", "name"], ["spec", "template", "spec", "containers", "0", "image"],
                         ["spec", "template", "spec", "containers", "0", "command", "0"], ["spec", "template", "spec", "containers", "0", "resources", "requests", "cpu"] })
            {
                Assert.True(deployment.Str(path) == ours.Str(path), $"{name} {string.Join(".", path)}: {deployment.Str(path)} vs {ours.Str(path)}");
            }
            // Every env variable and container port, field for field (in any order).
            string Pairs(YamlDotNet.RepresentationModel.YamlMappingNode d, string list, string key, string value) =>
                string.Join(",", ((d.At("spec", "template", "spec", "containers", "0", list) as YamlDotNet.RepresentationModel.YamlSequenceNode)?.Children ?? [])
                    .Select(e => $"{e.Str(key)}={e.Str(value)}").Order(StringComparer.Ordinal));
            Assert.Equal(Pairs(deployment, "env", "name", "value"), Pairs(ours, "env", "name", "value"));
            Assert.Equal(Pairs(deployment, "ports", "name", "containerPort"), Pairs(ours, "ports", "name", "containerPort"));
        }
    }

    /// <summary>A node agent on the host's network beside an app: Linkerd injects no pod with hostNetwork, whatever its
    /// annotations say.</summary>
    private static string HostNetworkBase(TempDir dir, string agentAnnotations = "")
    {
        dir.Write("node/kustomization.yaml", "resources:\n- app.yaml\n");
        dir.Write("node/app.yaml", BaseManifests.File(BaseManifests.Service("api", "ops"), BaseManifests.Workload("api", "ops", container: "ports: [{containerPort: 80}]"),
            BaseManifests.Service("agent", "ops", "{port: 9100}"),
            BaseManifests.Workload("agent", "ops", kind: "DaemonSet", podSpec: "hostNetwork: true", container: "ports: [{containerPort: 9100}]", podAnnotations: agentAnnotations)));
        return Mesh.Header + "namespaces:\n  - name: ops\n    create: false\n    base: node/\n    inject: enabled\n    policy: {mode: calls}\n"
            + "    services:\n      - {name: api, existing: true}\n      - {name: agent, existing: true, calls: [ops/api]}\n";
    }

    // Regression: a base's hostNetwork DaemonSet in a meshed namespace was taken as meshed: check-access allowed its calls
    // to a policed service by an identity its pods never have, and nothing said the policy would refuse them.
    [Fact]
    public void A_bases_workload_on_the_host_network_is_never_meshed_and_its_calls_carry_no_identity()
    {
        using var dir = new TempDir();
        var mesh = dir.Write("mesh.yaml", HostNetworkBase(dir));
        var found = Compiler.Compile([mesh], outRoot: dir.Combine("out")).Diagnostics;
        Assert.DoesNotContain(found, d => d.IsError);
        var never = Assert.Single(found, d => d.Code == "L2G0249");
        Assert.Equal((8, 11), (never.Location.Line, never.Location.Column)); // at the namespace's base
        Assert.Contains("the DaemonSet 'agent' in the base of namespace 'ops' is to be meshed, but Linkerd never injects its pods: hostNetwork is enabled", never.Message);
        var calls = Assert.Single(found, d => d.Code == "L2G0250");
        Assert.Equal("the calls of 'agent' carry no identity: Linkerd injects no proxy into its pods (hostNetwork is enabled), so the policy of 'ops/api' denies them", calls.Message);
        var (exit, answer, _) = InProcess.Cli(["check-access", mesh, "--from", "ops/agent", "--to", "ops/api:80"]);
        Assert.Equal(1, exit);
        Assert.StartsWith("denied: ops/agent (ServiceAccount default, not meshed: Linkerd injects no proxy into its pods (hostNetwork is enabled), so its calls carry no identity)", answer);
        // Kept outside the mesh on purpose (its own `linkerd.io/inject: disabled`): nothing to warn of but its calls.
        using var other = new TempDir();
        var disabled = Compiler.Compile([other.Write("mesh.yaml", HostNetworkBase(other, "linkerd.io/inject: disabled"))], outRoot: other.Combine("out")).Diagnostics;
        Assert.DoesNotContain(disabled, d => d.Code == "L2G0249");
        Assert.Single(disabled, d => d.Code == "L2G0250");
    }

    /// <summary>A base with what real applications run beside their Deployments: a CronJob (its pod template one level
    /// deeper) and a Job.</summary>
    private static string BatchBase(TempDir dir)
    {
        dir.Write("batch/kustomization.yaml", "resources:\n- app.yaml\n");
        dir.Write("batch/app.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: ops}\nspec: {selector: {app: api}, ports: [{port: 80}]}\n---\n"
            + "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: ops}\nspec:\n  selector: {matchLabels: {app: api}}\n"
            + "  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: api, image: i}]}\n"
            + "---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: backup, namespace: ops}\nspec:\n  schedule: '0 3 * * *'\n  jobTemplate:\n    spec:\n"
            + "      template:\n        metadata: {labels: {app: backup}}\n        spec: {restartPolicy: OnFailure, containers: [{name: backup, image: i}]}\n"
            + "---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate, namespace: ops}\nspec:\n  template:\n    spec: {restartPolicy: Never, containers: [{name: migrate, image: i}]}\n");
        return Mesh.Header + "linkerd: {version: \"2.18\"}\nnamespaces:\n  - name: ops\n    create: false\n    base: batch/\n    inject: enabled\n";
    }

    // Regression: a CronJob of a base got no patch, so where the Namespace is not the bundle's its pods went unmeshed.
    [KubectlFact]
    public void A_bases_cronjob_is_meshed_through_its_job_template()
    {
        using var dir = new TempDir();
        var result = Compiler.Compile([dir.Write("mesh.yaml", BatchBase(dir))], outRoot: dir.Combine("out"));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var bundle = result.Bundles.Single();
        Assert.Contains("existing/ops-cronjob-backup.json", bundle.Files.Keys);
        BundleWriter.Write(bundle, dir.Combine("out"), new DiagnosticBag());
        var (code, stdout, stderr) = Kubectl.Kustomize(dir.Combine("out", bundle.Cluster));
        Assert.True(code == 0, stderr);
        var docs = ReadBack.Documents(stdout);
        Assert.Equal("enabled", ReadBack.Object(docs, "CronJob", "backup").Str("spec", "jobTemplate", "spec", "template", "metadata", "annotations", "linkerd.io/inject"));
        Assert.Null(ReadBack.Object(docs, "CronJob", "backup").At("spec", "template")); // nothing written where a CronJob has no pod template
        // A Job's template cannot change once it exists (an apply would be refused): it is left as written, its pods meshed by
        // their namespace's annotation.
        Assert.DoesNotContain(bundle.Files.Keys, k => k.StartsWith("existing/ops-job-", StringComparison.Ordinal));
        Assert.Null(ReadBack.Object(docs, "Job", "migrate").At("spec", "template", "metadata", "annotations"));
        Assert.Equal("enabled", System.Text.Json.Nodes.JsonNode.Parse(bundle.Files["existing/namespace-ops.json"])!["metadata"]!["annotations"]!["linkerd.io/inject"]!.ToString());
        Assert.Equal("enabled", ReadBack.Object(docs, "Deployment", "api").Str("spec", "template", "metadata", "annotations", "linkerd.io/inject"));
        // check-access finds the CronJob as a caller, meshed by its patched job template, with its pods' ServiceAccount.
        var (exit, answer, err) = InProcess.Cli(["check-access", dir.Combine("mesh.yaml"), "--from", "ops/backup", "--to", "ops/api:80"]);
        Assert.True(exit == 0, err);
        Assert.StartsWith("allowed: ops/backup (ServiceAccount default, identity default.ops.serviceaccount.identity.linkerd.cluster.local) may call ops/api:80", answer);
    }

    // Regression: the patches of a base's workloads wrote every namespace annotation over the pod template's own, so a Job's
    // `linkerd.io/inject: disabled` (the usual way out of a proxy that never exits) became enabled, and a workload's own
    // proxy setting became the namespace's. Linkerd reads the pod's over the namespace's; so does the bundle now.
    [KubectlFact]
    public void A_bases_workload_keeps_the_annotations_its_own_pod_template_sets()
    {
        using var dir = new TempDir();
        var mesh = dir.Write("mesh.yaml", BatchBase(dir) + "    proxy: {logLevel: warn}\n");
        var app = dir.Combine("batch", "app.yaml");
        File.WriteAllText(app, File.ReadAllText(app)
            .Replace("    metadata: {labels: {app: api}}", "    metadata: {labels: {app: api}, annotations: {config.linkerd.io/proxy-log-level: debug}}")
            .Replace("  template:\n    spec: {restartPolicy: Never", "  template:\n    metadata: {annotations: {linkerd.io/inject: disabled}}\n    spec: {restartPolicy: Never"));
        var result = Compiler.Compile([mesh], outRoot: dir.Combine("out"));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var bundle = result.Bundles.Single();
        // The Deployment's patch adds what it lacks of the namespace's (inject), not what it sets itself (its log level).
        var added = System.Text.Json.Nodes.JsonNode.Parse(bundle.Files["existing/ops-deployment-api.json"])!["spec"]!["template"]!["metadata"]!["annotations"]!.AsObject();
        Assert.Equal(["linkerd.io/inject"], added.Select(a => a.Key));
        // The Job opted out: no warning that it never completes (the CronJob did not).
        Assert.Equal(["CronJob"], result.Diagnostics.Where(d => d.Code == "L2G0247").Select(d => d.Message.Split(' ')[1]));
        BundleWriter.Write(bundle, dir.Combine("out"), new DiagnosticBag());
        var (code, stdout, stderr) = Kubectl.Kustomize(dir.Combine("out", bundle.Cluster));
        Assert.True(code == 0, stderr);
        var docs = ReadBack.Documents(stdout);
        Assert.Equal("disabled", ReadBack.Object(docs, "Job", "migrate").Str("spec", "template", "metadata", "annotations", "linkerd.io/inject"));
        var api = ReadBack.Object(docs, "Deployment", "api");
        Assert.Equal("debug", api.Str("spec", "template", "metadata", "annotations", "config.linkerd.io/proxy-log-level"));
        Assert.Equal("enabled", api.Str("spec", "template", "metadata", "annotations", "linkerd.io/inject"));
        Assert.Equal("warn", ReadBack.Object(docs, "CronJob", "backup").Str("spec", "jobTemplate", "spec", "template", "metadata", "annotations", "config.linkerd.io/proxy-log-level"));
    }

    // Argo Rollouts: a Rollout with a pod template of its own is meshed like a Deployment; one that refers to a Deployment
    // (workloadRef) has no template to patch (writing one would make it invalid): its Deployment is meshed instead.
    [KubectlFact]
    public void A_bases_argo_rollout_is_meshed_through_its_own_template_or_its_deployments()
    {
        using var dir = new TempDir();
        var mesh = dir.Write("mesh.yaml", BatchBase(dir));
        dir.Write("batch/kustomization.yaml", "resources:\n- app.yaml\n- rollouts.yaml\n");
        dir.Write("batch/rollouts.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: web, namespace: ops}\nspec:\n"
            + "  selector: {matchLabels: {app: web}}\n  strategy: {canary: {steps: [{setWeight: 20}]}}\n"
            + "  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: i}]}\n"
            + "---\napiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: api-rollout, namespace: ops}\nspec:\n"
            + "  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: api}\n  strategy: {canary: {steps: [{setWeight: 20}]}}\n");
        var result = Compiler.Compile([mesh], outRoot: dir.Combine("out"));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var bundle = result.Bundles.Single();
        Assert.Contains("existing/ops-rollout-web.json", bundle.Files.Keys);
        Assert.DoesNotContain("existing/ops-rollout-api-rollout.json", bundle.Files.Keys);
        BundleWriter.Write(bundle, dir.Combine("out"), new DiagnosticBag());
        var (code, stdout, stderr) = Kubectl.Kustomize(dir.Combine("out", bundle.Cluster));
        Assert.True(code == 0, stderr);
        var docs = ReadBack.Documents(stdout);
        Assert.Equal("enabled", ReadBack.Object(docs, "Rollout", "web").Str("spec", "template", "metadata", "annotations", "linkerd.io/inject"));
        Assert.Null(ReadBack.Object(docs, "Rollout", "api-rollout").At("spec", "template"));
        Assert.Equal("enabled", ReadBack.Object(docs, "Deployment", "api").Str("spec", "template", "metadata", "annotations", "linkerd.io/inject"));
    }

    [Theory]
    [InlineData("2.18", "", true)]
    [InlineData("2.18", "    proxy: {nativeSidecar: true}\n", false)]
    [InlineData("2.20", "", false)] // native sidecars are the default from 2.20
    [InlineData("2.20", "    proxy: {nativeSidecar: false}\n", true)]
    public void A_meshed_job_of_a_base_without_native_sidecars_is_a_warning_that_its_pods_never_complete(string version, string proxy, bool warned)
    {
        using var dir = new TempDir();
        var mesh = dir.Write("mesh.yaml", BatchBase(dir).Replace("\"2.18\"", $"\"{version}\"") + proxy);
        var found = Compiler.Compile([mesh]).Diagnostics.Where(d => d.Code == "L2G0247").ToList();
        Assert.Equal(warned ? ["CronJob 'backup'", "Job 'migrate'"] : [], found.Select(d => d.Message[4..(d.Message.IndexOf('\'', d.Message.IndexOf('\'') + 1) + 1)]).Order(StringComparer.Ordinal));
        Assert.All(found, d => Assert.Equal((9, 11), (d.Location.Line, d.Location.Column))); // at `base`
    }

    [Fact]
    public void An_existing_service_the_base_lacks_a_route_port_it_lacks_and_a_namespace_it_creates_are_errors_with_what_the_base_has()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources:\n- app.yaml\n");
        dir.Write("app/app.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: web}\n  ports:\n  - {name: http, port: 80, targetPort: 8080}\n");
        var mesh = dir.Write("mesh.yaml", Mesh.Header + "namespaces:\n  - name: shop\n    base: app/\n    services:\n"
            + "      - {name: web, existing: true, routes: [{prefix: /, port: https}]}\n      - {name: api, existing: true, routes: [{prefix: /api/}]}\n");
        var diagnostics = Compiler.Compile([mesh]).Diagnostics;
        Assert.Equal(["L2G0234", "L2G0203", "L2G0235"], diagnostics.Select(d => d.Code));
        Assert.Equal((7, 11), (diagnostics[0].Location.Line, diagnostics[0].Location.Column)); // at base: create is not written
        Assert.Contains("http (80)", diagnostics[1].Hint);
        Assert.Equal("the base has the Services web", diagnostics[2].Hint);
        var missing = dir.Write("missing.yaml", Mesh.Header + "namespaces:\n  - name: shop\n    base: nowhere/\n");
        Assert.Equal("L2G0218", Assert.Single(Compiler.Compile([missing]).Diagnostics).Code);
    }

    // Regression: calls declared on an existing service were dropped without a word.
    [Fact]
    public void Calls_of_an_existing_service_use_its_bases_service_account_and_reach_the_bases_services()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources:\n- app.yaml\n");
        dir.Write("app/app.yaml", BaseManifests.File(BaseManifests.Service("web", "shop", "{name: http, port: 80, targetPort: 8080}"),
            BaseManifests.Workload("web", "shop", podSpec: "serviceAccountName: web-sa", container: "ports: [{containerPort: 8080}]"),
            BaseManifests.Service("db", "shop", "{port: 5432}")));
        var header = Mesh.Header + "policy: {mode: calls}\nnamespaces:\n  - name: shop\n    create: false\n    base: app/\n    services:\n"
            + "      - {name: web, existing: true, calls: [CALLS]}\n      - {name: cache, image: i, ports: [{containerPort: 6379}]}\n";
        var mesh = dir.Write("mesh.yaml", header.Replace("CALLS", "cache, db"));
        var result = Compiler.Compile([mesh]);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        // The base's Deployment names web-sa: that identity, and only it, may call the cache.
        var admitted = ReadBack.Object(Examples.Objects(result.Bundles.Single()), "MeshTLSAuthentication", "cache-port-6379");
        Assert.Equal("web-sa", admitted.Str("spec", "identityRefs", "0", "name"));
        Assert.Contains("svc_shop_web -->|\"calls\"| svc_shop_db", result.Bundles.Single().Files["MESH.md"]);

        var wrong = dir.Write("wrong.yaml", header.Replace("CALLS", "dbb"));
        var d = Assert.Single(Compiler.Compile([wrong]).Diagnostics, x => x.IsError);
        Assert.Equal("L2G0237", d.Code);
        Assert.Equal("services there: web, cache, db", d.Hint);

        // Without a base, nothing shows the identity of the existing service's pods.
        var unknown = Mesh.Header + "namespaces:\n  - name: shop\n    services:\n      - {name: web, existing: true, calls: [cache]}\n"
            + "      - {name: cache, image: i, ports: [{containerPort: 6379}]}\n";
        Assert.Equal("L2G0242", Assert.Single(Mesh.Diagnostics(unknown), x => x.IsError).Code);
    }

    // Regression: under policy.mode: calls, existing services got no Server, so their ports admitted any client.
    private const string GuardedBase = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: web, tier: front}\n  ports:\n"
        + "  - {name: http, port: 80, targetPort: web-http, appProtocol: kubernetes.io/h2c}\n  - {name: metrics, port: 9090, targetPort: 9091}\n"
        + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n"
        + "    metadata: {labels: {app: web, tier: front}}\n    spec:\n      serviceAccountName: web-sa\n      containers:\n"
        + "      - {name: web, image: i, ports: [{name: web-http, containerPort: 8080}, {containerPort: 9091}], readinessProbe: {httpGet: {path: /ready, port: web-http}}, livenessProbe: {tcpSocket: {port: 9091}}}\n"
        + "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: legacy\n  namespace: shop\nspec:\n  ports:\n  - {port: 80}\n";

    private static string GuardedMesh(string version) => Mesh.Header + $"linkerd: {{version: \"{version}\"}}\ngateway: {{hosts: [{{hostname: shop.example.com}}]}}\n"
        + "policy: {mode: calls}\nnamespaces:\n  - name: shop\n    create: false\n    base: app/\n    inject: enabled\n    services:\n"
        + "      - {name: web, existing: true, routes: [{prefix: /, hostname: shop.example.com, port: http}]}\n"
        + "      - {name: legacy, existing: true}\n"
        + "      - {name: client, image: i, calls: [web]}\n";

    [ConformanceFact]
    public void Under_calls_an_existing_service_its_base_shows_gets_a_server_on_the_pods_port_admitting_exactly_its_callers()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources:\n- app.yaml\n");
        dir.Write("app/app.yaml", GuardedBase);
        var result = Compiler.Compile([dir.Write("mesh.yaml", GuardedMesh("2.20"))]);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var objects = Examples.Objects(result.Bundles.Single());
        var servers = objects.Where(o => o.Str("kind") == "Server").ToList();
        // The Service's selector picks the pods; its targetPort (a name, or a number) is the pods' port.
        Assert.Equal(["web-http", "web-metrics"], servers.Select(o => o.Str("metadata", "name")));
        var http = servers[0];
        Assert.Equal(["app=web", "tier=front"], ((YamlDotNet.RepresentationModel.YamlMappingNode)http.At("spec", "podSelector", "matchLabels")!).Children
            .Select(kv => $"{kv.Key}={kv.Value}"));
        Assert.Equal("web-http", http.Str("spec", "port"));
        Assert.Equal("HTTP/2", http.Str("spec", "proxyProtocol"));
        var metrics = (YamlDotNet.RepresentationModel.YamlScalarNode)servers[1].At("spec", "port")!;
        Assert.Equal(("9091", YamlDotNet.Core.ScalarStyle.Plain), (metrics.Value, metrics.Style)); // a number, not the port named "9091"
        Assert.Null(servers[1].Str("spec", "proxyProtocol"));
        // Who may call: the gateway where the route goes, and the workload whose calls name the service, on every port.
        string Admitted(string name) => string.Join(",", ((YamlDotNet.RepresentationModel.YamlSequenceNode)ReadBack.Object(objects, "MeshTLSAuthentication", name)
            .At("spec", "identityRefs")!).Children.Select(r => r.Str("name")).Order(StringComparer.Ordinal));
        Assert.Equal("client,emissary-ingress", Admitted("web-http"));
        Assert.Equal("client", Admitted("web-metrics"));
        // A Service without a selector selects no pods: nothing to guard, and no Server that would select them all.
        Assert.DoesNotContain(servers, o => o.Str("metadata", "name")!.StartsWith("legacy", StringComparison.Ordinal));
        Assert.Contains("| shop/web | 9090 (metrics) | `client.shop", result.Bundles.Single().Files["MESH.md"]);
        // The base's pods probe the metrics port over TCP: Linkerd authorizes only httpGet probes by itself.
        var probe = Assert.Single(result.Diagnostics, d => d.Code == "L2G0240");
        Assert.Contains("a tcp probe of port 'metrics'", probe.Message);
        Assert.Equal((14, 21), (probe.Location.Line, probe.Location.Column)); // at web's `existing`
        OfficialSchemas.AssertValid(objects.Where(o => o.Str("apiVersion")!.StartsWith("policy.linkerd.io/", StringComparison.Ordinal)).ToList());
        // check-access reads the built bundle, the base's Service and workload included.
        var mesh = dir.Combine("mesh.yaml");
        var allowed = InProcess.Cli(["check-access", mesh, "--from", "shop/client", "--to", "shop/web:80"]);
        Assert.True(allowed.Code == 0, allowed.Out + allowed.Err);
        Assert.Contains("Server web-http admits client.shop", allowed.Out);
        var denied = InProcess.Cli(["check-access", mesh, "--from", "shop/web", "--to", "shop/web:9090"]);
        Assert.True(denied.Code == 1, denied.Out + denied.Err);
        Assert.StartsWith("denied: shop/web (ServiceAccount web-sa", denied.Out);

        // Linkerd 2.11 authorizes no probe by itself: the base's workload probes over HTTP, so its admin port is opened to the kubelet.
        var old = Compiler.Compile([dir.Write("old.yaml", GuardedMesh("2.11"))]);
        Assert.False(old.HasErrors, string.Join("\n", old.Diagnostics));
        var admin = ReadBack.Object(Examples.Objects(old.Bundles.Single()), "Server", "web-linkerd-admin");
        Assert.Equal(("linkerd-admin", "app"), (admin.Str("spec", "port"), ((YamlDotNet.RepresentationModel.YamlMappingNode)admin.At("spec", "podSelector", "matchLabels")!).Children.First().Key.ToString()));
        Assert.Contains(old.Diagnostics, d => d.Code == "L2G0241");
    }

    // Linkerd refuses a second Server on the same pods' port before 2.18 and enforces only the oldest from 2.18: a Service
    // and its headless twin over the same pods share one Server, admitting the callers of both.
    [Fact]
    public void Two_existing_services_over_the_same_pods_port_share_one_server_admitting_the_callers_of_both()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources:\n- app.yaml\n");
        var service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: NAME\n  namespace: shop\nspec:\n  clusterIP: IP\n  selector: {app: db}\n  ports:\n  - {name: sql, port: 5432, targetPort: sql}\n";
        dir.Write("app/app.yaml", service.Replace("NAME", "db").Replace("IP", "10.0.0.10") + "---\n" + service.Replace("NAME", "db-headless").Replace("IP", "None"));
        var mesh = dir.Write("mesh.yaml", Mesh.Header + "policy: {mode: calls}\nnamespaces:\n  - name: shop\n    create: false\n    base: app/\n    services:\n"
            + "      - {name: db, existing: true}\n      - {name: db-headless, existing: true}\n"
            + "      - {name: api, image: i, calls: [db]}\n      - {name: replicator, image: i, calls: [db-headless]}\n");
        var result = Compiler.Compile([mesh]);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var objects = Examples.Objects(result.Bundles.Single());
        var server = Assert.Single(objects, o => o.Str("kind") == "Server");
        Assert.Equal(("db-sql", "sql"), (server.Str("metadata", "name"), server.Str("spec", "port")));
        var admitted = ((YamlDotNet.RepresentationModel.YamlSequenceNode)ReadBack.Object(objects, "MeshTLSAuthentication", "db-sql").At("spec", "identityRefs")!).Children;
        Assert.Equal(["api", "replicator"], admitted.Select(r => r.Str("name")).Order(StringComparer.Ordinal));
        var picture = result.Bundles.Single().Files["MESH.md"];
        Assert.Contains("| shop/db | 5432 (sql) | `api.shop", picture);
        Assert.Contains("| shop/db-headless | 5432 (sql) | `api.shop", picture);
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == "L2G0239"); // both have callers
    }

    [Fact]
    public void Under_calls_an_existing_service_without_a_base_is_named_as_unguarded()
    {
        var text = Mesh.Header + "policy: {mode: calls}\nnamespaces:\n  - name: shop\n    services:\n      - name: web\n        existing: true\n"
            + "      - {name: client, image: i, calls: [web]}\n";
        var d = Mesh.Single(text, "L2G0243");
        Assert.Equal(Severity.Warning, d.Severity);
        Assert.Equal((10, 9), (d.Location.Line, d.Location.Column)); // at `existing`
        Assert.DoesNotContain(Examples.Objects(Mesh.Compile(text).Bundles.Single()), o => o.Str("kind") == "Server" && o.Str("metadata", "name")!.StartsWith("web", StringComparison.Ordinal));
    }
}
