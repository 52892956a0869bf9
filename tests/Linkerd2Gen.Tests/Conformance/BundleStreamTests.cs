using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Render;
using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Write;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Tests.Conformance;

/// <summary>`render --stdout` prints what `kubectl kustomize` of the written bundle prints: the same objects, in the same order.</summary>
public class BundleStreamTests
{
    private static void AssertStreamIsKustomizeBuild(IReadOnlyList<string> meshFiles, string outRoot)
    {
        var result = Compiler.Compile(meshFiles, outRoot: outRoot);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        foreach (var bundle in result.Bundles)
        {
            BundleWriter.Write(bundle, outRoot, new Diagnostics.DiagnosticBag());
            var (code, kustomized, stderr) = Kubectl.Kustomize(Path.Combine(outRoot, bundle.Cluster));
            Assert.True(code == 0, stderr);
            Kubectl.AssertSameObjects(kustomized, BundleStream.Build(bundle, Path.Combine(outRoot, bundle.Cluster), built: result.Bases));
        }
    }

    // What a namespace base may use, all at once (a namespace, a prefix, a List, a component, replicas, a generator, a
    // patch whose target is a pattern and a selector, a replacement), meshed and streamed: the stream is what Kustomize builds of the
    // written bundle. (Together they found an order Kustomize keeps: a parent's generators before its components.)
    [KubectlFact]
    public void A_base_using_kustomize_features_together_streams_as_kustomize_builds_its_bundle()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", """
            namespace: shop
            namePrefix: p-
            resources: [app.yaml, list.yaml]
            components: [../tracing]
            replicas: [{name: api, count: 2}]
            configMapGenerator:
            - name: settings
              literals: ["H=<a & b>", A=1]
            patches:
            - target: {kind: Deploy.*, name: "(a+)+|api", labelSelector: "app in (api),!canary"}
              patch: '[{"op": "add", "path": "/spec/template/metadata/annotations/x", "value": "1"}]'
            replacements:
            - source: {kind: Service, name: api}
              targets:
              - select: {kind: Deployment}
                fieldPaths: ["spec.template.metadata.annotations.[example.com/service]"]
                options: {create: true}
            """);
        dir.Write("app/app.yaml", BaseManifests.File("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: api}\n", BaseManifests.Service("api", null),
            BaseManifests.Workload("api", null, podSpec: "serviceAccountName: api", container: "envFrom: [{configMapRef: {name: settings}}]", podAnnotations: "seed: s")
                .Replace("metadata: {name: api}", "metadata: {name: api, labels: {app: api, flag: yes}}")));
        dir.Write("app/list.yaml", "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: listed}}\n");
        dir.Write("tracing/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels: [{pairs: {tracing: enabled}}]\n");
        var mesh = dir.Write("mesh.yaml", Mesh.Header + "namespaces:\n  - name: shop\n    create: false\n    base: app/\n    inject: enabled\n"
            + "    services:\n      - {name: p-api, existing: true}\n");
        AssertStreamIsKustomizeBuild([mesh], dir.Combine("out"));
    }

    [Fact]
    public void The_stream_takes_the_bases_the_compile_built_and_builds_no_other_time()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [app.yaml]\n");
        dir.Write("app/app.yaml", BaseManifests.File(BaseManifests.Service("api", null), BaseManifests.Workload("api", null)));
        var mesh = dir.Write("mesh.yaml", Mesh.Header + "namespaces:\n  - name: shop\n    base: app/\n    services:\n      - {name: api, existing: true}\n");
        var result = Compiler.Compile([mesh], outRoot: dir.Combine("out"));
        var key = Assert.Single(result.Bases.Keys);
        Assert.Equal(Kubernetes.Kustomization.Key(dir.Combine("app")), key);
        // Given another build of that folder, the stream shows it: it did not read the folder again.
        var marker = new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "built-once" } };
        var objects = BundleStream.Objects(result.Bundles.Single(), dir.Combine("out", "test"), built: new Dictionary<string, Kubernetes.Kustomization.Built> { [key] = new([marker], []) });
        Assert.Contains(objects, o => o["metadata"]?["name"]?.ToString() == "built-once");
        Assert.DoesNotContain(objects, o => o["kind"]?.ToString() == "Deployment");
    }

    [KubectlFact]
    public void Every_example_streams_as_kustomize_builds_its_committed_bundle()
    {
        // The committed bundles in out/ are current (CI checks it), and a namespace's base is named relative to them.
        var outRoot = Path.Combine(Repo.Root, "out");
        foreach (var example in Directory.GetDirectories(Path.Combine(Repo.Root, "examples")).Order(StringComparer.Ordinal))
        {
            var result = Compiler.Compile(Directory.GetFiles(example, "*.yaml").Order(StringComparer.Ordinal).ToList(), outRoot: outRoot);
            Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
            Assert.NotEmpty(result.Bundles);
            foreach (var bundle in result.Bundles)
            {
                var (code, kustomized, stderr) = Kubectl.Kustomize(Path.Combine(outRoot, bundle.Cluster));
                Assert.True(code == 0, stderr);
                Kubectl.AssertSameObjects(kustomized, BundleStream.Build(bundle, Path.Combine(outRoot, bundle.Cluster), built: result.Bases));
            }
        }
    }

    [KubectlFact(needsConformance: true)]
    public void A_bundle_with_the_official_gateway_install_as_its_base_streams_patched_as_kustomize_builds_it()
    {
        using var dir = new TempDir();
        dir.Write("gateway/install.yaml", File.ReadAllText(Repo.EmissaryInstall));
        dir.Write("gateway/kustomization.yaml", "resources:\n- install.yaml\n");
        // A multicluster target: the gateway's Deployment (merge), its Service (merge, and RFC 6902 for the ports) are patched.
        var mesh = dir.Write("mesh.yaml", Mesh.Header + "gateway:\n  base: gateway\n"
            + "namespaces:\n  - name: shop\n    services:\n      - {name: web, image: i, ports: [{containerPort: 80}], routes: [{prefix: /}], export: true}\n"
            + "multicluster:\n  role: target\n");
        AssertStreamIsKustomizeBuild([mesh], dir.Combine("out"));
        var gateway = ManifestReader.Read(BundleStream.Build(Compiler.Compile([mesh], outRoot: dir.Combine("out")).Bundles.Single(), dir.Combine("out", "test")))
            .Single(o => o["kind"]?.ToString() == "Deployment" && o["metadata"]?["name"]?.ToString() == "emissary-ingress");
        Assert.Equal("enabled", gateway["spec"]?["template"]?["metadata"]?["annotations"]?["linkerd.io/inject"]?.ToString());
        var bundle = Compiler.Compile([mesh], outRoot: dir.Combine("out")).Bundles.Single();
        Assert.Contains(bundle.Files.Keys, k => k.StartsWith("patches/", StringComparison.Ordinal) && bundle.Files[k].TrimStart().StartsWith('['));
    }

    [Fact]
    public void Render_stdout_writes_nothing_and_refuses_options_that_write()
    {
        using var dir = new TempDir();
        var qotm = Path.Combine(Repo.Root, "examples", "qotm", "mesh.yaml");
        var (code, stdout, _) = InProcess.Cli(["render", "--stdout", qotm, "-o", dir.Combine("out")]);
        Assert.Equal(0, code);
        Assert.False(Directory.Exists(dir.Combine("out")));
        var objects = ManifestReader.Read(stdout);
        Assert.Equal("Namespace", objects[0]["kind"]?.ToString());
        Assert.Contains(objects, o => o["kind"]?.ToString() == "Mapping");

        var (refused, _, stderr) = InProcess.Cli(["render", "--stdout", "--check", qotm]);
        Assert.Equal(2, refused);
        Assert.Contains("L2G0518", stderr);
    }
}
