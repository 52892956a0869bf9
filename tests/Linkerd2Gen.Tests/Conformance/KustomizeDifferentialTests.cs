using System.Text.Json.Nodes;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Tests.Support;
using Xunit;

namespace Linkerd2Gen.Tests.Conformance;

/// <summary>
/// Our reading of a base against Kustomize's own, on kustomizations made up from a fixed list of choices (seeded, so
/// every run builds the same ones): an app's objects of many kinds, a base, an overlay and a top level each using some of
/// the transformers (prefixes and suffixes, namespaces, labels old and new, annotations, images, replicas, generators
/// merged and new, patches of every form and option, components, replacements, vars). Every object must come out field for
/// field as `kubectl kustomize` builds it; where Kustomize refuses the build, we must find an error too.
/// </summary>
public class KustomizeDifferentialTests
{
    private static readonly string[] AppObjects =
    [
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {app: web}}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n"
            + "  template:\n    metadata: {labels: {app: web}}\n    spec:\n      serviceAccountName: web\n      initContainers: [{name: init, image: busybox}]\n"
            + "      containers:\n      - {name: web, image: nginx:1.25, envFrom: [{configMapRef: {name: cfg}}], volumeMounts: [{name: data, mountPath: /d}]}\n"
            + "      volumes: [{name: data, persistentVolumeClaim: {claimName: data}}, {name: s, secret: {secretName: sec}}]\n",
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}\n",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: '1'}\n",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: sec}\nstringData: {p: x}\n",
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n",
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: job}\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n"
            + "        spec:\n          restartPolicy: Never\n          containers: [{name: job, image: nginx:1.25}]\n",
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: web\n  selector: {matchLabels: {app: db}}\n  template:\n"
            + "    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: postgres:16}]}\n"
            + "  volumeClaimTemplates: [{metadata: {name: pg}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}]\n",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}\n"
            + "subjects: [{kind: ServiceAccount, name: web}]\n",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: reader}\nrules: [{apiGroups: [''], resources: [pods], verbs: [get]}]\n",
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n"
            + "spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 1, maxReplicas: 3}\n",
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\n"
            + "spec: {rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}], tls: [{secretName: sec}]}\n",
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec: {minAvailable: 1, selector: {matchLabels: {app: web}}}\n",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web}\n"
            + "spec: {podSelector: {matchLabels: {app: web}}, ingress: [{from: [{podSelector: {matchLabels: {app: db}}}]}]}\n",
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\n"
            + "spec: {template: {spec: {restartPolicy: Never, containers: [{name: m, image: nginx:1.25, env: [{name: S, valueFrom: {secretKeyRef: {name: sec, key: p}}}]}]}}}\n",
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n"
            + "    spec: {serviceAccountName: web, containers: [{name: a, image: busybox:1}]}\n",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: crb}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n"
            + "subjects: [{kind: ServiceAccount, name: web, namespace: default}, {kind: ServiceAccount, name: web, namespace: other}]\n",
        "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: web, labels: {app: web}}\nspec: {selector: {matchLabels: {app: web}}, endpoints: [{port: http}]}\n",
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: hook}\nwebhooks:\n"
            + "- {name: hook.example.com, admissionReviewVersions: [v1], sideEffects: None, clientConfig: {service: {name: web, namespace: default, path: /v}}}\n",
        "apiVersion: v1\nkind: Service\nmetadata: {name: db, labels: {app: db}}\nspec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}\n",
        "apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata: {name: v1.metrics.example.com}\n"
            + "spec: {group: metrics.example.com, version: v1, groupPriorityMinimum: 100, versionPriority: 100, service: {name: web, namespace: default}}\n",
        // Where the base's vars (when it has them) are replaced: a whole port keeps its type; else they stay as written.
        // (Not in commonAnnotations: Kustomize shares one YAML node among the copies that transformer makes, so a var
        // replaced in an object's annotations is replaced, typed, in its pod template's copy too. Noted, not emulated.)
        "apiVersion: v1\nkind: Pod\nmetadata: {name: probe, annotations: {svc: \"$(WEB_SVC).$(WEB_NS)\"}}\nspec:\n  containers:\n"
            + "  - {name: p, image: busybox, args: [\"--target=$(WEB_SVC).$(WEB_NS):$(WEB_PORT)\", \"$(WEB_PORT)\"], env: [{name: PORT, value: \"$(WEB_PORT)\"}]}\n",
    ];

    [KubectlFact]
    public void Made_up_kustomizations_build_object_for_object_as_kubectl_kustomize_builds_them()
    {
        var failures = Enumerable.Range(5000, 300).Select(Differences).Where(d => d is not null).ToList();
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    // The same made-up apps as a namespace's base, meshed: the bundle's patches of their workloads must meet the objects
    // Kustomize builds (by their built names, in their built namespace), and render --stdout print what kubectl kustomize
    // builds of the written bundle. (Apps Kustomize refuses, or spread over no namespace or several, are left out.)
    [KubectlFact]
    public void Made_up_bases_meshed_stream_as_kubectl_kustomize_builds_their_bundles()
    {
        var streamed = 0;
        for (var seed = 0; seed < 45; seed++)
        {
            using var dir = new TempDir();
            var levels = WriteLevels(dir, seed);
            var (objects, findings) = Kustomization.Build(dir.Combine("top"));
            var namespaced = objects.Where(o => o["kind"]?.ToString() is not ("ClusterRoleBinding" or "APIService" or "ValidatingWebhookConfiguration"));
            if (findings.Count > 0 || namespaced.Select(o => o["metadata"]?["namespace"]?.ToString()).Distinct().ToList() is not [{ } ns]) continue;
            var mesh = dir.Write("mesh.yaml", Mesh.Header + $"namespaces:\n  - name: {ns}\n    create: false\n    base: top/\n    inject: enabled\n");
            var outRoot = dir.Combine("out");
            var result = Pipeline.Compiler.Compile([mesh], outRoot: outRoot);
            Assert.False(result.HasErrors, $"seed {seed}:\n{string.Join("---\n", levels)}{string.Join("\n", result.Diagnostics)}");
            var bundle = result.Bundles.Single();
            Write.BundleWriter.Write(bundle, outRoot, new Diagnostics.DiagnosticBag());
            var (code, kustomized, stderr) = Kubectl.Kustomize(Path.Combine(outRoot, bundle.Cluster));
            Assert.True(code == 0, $"seed {seed}:\n{string.Join("---\n", levels)}{stderr}");
            Kubectl.AssertSameObjects(kustomized, Render.BundleStream.Build(bundle, Path.Combine(outRoot, bundle.Cluster), built: result.Bases));
            streamed++;
        }
        Assert.True(streamed >= 10, $"only {streamed} of the made-up bases could be meshed");
    }

    /// <summary>What differs between Kustomize's build and ours for one seed's kustomizations, or null.</summary>
    private static string? Differences(int seed)
    {
        using var dir = new TempDir();
        var levels = WriteLevels(dir, seed);
        var (code, stdout, stderr) = Kubectl.Kustomize(dir.Combine("top"));
        var (ours, findings) = Kustomization.Build(dir.Combine("top"));
        var problems = new List<string>();
        if (code != 0)
        {
            if (!findings.Any(f => f.IsError)) problems.Add($"Kustomize refuses the build, we do not: {stderr.Trim()}");
        }
        else
        {
            static string Id(JsonObject o) => $"{o["kind"]} {o["metadata"]?["namespace"]}/{o["metadata"]?["name"]}";
            var theirs = Yaml.ManifestReader.Read(stdout).ToDictionary(Id);
            problems.AddRange(findings.Select(f => $"finding: {f.Problem}"));
            if (!theirs.Keys.Order(StringComparer.Ordinal).SequenceEqual(ours.Select(Id).Order(StringComparer.Ordinal)))
                problems.Add($"objects: kustomize {string.Join(", ", theirs.Keys.Order(StringComparer.Ordinal))}; ours {string.Join(", ", ours.Select(Id).Order(StringComparer.Ordinal))}");
            problems.AddRange(ours.Where(o => theirs.TryGetValue(Id(o), out var t) && !JsonNode.DeepEquals(t, o))
                .Select(o => $"{Id(o)}\n  kustomize: {theirs[Id(o)].ToJsonString()}\n  ours:      {o.ToJsonString()}"));
        }
        return problems.Count == 0 ? null : $"seed {seed}:\n{string.Join("---\n", levels)}{string.Join("\n", problems)}";
    }

    /// <summary>One seed's app (base/r.yaml), its three kustomizations (base, overlay, top; returned) and a component.</summary>
    private static string[] WriteLevels(TempDir dir, int seed)
    {
        var random = new Random(seed);
        bool Maybe(int oneIn) => random.Next(oneIn) == 0;
        string Pick(params string[] choices) => choices[random.Next(choices.Length)];
        // The Deployment and its Service always; each other object two times in three.
        dir.Write("base/r.yaml", string.Join("---\n", AppObjects.Where((_, i) => i < 2 || random.Next(3) > 0)));
        var levels = new[] { Base(), Overlay(), Top() };
        dir.Write("base/kustomization.yaml", levels[0]);
        dir.Write("overlay/kustomization.yaml", levels[1]);
        dir.Write("comp/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations: {feature: enabled}\npatches:\n"
            + "- target: {kind: Service}\n  patch: |\n    apiVersion: v1\n    kind: Service\n    metadata: {name: x, labels: {comp: \"yes\"}}\n");
        dir.Write("top/kustomization.yaml", levels[2]);
        return levels;

        string Base() => Lines(
            "resources: [r.yaml]",
            Maybe(2) ? $"namePrefix: {Pick("p-", "team-")}" : null,
            Maybe(2) ? $"nameSuffix: {Pick("-s", "-v2")}" : null,
            Maybe(2) ? $"namespace: {Pick("shop", "ops")}" : null,
            Maybe(3) ? "commonLabels: {team: shop}" : null,
            Maybe(3) ? "commonAnnotations: {owner: me}" : null,
            Maybe(3) ? $"labels: [{{pairs: {{tier: web}}, includeSelectors: {Pick("true", "false")}, includeTemplates: {Pick("true", "false")}}}]" : null,
            Maybe(3) ? "images: [{name: nginx, newTag: '1.27'}, {name: busybox, newName: registry.example.com/busybox"
                + Pick("", ", digest: sha256:0000000000000000000000000000000000000000000000000000000000000000") + "}]" : null,
            Maybe(3) ? "replicas: [{name: web, count: 5}]" : null,
            // A var's object is found by any id it has had (its name and namespace as written, after a prefix, after a
            // namespace; none being `default`), with no namespace asked meaning any.
            Maybe(2) ? $"vars:\n- {{name: WEB_SVC, objref: {{kind: Service, name: {Pick("web", "web", "p-web")}, apiVersion: v1{Pick("", "", ", namespace: default", ", namespace: shop", ", namespace: prod")}}}}}\n"
                + "- {name: WEB_PORT, objref: {kind: Service, name: web, apiVersion: v1}, fieldref: {fieldpath: 'spec.ports[0].port'}}\n"
                + $"- {{name: WEB_NS, objref: {{kind: Deployment, name: web, {Pick("group: apps, version: v1", "apiVersion: apps/v1")}}}, fieldref: {{fieldpath: metadata.namespace}}}}" : null);

        string Overlay() => Lines(
            "resources: [../base]",
            Maybe(2) ? $"namePrefix: {Pick("o-", "x-")}" : null,
            Maybe(3) ? $"nameSuffix: {Pick("-a", "-b")}" : null,
            Maybe(2) ? $"namespace: {Pick("prod", "shop")}" : null,
            Maybe(3) ? "commonLabels: {env: prod}" : null,
            // A target's namespace is matched with the object's as written or now (none being `default`).
            Maybe(3) ? $"patches:\n- target: {{kind: Deployment{Pick("", "", ", namespace: default", ", namespace: shop", ", namespace: \"d.*|ops\"")}}}\n  patch: |\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {{name: any}}\n"
                + "    spec: {template: {metadata: {annotations: {linkerd.io/inject: enabled}}}}" : null,
            Maybe(3) ? "configMapGenerator:\n- {name: cfg, behavior: merge, literals: [b=2]}\n- {name: extra, literals: [x=1]}" : null,
            Maybe(3) ? "secretGenerator:\n- {name: creds, literals: [u=admin]}" : null,
            Maybe(3) ? $"images: [{{name: nginx, newName: mirror.example.com/nginx, newTag: '{Pick("1.28", "stable")}'}}]" : null,
            Maybe(3) ? "replicas: [{name: web, count: 7}]" : null,
            Maybe(3) ? "labels: [{pairs: {stage: two}, includeTemplates: true}]" : null,
            Maybe(4) ? "patchesJson6902:\n- target: {group: apps, version: v1, kind: Deployment, name: web}\n"
                + "  patch: '[{\"op\": \"add\", \"path\": \"/spec/template/metadata/annotations\", \"value\": {\"x\": \"y\"}}]'" : null,
            Maybe(4) ? "patchesStrategicMerge:\n- |\n  apiVersion: v1\n  kind: Service\n  metadata: {name: web}\n  spec: {type: NodePort}" : null,
            Maybe(4) ? "components: [../comp]" : null);

        // (A top level that deletes an object others name is left out: Kustomize fixes names once, at the end, so what
        // named the deleted object keeps the name its base wrote; we follow renames level by level. Noted, not emulated.)
        string Top() => Lines(
            "resources: [../overlay]",
            Maybe(2) ? $"namePrefix: {Pick("top-", "z-")}" : null,
            Maybe(2) ? $"namespace: {Pick("edge", "shop")}" : null,
            // A selector finds an object by any id it has had (a name with the namespace it had then; none being `default`).
            Maybe(2) ? $"replacements:\n- source: {{kind: Service, name: {Pick("web", "web", "p-web", "o-p-web")}{Pick("", "", ", namespace: default", ", namespace: shop")}}}\n  targets:\n  - select: {{kind: Deployment}}\n    fieldPaths:\n"
                + "    - spec.template.metadata.annotations.[svc.example.com/name]\n    options: {create: true}\n"
                + "- source: {kind: Deployment, name: web, fieldPath: spec.template.spec.containers.0.image, options: {delimiter: ':', index: 1}}\n  targets:\n"
                + $"  - select: {{{Pick("labelSelector: app", "kind: StatefulSet", "annotationSelector: feature=enabled")}}}\n    reject: [{{kind: Deployment}}]\n"
                + "    fieldPaths: [\"spec.template.spec.containers.*.image\", \"spec.jobTemplate.spec.template.spec.containers.*.image\"]\n"
                + "    options: {delimiter: ':', index: 1}" : null,
            Maybe(3) ? "patches:\n- target: {kind: ServiceAccount}\n  options: {allowNameChange: true}\n  patch: |\n    apiVersion: v1\n    kind: ServiceAccount\n"
                + "    metadata: {name: identity}" : null,
            Maybe(3) ? $"patchesJson6902:\n- target: {{kind: {Pick("Deploy.*|StatefulSet", "DaemonSet|CronJob", ".*Set")}, {Pick("labelSelector: app", "name: \"(web|db|agent|.*job)\"", "annotationSelector: \"!missing\"")}}}\n"
                + "  patch: '[{\"op\": \"add\", \"path\": \"/metadata/labels/patched\", \"value\": \"yes\"}]'" : null,
            Maybe(3) ? "labels: [{pairs: {top: \"1\"}, includeSelectors: true}]" : null,
            // Entries apply one after another, imageTags after images: a name an earlier entry gave is matched by a later one.
            Maybe(3) ? $"images: [{{name: {Pick("nginx", "mirror.example.com/nginx")}, newName: web-image}}, {{name: web-image, newTag: '2'}}]" : null,
            Maybe(4) ? $"imageTags: [{{name: {Pick("web-image", "busybox", "postgres")}, newTag: '9'}}]" : null,
            Maybe(3) ? "commonAnnotations: {note: top}\nreplicas: [{name: db, count: 3}]\n"
                + "images: [{name: postgres, newName: pg, digest: 'sha256:1111111111111111111111111111111111111111111111111111111111111111'}]" : null,
            Maybe(4) ? "nameSuffix: -t\nconfigMapGenerator:\n- {name: topcfg, literals: [k=v], options: {disableNameSuffixHash: true, labels: {gen: \"1\"}}}" : null);
    }

    private static string Lines(params string?[] lines) => string.Join("\n", lines.OfType<string>()) + "\n";
}
