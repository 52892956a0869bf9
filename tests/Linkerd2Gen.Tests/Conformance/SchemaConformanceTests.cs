using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Conformance;

/// <summary>Every object a bundle owns is valid against the official (strict) schema of its kind.</summary>
public class SchemaConformanceTests
{
    [ConformanceFact]
    public void Every_object_of_the_qotm_bundle_is_valid()
    {
        var objects = Examples.Objects(Examples.Qotm);
        Assert.Equal(["Deployment", "Listener", "Listener", "Mapping", "Namespace", "Service", "ServiceAccount"], objects.Select(o => o.Str("kind")!).Order());
        OfficialSchemas.AssertValid(objects);
    }

    [ConformanceFact]
    public void A_full_featured_mesh_renders_only_valid_objects()
    {
        var result = Mesh.Compile(FullMesh.Text);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var objects = Examples.Objects(result.Bundles.Single());
        Assert.Contains(objects, o => o.Str("kind") == "Host");
        OfficialSchemas.AssertValid(objects);
    }

    [ConformanceFact]
    public void Workloads_as_teams_write_them_are_valid_kubernetes_and_emissary_objects()
    {
        var mesh = Path.Combine(Repo.Root, "tests", "baselines", "workloads-as-teams-write-them", "mesh.yaml");
        var result = Linkerd2Gen.Pipeline.Compiler.Compile([mesh]);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var objects = Examples.Objects(result.Bundles.Single());
        // ../shared has schemas for these kinds; StatefulSets and DaemonSets share the pod template checked in the Deployment.
        var checkable = objects.Where(o => o.Str("kind") is "Deployment" or "Service" or "Mapping" or "Namespace" or "ServiceAccount").ToList();
        Assert.Equal(["Deployment", "Deployment", "Deployment", "Mapping", "Mapping", "Namespace", "Service", "Service", "Service", "Service", "ServiceAccount", "ServiceAccount", "ServiceAccount", "ServiceAccount"],
            checkable.Select(o => o.Str("kind")!).Order(StringComparer.Ordinal));
        OfficialSchemas.AssertValid(checkable);
    }

    [ConformanceTheory]
    [InlineData("emojivoto")]
    [InlineData("emojivoto-base")]
    public void Every_object_of_the_emojivoto_bundles_is_valid(string example)
    {
        var result = Linkerd2Gen.Pipeline.Compiler.Compile([Path.Combine(Repo.Root, "examples", example, "mesh.yaml")]);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var objects = Examples.Objects(result.Bundles.Single());
        Assert.NotEmpty(objects);
        OfficialSchemas.AssertValid(objects);
    }

    [ConformanceFact]
    public void A_patched_workload_is_a_valid_deployment()
    {
        var mesh = Path.Combine(Repo.Root, "tests", "baselines", "workload-patch", "mesh.yaml");
        var result = Linkerd2Gen.Pipeline.Compiler.Compile([mesh]);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var deployment = Examples.Objects(result.Bundles.Single()).Single(o => o.Str("kind") == "Deployment");
        Assert.Empty(OfficialSchemas.Errors(deployment));
        Assert.Equal("cache", deployment.Str("spec", "template", "spec", "containers", "0", "volumeMounts", "0", "name"));
    }

    [ConformanceFact]
    public void The_official_schemas_reject_what_they_should()
    {
        // A check of the check: a misspelt field and a string ambassador_id fail, so a pass above means something.
        var bad = ReadBack.Documents("apiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: m}\nspec: {prefix: /, service: s, hostnme: '*', ambassador_id: x}\n").Single();
        Assert.True(OfficialSchemas.Errors(bad).Count >= 2);
        var deployment = ReadBack.Documents("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: '1', selector: {}, template: {}}\n").Single();
        Assert.NotEmpty(OfficialSchemas.Errors(deployment));
    }
}

/// <summary>A mesh that uses most of the input contract, for conformance and kustomize tests.</summary>
public static class FullMesh
{
    public const string Text = """
        apiVersion: linkerd2gen.io/v1alpha1
        kind: Mesh
        metadata:
          name: full
        linkerd:
          version: "2.18"
        gateway:
          flavor: emissary
          linkerdHeaders: module
          ambassadorId: [default]
          proxy: {cpuRequest: 100m, memoryLimit: 250Mi, logLevel: "warn,linkerd=info"}
          hosts:
            - hostname: host.example.com
              tlsSecret: {name: host-cert}
            - hostname: "*.internal.example.com"
              insecure: Route
        namespaces:
          - name: shop
            inject: enabled
            proxy: {defaultInboundPolicy: all-authenticated}
            services:
              - name: web
                image: ghcr.io/example/web:2.0
                replicas: 3
                serviceAccount: web
                command: [/bin/web]
                args: ["--port", "8080", "--greeting", "yes"]
                ports:
                  - {name: http, containerPort: 8080, servicePort: 80}
                  - {name: grpc, containerPort: 9090, servicePort: 9090}
                env:
                  POD_IP: {fieldRef: status.podIP}
                  DB_PASSWORD: {secretKeyRef: {name: db, key: password}}
                  MODE: {configMapKeyRef: {name: web, key: mode}}
                  ENABLED: "yes"
                  RETRIES: 3
                readiness: {path: /ready, port: http, periodSeconds: 5}
                liveness: {path: /live, port: 8080, failureThreshold: 3, timeoutSeconds: 2}
                resources: {limits: {cpu: 1, memory: 256Mi}, requests: {cpu: 100m, memory: 64Mi}}
                proxy: {skipOutboundPorts: [5432], opaquePorts: [3306, "8100-8102"], await: true}
                routes:
                  - {prefix: /web/, hostname: host.example.com, rewrite: /, timeoutMs: 5000}
                  - {prefix: /grpc/, port: 9090}
              - name: legacy-api
                existing: true
                ports: [{servicePort: 8080}]
                routes: [{prefix: /legacy/}]
          - name: empty
            create: false
        """;
}
