using System.Text.Json;
using System.Text.Json.Nodes;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Write;

namespace Linkerd2Gen.Tests.Conformance;

/// <summary>A base read as Kustomize builds it, checked against Kustomize itself (`kubectl kustomize`): an overlay of a
/// base folder, with a namespace, a name prefix and suffix, patches of each kind and a component.</summary>
public class KustomizationTests
{
    private static void Overlay(TempDir dir)
    {
        dir.Write("base/kustomization.yaml", "resources:\n- app.yaml\n- ns.yaml\nconfigMapGenerator:\n- {name: settings, literals: [mode=prod]}\n");
        dir.Write("base/app.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, labels: {app: api}}
            spec:
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec: {containers: [{name: api, image: i, ports: [{name: http, containerPort: 8080}], envFrom: [{configMapRef: {name: settings}}]}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: api, namespace: elsewhere}
            spec: {selector: {app: api}, ports: [{name: http, port: 80, targetPort: http}]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: reader}
            rules: []
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              serviceName: db
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {containers: [{name: db, image: i}]}
              volumeClaimTemplates:
              - metadata: {name: data}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: api}
            spec: {minAvailable: 1, selector: {matchLabels: {app: api}}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: api}
            spec:
              podSelector: {matchLabels: {app: api}}
              ingress:
              - from: [{podSelector: {matchLabels: {app: web}}}, {namespaceSelector: {matchLabels: {zone: a}}}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: upstream}
            spec: {type: ExternalName, externalName: upstream.example.com}
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: backup}
            spec:
              schedule: "0 3 * * *"
              jobTemplate:
                spec:
                  template:
                    spec: {restartPolicy: Never, containers: [{name: b, image: i}]}
            """);
        dir.Write("base/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
        dir.Write("base/unlisted.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: not-a-resource}\n"); // not in resources: not built
        dir.Write("overlay/kustomization.yaml", """
            namespace: prod
            namePrefix: p-
            nameSuffix: -x
            images:
            - {name: i, newTag: "2"}
            - {name: registry.example.com:5000/j, newName: ghcr.io/acme/j, digest: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
            commonLabels: {team: shop}
            commonAnnotations: {owner: platform}
            labels:
            - pairs: {tier: backend}
            - pairs: {sel: "y"}
              includeSelectors: true
            - pairs: {tpl: "y"}
              includeTemplates: true
            resources:
            - ../base
            - worker.yaml
            components:
            - ../extra
            patches:
            - path: inject.yaml
            - target: {kind: Service, name: api}
              patch: |-
                # the Service's port, as the overlay's environment wants it
                - op: replace
                  path: /spec/ports/0/port
                  value: 8080
            patchesStrategicMerge:
            - |-
              apiVersion: apps/v1
              kind: Deployment
              metadata: {name: worker}
              spec: {replicas: 3}
            """);
        dir.Write("overlay/worker.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: worker}\nspec:\n  selector: {matchLabels: {app: worker}}\n"
            + "  template:\n    metadata: {labels: {app: worker}}\n    spec: {containers: [{name: worker, image: i}]}\n");
        dir.Write("overlay/inject.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    metadata: {annotations: {linkerd.io/inject: disabled}}\n");
        dir.Write("extra/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- job.yaml\n");
        dir.Write("extra/job.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n    spec: {restartPolicy: Never, containers: [{name: m, image: \"registry.example.com:5000/j:1\"}]}\n");
    }

    private static string Id(JsonObject o) => $"{o["kind"]} {o["metadata"]?["namespace"]}/{o["metadata"]?["name"]}";

    /// <summary>Our build of a folder is Kustomize's, object for object and field for field.</summary>
    private static void AssertBuiltAsKustomize(string folder)
    {
        var (code, stdout, stderr) = Kubectl.Kustomize(folder);
        Assert.True(code == 0, stderr);
        var theirs = Yaml.ManifestReader.Read(stdout).ToDictionary(Id);
        var (ours, findings) = Kustomization.Build(folder);
        Assert.Empty(findings);
        Assert.Equal(theirs.Keys.Order(StringComparer.Ordinal), ours.Select(Id).Order(StringComparer.Ordinal));
        foreach (var o in ours)
        {
            Assert.True(JsonNode.DeepEquals(theirs[Id(o)], o), $"{Id(o)}:\nkustomize: {theirs[Id(o)].ToJsonString()}\nours:      {o.ToJsonString()}");
        }
    }

    /// <summary>Kustomize refuses to build the folder, and our build of it has these errors (and no other).</summary>
    private static void AssertRefusedAsKustomize(string folder, params string[] errors)
    {
        Assert.NotEqual(0, Kubectl.Kustomize(folder).ExitCode);
        Assert.Equal(errors, Kustomization.Build(folder).Findings.Where(f => f.IsError).Select(f => f.Problem));
    }

    [KubectlFact]
    public void An_overlay_is_read_object_for_object_as_kustomize_builds_it()
    {
        using var dir = new TempDir();
        Overlay(dir);
        AssertBuiltAsKustomize(dir.Combine("overlay"));
    }

    [KubectlFact]
    public void Labels_only_on_objects_leave_selectors_and_templates_as_they_are()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\nlabels:\n- pairs: {tier: backend}\n");
        dir.Write("app/r.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec: {restartPolicy: Never, containers: [{name: m, image: i}]}\n"
            + "---\napiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName, externalName: example.com}\n");
        AssertBuiltAsKustomize(dir.Combine("app"));
    }

    [KubectlFact]
    public void Yaml_1_1_booleans_in_a_base_stay_text_as_kustomize_reads_them()
    {
        // Kustomize reads with go-yaml v3: an unquoted `yes` is the text "yes" (written back quoted), where go-yaml v2 (and
        // kubectl apply) has true. Read as v2, such a label printed `true` under render --stdout.
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [d.yaml]\nnamespace: shop\n");
        dir.Write("app/d.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, labels: {app: api, canary: yes, legacy: N}, annotations: {sidecar: on}}
            spec:
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  automountServiceAccountToken: True
                  containers: [{name: api, image: i, env: [{name: DEBUG, value: off}, {name: RETRIES, value: 0x10}]}]
            """);
        AssertBuiltAsKustomize(dir.Combine("app"));
        var (objects, _) = Kustomization.Build(dir.Combine("app"));
        Assert.Equal("yes", objects.Single()["metadata"]!["labels"]!["canary"]!.GetValue<string>());
        Assert.True(objects.Single()["spec"]!["template"]!["spec"]!["automountServiceAccountToken"]!.GetValue<bool>());
    }

    [KubectlFact]
    public void Patch_targets_are_regular_expressions_and_label_and_annotation_selectors_as_in_kustomize()
    {
        using var dir = new TempDir();
        // Every pod template has annotations to add to; the last two patches are strategic merges with a target (their own
        // name is ignored, as Kustomize ignores it).
        string Workload(string kind, string name, string labels, string annotations) =>
            $"apiVersion: apps/v1\nkind: {kind}\nmetadata: {{name: {name}, labels: {{{labels}}}, annotations: {{{annotations}}}}}\n"
            + $"spec:\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}, annotations: {{seed: x}}}}\n"
            + "    spec: {containers: [{name: main, image: i}]}\n";
        dir.Write("app/r.yaml", string.Join("---\n", Workload("Deployment", "api", "tier: backend", "team: shop"),
            Workload("Deployment", "api-canary", "tier: backend, canary: 'true'", "team: shop"), Workload("Deployment", "web", "tier: frontend", "team: web"),
            Workload("Deployment", "worker", "tier: backend, rank: '3'", "team: ops"), Workload("StatefulSet", "apidb", "tier: backend", "team: shop")));
        string Add(string key) => $"'[{{\"op\": \"add\", \"path\": \"/spec/template/metadata/annotations/{key}\", \"value\": \"on\"}}]'";
        string Merge(string key) => $"'{{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"metadata\": {{\"name\": \"not-important\"}}, "
            + $"\"spec\": {{\"template\": {{\"metadata\": {{\"annotations\": {{\"{key}\": \"on\"}}}}}}}}}}'";
        dir.Write("app/kustomization.yaml", $"""
            resources: [r.yaml]
            patches:
            - target: {"{"}kind: Deployment, name: api.*{"}"}
              patch: {Add("by-name")}
            - target: {"{"}kind: Deploy.*|StatefulSet, name: api|apidb{"}"}
              patch: {Add("by-kind")}
            - target: {"{"}labelSelector: "tier in (backend),!canary"{"}"}
              patch: {Add("by-labels")}
            - target: {"{"}kind: Deployment, annotationSelector: team!=shop{"}"}
              patch: {Merge("by-annotations")}
            - target: {"{"}kind: Deployment, labelSelector: "rank>2"{"}"}
              patch: {Merge("by-rank")}
            """);
        AssertBuiltAsKustomize(dir.Combine("app"));
        var (objects, _) = Kustomization.Build(dir.Combine("app"));
        string Annotations(string name) => string.Join(",", (objects.Single(o => o["metadata"]!["name"]!.ToString() == name)["spec"]!["template"]!["metadata"]!["annotations"] as JsonObject ?? []).Select(a => a.Key).Where(k => k != "seed").Order(StringComparer.Ordinal));
        Assert.Equal("by-kind,by-labels,by-name", Annotations("api"));
        Assert.Equal("by-name", Annotations("api-canary"));
        Assert.Equal("by-annotations", Annotations("web"));
        Assert.Equal("by-annotations,by-labels,by-rank", Annotations("worker"));
        Assert.Equal("by-kind,by-labels", Annotations("apidb"));
    }

    [KubectlFact]
    public void Fields_that_name_a_renamed_object_follow_it_as_in_kustomize()
    {
        // A base with its own prefix, under an overlay with another and a namespace: the pod's ServiceAccount (its Linkerd
        // identity), its ConfigMap, Secret and claim, a StatefulSet's Service, a binding's role and subjects, an
        // autoscaler's target and an Ingress's backend all follow; names of nothing in the build stay. A List's items are
        // resources of their own.
        using var dir = new TempDir();
        dir.Write("base/kustomization.yaml", "namePrefix: b-\nresources: [app.yaml, list.yaml]\n");
        dir.Write("base/app.yaml", """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: api}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api}
            spec:
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  serviceAccountName: api
                  imagePullSecrets: [{name: pull}, {name: not-here}]
                  volumes:
                  - {name: c, configMap: {name: settings}}
                  - {name: s, secret: {secretName: keys}}
                  - {name: d, persistentVolumeClaim: {claimName: data}}
                  - {name: p, projected: {sources: [{configMap: {name: settings}}, {secret: {name: keys}}]}}
                  initContainers: [{name: init, image: i, envFrom: [{configMapRef: {name: settings}}]}]
                  containers:
                  - name: api
                    image: i
                    envFrom: [{secretRef: {name: keys}}]
                    env: [{name: A, valueFrom: {configMapKeyRef: {name: settings, key: a}}}, {name: B, valueFrom: {secretKeyRef: {name: other, key: b}}}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: db}
            spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              serviceName: db
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec: {serviceAccount: api, containers: [{name: db, image: i}]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: reader}
            rules: []
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: api-reads}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
            subjects: [{kind: ServiceAccount, name: api}, {kind: ServiceAccount, name: ci, namespace: tools}, {kind: User, name: api, apiGroup: rbac.authorization.k8s.io}]
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: api}
            spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}, minReplicas: 1, maxReplicas: 3}
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web}
            spec:
              tls: [{hosts: [example.com], secretName: keys}]
              defaultBackend: {service: {name: db, port: {number: 5432}}}
              rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: db, port: {number: 5432}}}}]}}]
            """);
        dir.Write("base/list.yaml", """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: ConfigMap, metadata: {name: settings}, data: {a: "1"}}
            - apiVersion: v1
              kind: SecretList
              items:
              - {apiVersion: v1, kind: Secret, metadata: {name: keys}}
              - {apiVersion: v1, kind: Secret, metadata: {name: pull}}
            - {apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}
            """);
        dir.Write("overlay/kustomization.yaml", "namespace: shop\nnamePrefix: o-\nresources: [../base]\n");
        AssertBuiltAsKustomize(dir.Combine("overlay"));
        var (objects, _) = Kustomization.Build(dir.Combine("overlay"));
        var api = objects.Single(o => o["kind"]!.ToString() == "Deployment");
        Assert.Equal("o-b-api", api["spec"]!["template"]!["spec"]!["serviceAccountName"]!.ToString());
        Assert.Equal("o-b-settings", api["spec"]!["template"]!["spec"]!["volumes"]![0]!["configMap"]!["name"]!.ToString());
    }

    [KubectlFact]
    public void ConfigMap_and_Secret_generators_are_built_as_in_kustomize_their_hashed_names_followed()
    {
        // Literals (one quoted), files (by their name, and under a key of their own; one not UTF-8), an env file (a comment,
        // a blank line, a spaced key, a line without '='), a TLS Secret; an overlay that merges into the base's ConfigMap,
        // adds one without a hash, labels what it generates; the workload's references follow the hashed names.
        using var dir = new TempDir();
        dir.Write("base/kustomization.yaml", """
            namePrefix: b-
            labels: [{pairs: {team: shop}}]
            resources: [d.yaml]
            configMapGenerator:
            - name: settings
              literals: [A=1, "B=two words", "Q=\"quoted value\"", "H=<a & b>"]
              files: [conf.txt, renamed.ini=other.txt, logo.bin]
              envs: [vars.env]
            secretGenerator:
            - name: keys
              literals: [token=abc<&>]
            - name: tls
              type: kubernetes.io/tls
              files: [tls.crt, tls.key]
            """);
        dir.Write("base/conf.txt", "hello\nworld\n");
        dir.Write("base/other.txt", "x=1\n");
        File.WriteAllBytes(dir.Combine("base", "logo.bin"), [0x89, 0x50, 0x4e, 0x47, 0xff, 0x00, 0x01]);
        dir.Write("base/vars.env", "# comment\nC=3\nD = spaced\n\nE\n");
        dir.Write("base/tls.crt", "CRT");
        dir.Write("base/tls.key", "KEY");
        dir.Write("base/d.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api}
            spec:
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  volumes: [{name: c, configMap: {name: settings}}, {name: t, secret: {secretName: tls}}, {name: p, configMap: {name: plain}}]
                  containers: [{name: api, image: i, envFrom: [{secretRef: {name: keys}}]}]
            """);
        dir.Write("overlay/kustomization.yaml", """
            namespace: shop
            nameSuffix: -o
            resources: [../base]
            configMapGenerator:
            - name: settings
              behavior: merge
              literals: [A=override, Z=new]
            - name: plain
              literals: [k=v]
              options: {disableNameSuffixHash: true, labels: {gen: "yes"}, annotations: {note: x}}
            generatorOptions:
              labels: {generated: "true"}
            """);
        AssertBuiltAsKustomize(dir.Combine("overlay"));
        var (objects, _) = Kustomization.Build(dir.Combine("overlay"));
        var settings = objects.Single(o => o["kind"]!.ToString() == "ConfigMap" && o["metadata"]!["name"]!.ToString().StartsWith("b-settings-o-", StringComparison.Ordinal));
        Assert.Equal("override", settings["data"]!["A"]!.ToString());
        Assert.Equal(settings["metadata"]!["name"]!.ToString(), objects.Single(o => o["kind"]!.ToString() == "Deployment")["spec"]!["template"]!["spec"]!["volumes"]![0]!["configMap"]!["name"]!.ToString());
    }

    [Theory]
    // From `kubectl kustomize` (Kustomize 5.5): `configMapGenerator: [{name: settings, literals: [A=1]}]` makes
    // settings-89g4tffbfk; `secretGenerator: [{name: keys, literals: [token=abc]}]` makes keys-dbdgd77ct8.
    [InlineData("ConfigMap", "{\"data\": {\"A\": \"1\"}}", "89g4tffbfk")]
    [InlineData("Secret", "{\"type\": \"Opaque\", \"data\": {\"token\": \"YWJj\"}}", "dbdgd77ct8")]
    public void A_generated_objects_hash_is_kustomizes(string kind, string content, string hash)
    {
        var o = JsonNode.Parse(content)!.AsObject();
        o["kind"] = kind;
        Assert.Equal(hash, Generators.ContentHash(o));
    }

    [Fact]
    public void A_generator_reads_no_file_outside_its_folder_nor_one_that_is_not_there()
    {
        using var dir = new TempDir();
        dir.Write("secret.txt", "s");
        dir.Write("app/kustomization.yaml", "configMapGenerator:\n- {name: a, files: [../secret.txt]}\n- {name: b, files: [missing.txt]}\n- {name: c, literals: [novalue]}\n"
            + "- {name: d, behavior: merge, literals: [k=v]}\n");
        AssertBuildsNothing(dir.Combine("app"),
            (true, "generates from ../secret.txt, which is outside the kustomization's folder (Kustomize refuses it)"),
            (true, "generates from missing.txt, which is not there"),
            (true, "has the literal 'novalue', which is no key=value"),
            (true, "has a configMapGenerator entry that merges ConfigMap d, which no resource makes"));
    }

    /// <summary>The folder builds no object, and says so in these findings (error or not, and the problem), in this order.</summary>
    private static void AssertBuildsNothing(string folder, params (bool IsError, string Problem)[] expected)
    {
        var (objects, findings) = Kustomization.Build(folder);
        Assert.Empty(objects);
        Assert.Equal(expected, findings.Select(f => (f.IsError, f.Problem)));
    }

    // Regression: a base's name prefix renamed its ServiceAccount but not the pod template's serviceAccountName, so the
    // identity the bundle gave its pods (check-access, policy) was a ServiceAccount that did not exist.
    [Fact]
    public void A_prefixed_bases_pods_keep_their_renamed_service_account_as_identity()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "namespace: ops\nnamePrefix: t-\nresources: [app.yaml]\n");
        dir.Write("app/app.yaml", BaseManifests.File("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: backup}\n", BaseManifests.Service("api", null),
            BaseManifests.Workload("api", null), BaseManifests.Workload("backup", null, podSpec: "serviceAccountName: backup")));
        var mesh = dir.Write("mesh.yaml", Mesh.Header + "namespaces:\n  - name: ops\n    create: false\n    base: app/\n    inject: enabled\n");
        var (exit, answer, err) = InProcess.Cli(["check-access", mesh, "--from", "ops/t-backup", "--to", "ops/t-api:80"]);
        Assert.True(exit == 0, err);
        Assert.StartsWith("allowed: ops/t-backup (ServiceAccount t-backup, identity t-backup.ops.serviceaccount.identity.linkerd.cluster.local)", answer);
    }

    // A target's pattern is matched as Go's RE2 matches it: `(a+)+b` takes no exponential time on a long name (it would
    // with a backtracking engine), and a lookahead, which RE2 refuses, is refused here too.
    [Fact]
    public void A_target_pattern_is_matched_in_linear_time_and_what_RE2_refuses_is_refused()
    {
        using var dir = new TempDir();
        var name = new string('a', 200);
        dir.Write("app/r.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\n");
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\npatches:\n- target: {name: '(a+)+b'}\n  patch: '[{op: remove, path: /data}]'\n");
        var (objects, findings) = Kustomization.Build(dir.Combine("app"));
        Assert.Empty(findings);
        Assert.Equal(name, Assert.Single(objects)["metadata"]!["name"]!.ToString());
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\npatches:\n- target: {name: '(?=a)a+'}\n  patch: '[{op: remove, path: /data}]'\n");
        var refused = Assert.Single(Kustomization.Build(dir.Combine("app")).Findings);
        Assert.True(refused.IsError);
        Assert.Contains("the target's name '(?=a)a+' is no regular expression", refused.Problem);
    }

    // Regression: a manifest where YAML's parser ends a mapping right after a key (`- env:` then `  :`), or its scanner
    // stops (text after a document's end marker, an odd flow collection), made the base's reading throw an ArgumentException
    // or an InvalidOperationException, an internal error (L2G0999) for render and validate. It is the base's unreadable file.
    [Theory]
    [InlineData("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n      - env:\n        :\n", "a mapping ends after a key without its value")]
    [InlineData("...\n..\n", "the YAML cannot be read past here")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata: {name: api, labels: {a>-\nb: c}}\n", "the YAML cannot be read past here")]
    public void A_base_file_the_parser_cannot_read_whole_is_an_unreadable_file_not_an_internal_error(string manifest, string problem)
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\n");
        dir.Write("app/r.yaml", manifest);
        var finding = Assert.Single(Kustomization.Build(dir.Combine("app")).Findings);
        Assert.True(finding.IsError);
        Assert.Contains(problem, finding.Problem);
        var mesh = dir.Write("mesh.yaml", Mesh.Header + "namespaces:\n  - name: shop\n    create: false\n    base: app/\n    inject: enabled\n");
        var (code, _, stderr) = InProcess.Cli(["validate", mesh]);
        Assert.Equal(1, code);
        Assert.Contains("error L2G0221", stderr);
        Assert.DoesNotContain("internal error", stderr);
    }

    // Regression: a file of a base that is there but cannot be read (a link that loops) threw: an internal error
    // (L2G0999); one that never ends (a link to /dev/zero) was read until memory ran out. Each is the base's unreadable
    // file, whatever names it: a resource, a patch, the kustomization of a folder it includes, a generator's file.
    [Theory]
    [InlineData("resources: [bad.yaml]\n")]
    [InlineData("resources: [r.yaml]\npatches: [{path: bad.yaml}]\n")]
    [InlineData("resources: [r.yaml, sub]\n", "sub/kustomization.yaml")]
    [InlineData("resources: [r.yaml]\nconfigMapGenerator: [{name: c, files: [bad.yaml]}]\n")]
    [InlineData("resources: [r.yaml]\nconfigMapGenerator: [{name: c, envs: [bad.yaml]}]\n")]
    [InlineData("resources: [r.yaml]\nreplacements: [{path: bad.yaml}]\n")]
    public void A_base_file_that_cannot_be_read_or_never_ends_is_an_unreadable_file_not_an_internal_error(string kustomization, string bad = "bad.yaml")
    {
        foreach (var target in new[] { "loop", "/dev/zero" })
        {
            if (target.StartsWith('/') && !File.Exists(target)) continue; // no such device on this system
            using var dir = new TempDir();
            dir.Write("app/kustomization.yaml", kustomization);
            dir.Write("app/r.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: r}\n");
            Directory.CreateDirectory(dir.Combine("app", "sub"));
            File.CreateSymbolicLink(dir.Combine("app", bad), target == "loop" ? dir.Combine("app", bad) : target);
            var finding = Assert.Single(Kustomization.Build(dir.Combine("app")).Findings, f => f.IsError);
            Assert.Equal(dir.Combine("app", bad), finding.File);
            Assert.Contains(target == "loop" ? "Too many levels of symbolic links" : "it holds more than the limit of 256 MiB", finding.Problem);
        }
    }

    // Regression: text where Kubernetes wants a mapping (`spec: hello`, `roleRef: x`) in a base was an internal error
    // ("The node must be of type 'JsonObject'"). It is an error naming the object and the field (the API server refuses
    // such an object; Kustomize mostly too), and the object is read as it is, nothing written over its text.
    [Fact]
    public void A_base_object_with_text_where_a_mapping_belongs_is_an_error_naming_the_field_not_an_internal_error()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\nnamePrefix: p-\nlabels: [{pairs: {team: shop}, includeSelectors: true}]\n"
            + "patches:\n- target: {kind: Deployment, labelSelector: team=shop}\n  patch: '[{op: add, path: /metadata/annotations, value: {a: b}}]'\n");
        dir.Write("app/r.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, labels: none}\nspec: hello\n---\n"
            + "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec: {jobTemplate: 5}\n---\n"
            + "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\nroleRef: x\nsubjects: [5, {kind: ServiceAccount, name: s}]\n---\n"
            + "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: s}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {selector: 1, ports: [7]}\n");
        var (objects, findings) = Kustomization.Build(dir.Combine("app"));
        Assert.All(findings, f => Assert.True(f.IsError));
        Assert.Equal(["CronJob nightly: spec.jobTemplate", "Deployment api: metadata.labels", "Deployment api: spec", "RoleBinding rb: roleRef", "Service api: spec.selector"],
            findings.Select(f => f.Problem.Replace("has the ", "").Replace(" with text where Kubernetes wants a mapping", "").Replace(" (the API server refuses it)", "")).Order(StringComparer.Ordinal));
        Assert.Equal("hello", objects.Single(o => o["kind"]!.ToString() == "Deployment")["spec"]!.ToString());
        var mesh = dir.Write("mesh.yaml", Mesh.Header + "namespaces:\n  - name: shop\n    create: false\n    base: app/\n    inject: enabled\n");
        Assert.All(Compiler.Compile([mesh], outRoot: dir.Combine("out")).Diagnostics.Where(d => d.IsError), d => Assert.Equal("L2G0221", d.Code));
        var (code, stdout, stderr) = InProcess.Cli(["render", mesh, "--stdout", "-o", dir.Combine("out")]);
        Assert.Equal(1, code);
        Assert.Contains("error L2G0221", stderr);
        Assert.DoesNotContain("internal error", stderr);
        var (_, answer, err) = InProcess.Cli(["check-access", mesh, "--from", "shop/p-api", "--to", "shop/p-api:80"]);
        Assert.DoesNotContain("internal error", answer + err);
    }

    // Regression: a Component was built on its own, so its patches never reached the parent's Deployments (what
    // components are mostly for: an optional sidecar, a feature's annotations) and its labels missed them.
    [KubectlFact]
    public void A_component_patches_and_labels_what_its_parent_gathered_as_in_kustomize()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "namePrefix: p-\nresources: [app.yaml]\ncomponents: [../tracing, ../canary]\n"
            + "configMapGenerator: [{name: settings, literals: [a=b]}]\n");
        dir.Write("app/app.yaml", BaseManifests.File(BaseManifests.Service("api", null), BaseManifests.Workload("api", null, podAnnotations: "seed: x")));
        dir.Write("tracing/kustomization.yaml", """
            apiVersion: kustomize.config.k8s.io/v1alpha1
            kind: Component
            resources: [collector.yaml]
            labels: [{pairs: {tracing: enabled}}]
            patches:
            - target: {kind: Deployment}
              patch: '[{"op": "add", "path": "/spec/template/metadata/annotations/trace", "value": "yes"}]'
            """);
        dir.Write("tracing/collector.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: collector}\ndata: {endpoint: otel:4317}\n");
        dir.Write("canary/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"
            + "patches:\n- target: {kind: ConfigMap, name: collector}\n  patch: '[{\"op\": \"add\", \"path\": \"/data/canary\", \"value\": \"true\"}]'\n");
        AssertBuiltAsKustomize(dir.Combine("app"));
        var (objects, _) = Kustomization.Build(dir.Combine("app"));
        var api = objects.Single(o => o["kind"]!.ToString() == "Deployment");
        Assert.Equal("yes", api["spec"]!["template"]!["metadata"]!["annotations"]!["trace"]!.ToString());
        Assert.Equal("enabled", api["metadata"]!["labels"]!["tracing"]!.ToString());
        Assert.Equal("true", objects.Single(o => o["metadata"]!["name"]!.ToString() == "p-collector")["data"]!["canary"]!.ToString());
        // The parent's generators run before its components: their labels reach what it generates.
        Assert.Equal("enabled", objects.Single(o => o["metadata"]!["name"]!.ToString().StartsWith("p-settings-", StringComparison.Ordinal))["metadata"]!["labels"]!["tracing"]!.ToString());
    }

    [KubectlFact]
    public void Replica_counts_are_set_by_any_name_the_workload_had_as_in_kustomize()
    {
        // By the name as written (api), as the overlay received it (b-db), as it leaves it (o-b-rs); made if missing; not
        // on kinds Kustomize does not count (an Argo Rollout).
        using var dir = new TempDir();
        dir.Write("base/kustomization.yaml", "namePrefix: b-\nresources: [r.yaml]\n");
        dir.Write("base/r.yaml", BaseManifests.File(BaseManifests.Workload("api", null), BaseManifests.Workload("db", null, kind: "StatefulSet"),
            BaseManifests.Workload("rs", null, kind: "ReplicaSet"), "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: api}\nspec: {replicas: 1}\n"));
        dir.Write("overlay/kustomization.yaml", "namePrefix: o-\nresources: [../base]\nreplicas:\n- {name: api, count: 3}\n- {name: b-db, count: 2}\n- {name: o-b-rs, count: 4}\n");
        AssertBuiltAsKustomize(dir.Combine("overlay"));
        var (objects, _) = Kustomization.Build(dir.Combine("overlay"));
        Assert.Equal([("Deployment", "3"), ("ReplicaSet", "4"), ("Rollout", "1"), ("StatefulSet", "2")],
            objects.Select(o => (o["kind"]!.ToString(), o["spec"]!["replicas"]!.ToString())).Order());
    }

    private static void PrefixedBase(TempDir dir)
    {
        dir.Write("base/kustomization.yaml", "namePrefix: b-\nnamespace: one\nresources: [r.yaml]\n");
        dir.Write("base/r.yaml", BaseManifests.File(BaseManifests.Workload("web", null, podSpec: "serviceAccountName: web"), "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n"));
    }

    [KubectlFact]
    public void A_patch_naming_an_object_as_its_base_wrote_it_keeps_the_built_name_and_namespace_and_a_delete_patch_removes_the_object()
    {
        // Kustomize merges the patch, then gives the object back its own name and namespace: the patch's ("web", the name
        // before the base's prefix) only found it. `$patch: delete` at the top deletes the whole object.
        using var dir = new TempDir();
        PrefixedBase(dir);
        dir.Write("overlay/kustomization.yaml", "resources: [../base]\npatches:\n"
            + "- patch: |\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web, labels: {team: shop}}\n"
            + "- patch: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: settings}\n    $patch: delete\n");
        AssertBuiltAsKustomize(dir.Combine("overlay"));
        var (objects, _) = Kustomization.Build(dir.Combine("overlay"));
        Assert.Equal([("Deployment", "b-web", "one"), ("ServiceAccount", "b-web", "one")],
            objects.Select(o => (o["kind"]!.ToString(), o["metadata"]!["name"]!.ToString(), o["metadata"]!["namespace"]!.ToString())).Order());
    }

    [KubectlFact]
    public void Patch_options_let_a_patch_rename_an_object_or_change_its_kind_and_what_names_it_follows()
    {
        using var dir = new TempDir();
        PrefixedBase(dir);
        dir.Write("overlay/kustomization.yaml", "resources: [../base]\npatches:\n"
            + "- patch: |\n    apiVersion: v1\n    kind: ServiceAccount\n    metadata: {name: api-identity}\n  target: {kind: ServiceAccount}\n  options: {allowNameChange: true}\n"
            + "- patch: |\n    apiVersion: apps/v1\n    kind: StatefulSet\n    metadata: {name: not-important}\n  target: {kind: Deployment}\n  options: {allowKindChange: true}\n");
        AssertBuiltAsKustomize(dir.Combine("overlay"));
        var (objects, _) = Kustomization.Build(dir.Combine("overlay"));
        var workload = objects.Single(o => o["kind"]!.ToString() == "StatefulSet");
        Assert.Equal("b-web", workload["metadata"]!["name"]!.ToString());
        Assert.Equal("api-identity", workload["spec"]!["template"]!["spec"]!["serviceAccountName"]!.ToString());
    }

    [KubectlFact]
    public void A_patch_file_of_several_strategic_merges_patches_each_object_it_names_and_an_empty_patch_changes_nothing()
    {
        using var dir = new TempDir();
        PrefixedBase(dir);
        dir.Write("overlay/kustomization.yaml", "resources: [../base]\npatches:\n- path: both.yaml\n- path: empty.yaml\n  target: {kind: Deployment}\n");
        dir.Write("overlay/both.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {a: b}}\n---\n"
            + "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, labels: {c: d}}\n");
        dir.Write("overlay/empty.yaml", "");
        AssertBuiltAsKustomize(dir.Combine("overlay"));
    }

    [KubectlFact]
    public void Patches_kustomize_refuses_are_errors_of_the_base()
    {
        using var dir = new TempDir();
        PrefixedBase(dir);
        dir.Write("overlay/kustomization.yaml", "resources: [../base]\npatches:\n- path: both.yaml\n  target: {name: web}\n- path: text.yaml\n  target: {kind: Deployment}\n");
        dir.Write("overlay/both.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\n");
        dir.Write("overlay/text.yaml", "just text\n");
        AssertRefusedAsKustomize(dir.Combine("overlay"),
            "has a patch both.yaml of 2 strategic merges with a target (Kustomize refuses a target for several)",
            "has a patch text.yaml that is neither RFC 6902 operations nor a strategic merge patch");
    }

    [KubectlFact]
    public void A_generator_merged_into_a_resource_adds_no_empty_annotations_and_the_object_keeps_its_names()
    {
        // The merge left `annotations: {}` behind (the generator's only annotation was its internal hash mark), and the
        // merged object lost the name its base gave it, so a patch by that name no longer found it.
        using var dir = new TempDir();
        PrefixedBase(dir);
        dir.Write("overlay/kustomization.yaml", "resources: [../base]\nconfigMapGenerator:\n- {name: settings, namespace: one, behavior: merge, literals: [b=2]}\n");
        dir.Write("top/kustomization.yaml", "resources: [../overlay]\npatches:\n- patch: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: settings}\n    data: {c: \"3\"}\n");
        AssertBuiltAsKustomize(dir.Combine("overlay"));
        AssertBuiltAsKustomize(dir.Combine("top"));
    }

    [KubectlFact]
    public void A_strategic_merge_patch_naming_an_object_no_resource_makes_is_an_error_of_the_base()
    {
        using var dir = new TempDir();
        PrefixedBase(dir);
        dir.Write("overlay/kustomization.yaml", "resources: [../base]\npatches:\n- patch: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: missing}\n    data: {a: b}\n");
        AssertRefusedAsKustomize(dir.Combine("overlay"), "has an inline patch of the ConfigMap missing, which no resource makes (Kustomize refuses it)");
    }

    [KubectlFact]
    public void An_rfc_6902_operation_that_does_not_apply_and_a_legacy_json_patch_without_a_target_name_are_errors_of_the_base()
    {
        // The first was an internal error (the patch engine's exception escaped); the second was applied, where
        // patchesJson6902 requires the target's name.
        using var dir = new TempDir();
        PrefixedBase(dir);
        dir.Write("overlay/kustomization.yaml", "resources: [../base]\npatches:\n- target: {kind: ServiceAccount}\n"
            + "  patch: '[{\"op\": \"add\", \"path\": \"/metadata/labels/x\", \"value\": \"y\"}]'\n"
            + "patchesJson6902:\n- target: {kind: Deployment}\n  patch: '[{\"op\": \"add\", \"path\": \"/spec/paused\", \"value\": true}]'\n");
        AssertRefusedAsKustomize(dir.Combine("overlay"),
            "has an inline patch whose operations do not apply to the ServiceAccount b-web: For operation 'add', the target location specified by path '/metadata/labels/x' was not found.",
            "has an inline patch under patchesJson6902 without a target name (Kustomize refuses it there)");
    }

    [KubectlFact]
    public void Cluster_wide_objects_follow_a_renamed_service_and_account_and_legacy_json_patches_run_after_the_labels()
    {
        // Found by the differential test: a subject in the namespace `default` named an account of no namespace and was
        // not followed; webhooks' and an APIService's Services were not followed; an APIService was prefixed (its name
        // is its group's); patchesJson6902 ran before the labels, so adding to the labels map failed.
        using var dir = new TempDir();
        dir.Write("base/kustomization.yaml", "resources: [r.yaml]\n");
        dir.Write("base/r.yaml", BaseManifests.File(BaseManifests.Service("web", null), "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\n",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: crb}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n"
                + "subjects: [{kind: ServiceAccount, name: web, namespace: default}]\n",
            "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: hook}\nwebhooks:\n"
                + "- {name: hook.example.com, admissionReviewVersions: [v1], sideEffects: None, clientConfig: {service: {name: web, namespace: default}}}\n",
            "apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata: {name: v1.metrics.example.com}\n"
                + "spec: {group: metrics.example.com, version: v1, groupPriorityMinimum: 100, versionPriority: 100, service: {name: web, namespace: default}}\n"));
        dir.Write("overlay/kustomization.yaml", "resources: [../base]\nnamespace: shop\nnamePrefix: o-\nlabels: [{pairs: {team: shop}}]\n"
            + "patchesJson6902:\n- target: {kind: ServiceAccount, name: web}\n  patch: '[{\"op\": \"add\", \"path\": \"/metadata/labels/patched\", \"value\": \"yes\"}]'\n");
        AssertBuiltAsKustomize(dir.Combine("overlay"));
    }

    [KubectlFact]
    public void A_replica_count_for_what_is_no_workload_is_an_error_of_the_base()
    {
        // Found by the differential test: the count was dropped silently where Kustomize refuses the build.
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\nreplicas: [{name: db, count: 3}]\n");
        dir.Write("app/r.yaml", BaseManifests.Service("db", null));
        AssertRefusedAsKustomize(dir.Combine("app"),
            "has a replica count for db, which names no Deployment, StatefulSet, ReplicaSet or ReplicationController (Kustomize refuses it)");
    }

    [KubectlFact]
    public void Images_change_every_containers_list_of_any_object_as_kustomize_changes_them()
    {
        // Kustomize's image filter walks every list named containers or initContainers: a bare Pod's, a PodTemplate's, a
        // custom resource's at any depth; not ephemeralContainers, nor a field that is only named image (bug: only
        // workloads' pod templates were changed).
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\nimages: [{name: nginx, newTag: \"2\"}]\n");
        dir.Write("app/r.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec: {containers: [{name: a, image: nginx}], initContainers: [{name: b, image: "nginx:1"}], ephemeralContainers: [{name: e, image: nginx}]}
            ---
            apiVersion: example.com/v1
            kind: Thing
            metadata: {name: t}
            spec: {template: {spec: {containers: [{name: a, image: nginx}]}}, deep: {x: {containers: [{name: a, image: nginx}]}}, image: nginx}
            ---
            apiVersion: v1
            kind: PodTemplate
            metadata: {name: pt}
            template: {spec: {containers: [{name: a, image: nginx}]}}
            """ + "\n");
        AssertBuiltAsKustomize(dir.Combine("app"));
        var pod = Kustomization.Build(dir.Combine("app")).Objects.Single(o => o["kind"]!.ToString() == "Pod");
        Assert.Equal("nginx:2", pod["spec"]!["containers"]![0]!["image"]!.ToString());
    }

    [KubectlFact]
    public void Regression_image_entries_apply_one_after_another_images_then_imageTags_as_kustomize_applies_them()
    {
        // Bug: a container's image took the first entry naming it only, so an entry for the name an earlier one gave
        // (nginx renamed web, then web's tag) or a second entry for the same image changed nothing; and imageTags, the
        // field's old name that Kustomize still reads after images, was ignored.
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\nimages: [{name: nginx, newName: web}, {name: web, newTag: \"3\"}, {name: redis, newTag: \"6\"}]\n"
            + "imageTags: [{name: redis, newTag: \"7\"}, {name: busybox, digest: \"sha256:0000000000000000000000000000000000000000000000000000000000000000\"}]\n");
        dir.Write("app/r.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: nginx}, {name: b, image: redis}, {name: c, image: \"busybox:1\"}]}\n");
        AssertBuiltAsKustomize(dir.Combine("app"));
        Assert.Equal(["web:3", "redis:7", "busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000"],
            Kustomization.Build(dir.Combine("app")).Objects.Single()["spec"]!["containers"]!.AsArray().Select(c => c!["image"]!.ToString()));
    }

    [KubectlFact]
    public void A_kustomization_with_a_field_kustomize_does_not_know_is_refused_with_the_field_it_meant()
    {
        // Go's strict decoding refuses a field the Kustomization type lacks: `resource:` for `resources:` built nothing here.
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resource: [r.yaml]\nnamePrefx: x-\ninventory: {}\n");
        dir.Write("app/r.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
        AssertRefusedAsKustomize(dir.Combine("app"),
            "is not a kustomization Kustomize reads: it has no field resource (did you mean resources?)",
            "is not a kustomization Kustomize reads: it has no field namePrefx (did you mean namePrefix?)",
            "is not a kustomization Kustomize reads: it has no field inventory");
    }

    [KubectlFact]
    public void A_kustomization_file_is_read_as_kustomize_reads_it_yaml_1_1_and_a_repeated_key_taking_its_last_value()
    {
        // sigs.k8s.io/yaml: a key written twice takes its last value (we refused the file), and YAML 1.1 reads `yes` as
        // true, so a generator's option may say it (bug: both were read as go-yaml v3 reads manifests).
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\nnamePrefix: x-\nnamePrefix: y-\n"
            + "configMapGenerator:\n- {name: settings, literals: [a=b], options: {disableNameSuffixHash: yes}}\n");
        dir.Write("app/r.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
        AssertBuiltAsKustomize(dir.Combine("app"));
        Assert.Equal(["y-c", "y-settings"], Kustomization.Build(dir.Combine("app")).Objects.Select(o => o["metadata"]!["name"]!.ToString()).Order());
    }

    [KubectlFact]
    public void A_kustomization_whose_text_fields_yaml_1_1_reads_as_booleans_or_numbers_is_refused_as_kustomize_refuses_it()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\ncommonLabels: {enabled: yes}\nimages: [{name: nginx, newTag: 1.27}]\n"
            + "replicas: [{name: web, count: \"3\"}]\n");
        dir.Write("app/r.yaml", BaseManifests.File(BaseManifests.Workload("web", null)));
        AssertRefusedAsKustomize(dir.Combine("app"),
            "is not a kustomization Kustomize reads: commonLabels.enabled holds a boolean where it wants text (quote it: unquoted, YAML 1.1 reads it otherwise)",
            "is not a kustomization Kustomize reads: images[0].newTag holds a number where it wants text (quote it: unquoted, YAML 1.1 reads it otherwise)",
            "is not a kustomization Kustomize reads: replicas[0].count holds text where it wants a whole number");
    }

    [KubectlFact]
    public void A_patch_without_a_target_finds_its_object_by_an_id_it_had_at_some_step_as_kustomize_finds_it()
    {
        // Kustomize matches the patch's group, version, kind, name and namespace (none being `default`) against each id the
        // object had: as written (web, no namespace), after the base's namespace (web in shop), after its prefix (p-web in
        // shop). A name with a namespace it never had together, another version, or a namespace the file did not write,
        // finds nothing, and Kustomize refuses the build (bug: we matched the kind and any name, whatever the namespace).
        using var dir = new TempDir();
        dir.Write("base/kustomization.yaml", "namePrefix: p-\nnamespace: shop\nresources: [r.yaml]\n");
        dir.Write("base/r.yaml", BaseManifests.File(BaseManifests.Workload("web", null), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: prod}\n"));
        static string Patch(string apiVersion, string kind, string metadata) =>
            $"- patch: |\n    apiVersion: {apiVersion}\n    kind: {kind}\n    metadata: {{{metadata}, labels: {{patched: x}}}}\n";
        void Overlay(params string[] patches) => dir.Write("overlay/kustomization.yaml", "resources: [../base]\nnamePrefix: o-\npatches:\n" + string.Concat(patches));
        Overlay(Patch("apps/v1", "Deployment", "name: web"), Patch("apps/v1", "Deployment", "name: p-web, namespace: shop"),
            Patch("apps/v1", "Deployment", "name: web, namespace: shop"), Patch("v1", "ConfigMap", "name: cm, namespace: prod"));
        AssertBuiltAsKustomize(dir.Combine("overlay"));
        Assert.All(Kustomization.Build(dir.Combine("overlay")).Objects, o => Assert.Equal("x", o["metadata"]!["labels"]!["patched"]!.ToString()));
        foreach (var (patch, error) in new[]
        {
            (Patch("apps/v1beta1", "Deployment", "name: web"), "of the Deployment web, which no resource makes"),
            (Patch("apps/v1", "Deployment", "name: p-web"), "of the Deployment p-web, which no resource makes"),
            (Patch("v1", "ConfigMap", "name: cm"), "of the ConfigMap cm, which no resource makes"),
            (Patch("v1", "ConfigMap", "name: cm, namespace: default"), "of the ConfigMap cm in default, which no resource makes"),
        })
        {
            Overlay(patch);
            AssertRefusedAsKustomize(dir.Combine("overlay"), $"has an inline patch {error} (Kustomize refuses it)");
        }
    }

    [KubectlFact]
    public void Vars_are_replaced_once_the_whole_build_is_done_as_kustomize_replaces_them()
    {
        // kubebuilder's scaffold: the webhook's Service and Certificate named by vars in the base, their final names and
        // namespace (the overlay's prefix and namespace) written into annotations, args, env values, an Ingress and a
        // Service port; a port var written whole keeps its type, `$$` escapes, an unknown var stays as written.
        using var dir = new TempDir();
        dir.Write("base/kustomization.yaml", """
            namePrefix: p-
            resources: [r.yaml]
            vars:
            - name: SERVICE_NAME
              objref: {kind: Service, name: webhook-service, apiVersion: v1}
            - name: SERVICE_PORT
              objref: {kind: Service, name: webhook-service, apiVersion: v1}
              fieldref: {fieldpath: "spec.ports[0].port"}
            - name: CERTIFICATE_NAMESPACE
              objref: {kind: Certificate, group: cert-manager.io, version: v1, name: serving-cert}
              fieldref: {fieldpath: metadata.namespace}
            """ + "\n");
        dir.Write("base/r.yaml", """
            apiVersion: v1
            kind: Service
            metadata: {name: webhook-service, annotations: {a: "$(SERVICE_NAME).svc", b: "$(UNKNOWN)", c: "$$(SERVICE_NAME)"}}
            spec: {ports: [{port: 443, targetPort: "$(SERVICE_PORT)"}], selector: {app: manager}}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: serving-cert}
            spec: {dnsNames: ["$(SERVICE_NAME).$(CERTIFICATE_NAMESPACE).svc"], secretName: webhook-cert}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: manager}
            spec:
              selector: {matchLabels: {app: manager}}
              template:
                metadata: {labels: {app: manager}, annotations: {cert: "$(CERTIFICATE_NAMESPACE)/serving-cert"}}
                spec:
                  containers:
                  - name: manager
                    image: controller:latest
                    args: ["--webhook-host=$(SERVICE_NAME).$(CERTIFICATE_NAMESPACE).svc", "$(SERVICE_PORT)"]
                    env: [{name: PORT, value: "$(SERVICE_PORT)"}, {name: LITERAL, value: "$5 and $(x"}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web}
            spec:
              rules: [{host: "$(SERVICE_NAME).example.com"}]
              tls: [{hosts: ["$(SERVICE_NAME).example.com"], secretName: "$(SERVICE_NAME)-tls"}]
            """ + "\n");
        dir.Write("overlay/kustomization.yaml", "namespace: system\nnamePrefix: o-\nresources: [../base]\n");
        AssertBuiltAsKustomize(dir.Combine("overlay"));
        var deployment = Kustomization.Build(dir.Combine("overlay")).Objects.Single(o => o["kind"]!.ToString() == "Deployment");
        Assert.Equal("--webhook-host=o-p-webhook-service.system.svc", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]![0]!.ToString());
    }

    [KubectlFact]
    public void A_var_naming_no_object_or_declared_twice_is_refused_as_kustomize_refuses_it()
    {
        // Kustomize matches a var's object by group, version, kind and name exactly: without a version it names nothing.
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\nvars:\n- name: SVC\n  objref: {kind: Service, name: web}\n");
        dir.Write("app/r.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: web, annotations: {a: $(SVC)}}\nspec: {ports: [{port: 80}]}\n");
        AssertRefusedAsKustomize(dir.Combine("app"),
            "has the var '{SVC Service.[noVer].[noGrp] {metadata.name}}', which cannot be mapped to a field in the set of known resources (Kustomize refuses it)");
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\nvars:\n- name: SVC\n  objref: {kind: Service, name: web, apiVersion: v1}\n");
        dir.Write("overlay/kustomization.yaml", "resources: [../app]\nvars:\n- name: SVC\n  objref: {kind: Service, name: web, apiVersion: v1}\n");
        AssertRefusedAsKustomize(dir.Combine("overlay"), "declares the var SVC, which is already declared (Kustomize refuses it)");
    }

    [KubectlFact]
    public void Regression_a_var_finds_its_object_by_any_name_and_namespace_it_has_had_as_kustomize_finds_it()
    {
        // Bug: a var's namespace was compared with the object's namespace now, and its name with the first and the last
        // only: `default` for an object written without one, and the name between a prefix and a suffix (which it had in
        // the namespace it was given), named nothing. A namespace the object never had names nothing, and a cluster-scoped
        // object is found only when none is asked.
        using var dir = new TempDir();
        dir.Write("app/r.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n---\n"
            + "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\n---\n"
            + "apiVersion: v1\nkind: Pod\nmetadata: {name: probe, annotations: {svc: $(SVC), ns: $(NS), role: $(ROLE)}}\nspec: {containers: [{name: p, image: busybox}]}\n");
        dir.Write("app/kustomization.yaml", """
            resources: [r.yaml]
            namespace: shop
            namePrefix: p-
            nameSuffix: -v2
            vars:
            - {name: SVC, objref: {kind: Service, name: p-web, apiVersion: v1, namespace: shop}}
            - {name: NS, objref: {kind: Service, name: web, apiVersion: v1, namespace: default}, fieldref: {fieldpath: metadata.namespace}}
            - {name: ROLE, objref: {kind: ClusterRole, name: reader, apiVersion: rbac.authorization.k8s.io/v1}}
            """ + "\n");
        AssertBuiltAsKustomize(dir.Combine("app"));
        Assert.Equal("""{"svc":"p-web-v2","ns":"shop","role":"p-reader-v2"}""",
            Kustomization.Build(dir.Combine("app")).Objects.Single(o => o["kind"]!.ToString() == "Pod")["metadata"]!["annotations"]!.ToJsonString());
        foreach (var (kind, apiVersion, ns) in new[] { ("Service", "v1", "prod"), ("ClusterRole", "rbac.authorization.k8s.io/v1", "default") })
        {
            dir.Write("app/kustomization.yaml", $"resources: [r.yaml]\nnamespace: shop\nvars:\n- {{name: SVC, objref: {{kind: {kind}, name: {(kind == "Service" ? "web" : "reader")}, apiVersion: {apiVersion}, namespace: {ns}}}}}\n");
            AssertRefusedAsKustomize(dir.Combine("app"),
                $"has the var '{{SVC {kind}.v1.{(kind == "Service" ? "[noGrp]" : "rbac.authorization.k8s.io")} {{metadata.name}}}}', which cannot be mapped to a field in the set of known resources (Kustomize refuses it)");
        }
    }

    [KubectlFact]
    public void Regression_a_patch_target_namespace_matches_the_objects_namespace_as_written_or_now_as_kustomize_matches_it()
    {
        // Bug: a target's namespace was matched with the object's namespace now only, and none was no namespace: a target
        // in `default` (or `def.*`) missed an object written without one. Kustomize matches the namespace as written or
        // now (not the one this level's namespace gives after its patches), none being `default`, and a cluster-scoped
        // object's as a word no namespace can be.
        using var dir = new TempDir();
        dir.Write("base/r.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, annotations: {base: \"1\"}}\ndata: {a: b}\n---\n"
            + "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader, annotations: {base: \"1\"}}\n");
        dir.Write("base/kustomization.yaml", "resources: [r.yaml]\nnamespace: shop\n");
        string Patch(string ns, string key) =>
            $"- target: {{namespace: \"{ns}\"}}\n  patch: '[{{\"op\": \"add\", \"path\": \"/metadata/annotations/{key}\", \"value\": \"yes\"}}]'\n";
        dir.Write("overlay/kustomization.yaml", "resources: [../base]\nnamespace: prod\npatches:\n"
            + Patch("default", "as-written") + Patch("shop", "now") + Patch("prod", "later") + Patch("_non.*", "cluster"));
        AssertBuiltAsKustomize(dir.Combine("overlay"));
        var built = Kustomization.Build(dir.Combine("overlay")).Objects;
        Assert.Equal(["ClusterRole: base,cluster", "ConfigMap: base,as-written,now"], built.Select(o => $"{o["kind"]}: {string.Join(",", (o["metadata"]!["annotations"] as JsonObject ?? []).Select(a => a.Key))}").Order());
    }

    [KubectlFact]
    public void Regression_a_replacement_selects_its_source_and_targets_by_any_id_they_have_had_as_kustomize_selects_them()
    {
        // Bug: a selector's namespace was compared with the object's namespace now, and its name with the first and the
        // last only: `default` for an object written without one, and the name between a prefix and a suffix (which it had
        // in the namespace it was given), selected nothing. A namespace the object never had still selects nothing.
        using var dir = new TempDir();
        dir.Write("app/r.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n---\n"
            + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: b}\n");
        dir.Write("app/kustomization.yaml", """
            resources: [r.yaml]
            namespace: shop
            namePrefix: p-
            nameSuffix: -v2
            replacements:
            - source: {kind: Service, name: p-web, namespace: shop}
              targets: [{select: {kind: ConfigMap, name: cfg, namespace: default}, fieldPaths: [data.svc], options: {create: true}}]
            - source: {kind: Service, name: web, namespace: default, fieldPath: metadata.namespace}
              targets: [{select: {kind: ConfigMap, name: p-cfg}, reject: [{name: cfg, namespace: prod}], fieldPaths: [data.ns], options: {create: true}}]
            """ + "\n");
        AssertBuiltAsKustomize(dir.Combine("app"));
        Assert.Equal("""{"a":"b","svc":"p-web-v2","ns":"shop"}""",
            Kustomization.Build(dir.Combine("app")).Objects.Single(o => o["kind"]!.ToString() == "ConfigMap")["data"]!.ToJsonString());
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\nnamespace: shop\nreplacements:\n- source: {kind: Service, name: web, namespace: prod}\n"
            + "  targets: [{select: {kind: ConfigMap}, fieldPaths: [data.svc], options: {create: true}}]\n");
        AssertRefusedAsKustomize(dir.Combine("app"), "has a replacement Kustomize refuses: nothing is selected by the source kind Service, name web, namespace prod");
    }

    [KubectlFact]
    public void Replacements_copy_a_value_into_the_fields_they_select_as_kustomize_copies_it()
    {
        // The Service's built name into every container's env (a wildcard, an item by key), a port (a number) into a text,
        // a text into replicas (a number stays a number), one part of a version into one part of an image, a host into
        // annotations made where missing (keys with dots, bracketed and escaped), from a replacement file.
        using var dir = new TempDir();
        dir.Write("base/kustomization.yaml", "namePrefix: b-\nnamespace: shop\nresources: [r.yaml]\n");
        dir.Write("base/r.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - {name: web, image: "nginx:1.0", env: [{name: API_HOST, value: placeholder}, {name: PORT, value: "0"}]}
                  - {name: sidecar, image: busybox, env: [{name: API_HOST, value: x}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: api}
            spec: {selector: {app: api}, ports: [{port: 8080}]}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {replicas: "3", version: "2.4.1", host: api.example.com}
            """ + "\n");
        dir.Write("overlay/kustomization.yaml", """
            resources: [../base]
            replacements:
            - source: {kind: Service, name: api}
              targets:
              - select: {kind: Deployment}
                fieldPaths:
                - spec.template.spec.containers.*.env.[name=API_HOST].value
            - source: {kind: Service, name: b-api, fieldPath: spec.ports.0.port}
              targets:
              - select: {kind: Deployment, name: web}
                fieldPaths:
                - spec.template.spec.containers.[name=web].env.[name=PORT].value
            - source: {kind: ConfigMap, fieldPath: data.replicas}
              targets:
              - select: {kind: Deployment}
                fieldPaths: [spec.replicas]
            - source: {kind: ConfigMap, fieldPath: data.version, options: {delimiter: ".", index: 0}}
              targets:
              - select: {kind: Deployment}
                fieldPaths:
                - spec.template.spec.containers.[name=web].image
                options: {delimiter: ":", index: 1}
            - path: annotate.yaml
            """ + "\n");
        dir.Write("overlay/annotate.yaml", """
            source: {kind: ConfigMap, name: settings, fieldPath: data.host}
            targets:
            - select: {kind: Deployment}
              reject: [{name: other}]
              fieldPaths:
              - spec.template.metadata.annotations.[example.com/api-host]
              - metadata.annotations.example\.com/owner
              - spec.template.spec.containers.[name=web].env.[name=NEW].value
              options: {create: true}
            - select: {kind: Service}
              reject: [{kind: Service}]
              fieldPaths: [metadata.labels.x]
            """ + "\n");
        AssertBuiltAsKustomize(dir.Combine("overlay"));
        var (objects, _) = Kustomization.Build(dir.Combine("overlay"));
        var web = objects.Single(o => o["kind"]!.ToString() == "Deployment");
        Assert.Equal("nginx:2", web["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.ToString());
        Assert.Equal(JsonValueKind.Number, web["spec"]!["replicas"]!.GetValueKind());
    }

    [KubectlFact]
    public void A_replacement_kustomize_refuses_is_an_error_of_the_base()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\nreplacements:\n- source: {kind: Secret, name: missing}\n  targets:\n  - select: {kind: Deployment}\n"
            + "- source: {kind: Deployment}\n  targets:\n  - select: {kind: Deployment}\n    fieldPaths: [spec.paused]\n");
        dir.Write("app/r.yaml", BaseManifests.Workload("web", null));
        AssertRefusedAsKustomize(dir.Combine("app"),
            "has a replacement Kustomize refuses: nothing is selected by the source kind Secret, name missing",
            "has a replacement Kustomize refuses: the field `spec.paused` is not in the target Deployment web");
    }

    [Theory]
    [InlineData("", "app=api", true)]
    [InlineData("app=api", "app=api,tier=web", true)]
    [InlineData("app==api", "app=web", false)]
    [InlineData("app!=api", "tier=web", true)]
    [InlineData("app!=api", "app=api", false)]
    [InlineData("tier in (web, api),app", "tier=api,app=x", true)]
    [InlineData("tier in (web,api)", "app=x", false)]
    [InlineData("tier notin (web)", "app=x", true)]
    [InlineData("tier notin (web)", "tier=web", false)]
    [InlineData("!canary", "canary=true", false)]
    [InlineData("!canary,example.com/team=shop", "example.com/team=shop", true)]
    [InlineData("rank>2", "rank=3", true)]
    [InlineData("rank<2", "rank=x", false)]
    public void A_label_selector_matches_as_in_Kubernetes(string selector, string labels, bool matches)
    {
        var map = labels.Split(',').Select(l => l.Split('=')).ToDictionary(l => l[0], l => l[1]);
        var parsed = LabelSelector.Parse(selector, out var error);
        Assert.Null(error);
        Assert.Equal(matches, parsed!.Matches(map));
    }

    [Theory]
    [InlineData("app in web")]
    [InlineData("app=a=b")]
    [InlineData("rank>x")]
    [InlineData("=api")]
    public void A_label_selector_that_does_not_parse_says_which_requirement(string selector)
    {
        Assert.Null(LabelSelector.Parse(selector, out var error));
        Assert.Contains(selector.Split(',')[0], error);
    }

    [Fact]
    public void A_patch_target_that_does_not_parse_is_an_error_as_in_kustomize()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\npatches:\n- target: {kind: Deployment, name: 'api('}\n  patch: '[{op: remove, path: /spec/replicas}]'\n");
        dir.Write("app/r.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 1}\n");
        var (_, findings) = Kustomization.Build(dir.Combine("app"));
        var finding = Assert.Single(findings);
        Assert.True(finding.IsError);
        Assert.Contains("name 'api('", finding.Problem);
    }

    [Fact]
    public void What_is_not_built_here_is_named_not_guessed()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources:\n- https://github.com/example/app//deploy?ref=v1\n- missing.yaml\n- plain\nhelmCharts:\n- {name: redis, repo: https://charts.example.com}\n"
            + "configurations: [kustomizeconfig.yaml]\nbuildMetadata: [originAnnotations]\nvalidators: [validator.yaml]\n");
        dir.Write("app/plain/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n");
        AssertBuildsNothing(dir.Combine("app"),
            (false, "names the remote resource https://github.com/example/app//deploy?ref=v1, which is not read offline"),
            (true, "names the resource missing.yaml, which is not there"),
            (true, "is named as a resource folder but holds no kustomization (Kustomize refuses it)"),
            (false, "uses helmCharts, which is not built here: what it makes or changes is not seen"),
            (false, "uses configurations, which is not built here: what it makes or changes is not seen"),
            (false, "uses buildMetadata, which is not built here: what it makes or changes is not seen"),
            (false, "uses validators, which are not run here: what they would refuse is not refused"));
    }

    // Validators change no object, so the objects read are Kustomize's; but Kustomize runs no plugin unless asked to, and
    // refuses the build: the base's validators are named as not run, and (as for any base field not built here) render
    // --stdout does not print a stream that kubectl would refuse.
    [KubectlFact]
    public void Validators_are_named_as_not_run_as_kustomize_would_not_run_them()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources: [r.yaml]\nvalidators: [v.yaml]\n");
        dir.Write("app/r.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        dir.Write("app/v.yaml", "apiVersion: example.com/v1\nkind: SchemaValidator\nmetadata: {name: v}\n");
        var kubectl = Kubectl.Kustomize(dir.Combine("app"));
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.Contains("plugin", kubectl.Stderr);
        var (objects, findings) = Kustomization.Build(dir.Combine("app"));
        Assert.Equal("a", Assert.Single(objects)["metadata"]!["name"]!.ToString());
        var finding = Assert.Single(findings);
        Assert.Equal((false, "uses validators, which are not run here: what they would refuse is not refused"), (finding.IsError, finding.Problem));
    }

    // Regression: a namespace base was read as the YAML files below its folder, so an overlay (`resources: [../base]`, the
    // usual Kustomize layout) showed nothing: its existing services were "not in the base" and its workloads went unmeshed.
    [KubectlFact]
    public void An_overlay_as_a_namespace_base_shows_its_services_and_its_renamed_workloads_are_meshed()
    {
        using var dir = new TempDir();
        Overlay(dir);
        var mesh = dir.Write("mesh.yaml", Mesh.Header + "namespaces:\n  - name: prod\n    create: false\n    base: overlay/\n    inject: enabled\n    proxy: {logLevel: warn}\n"
            + "    services:\n      - {name: p-api-x, existing: true}\n");
        var result = Compiler.Compile([mesh], outRoot: dir.Combine("out"));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var service = result.Meshes.Single().Resolved.Services.Single();
        Assert.Equal((8080, 8080), (service.Ports.Single().ServicePort, service.Ports.Single().ContainerPort)); // the patched port, the named target
        var bundle = result.Bundles.Single();
        BundleWriter.Write(bundle, dir.Combine("out"), new Diagnostics.DiagnosticBag());
        var (code, stdout, stderr) = Kubectl.Kustomize(dir.Combine("out", bundle.Cluster));
        Assert.True(code == 0, stderr);
        var docs = ReadBack.Documents(stdout);
        // Every workload by its built name; the api's own `inject: disabled` (the overlay's patch) is kept, the log level added.
        Assert.Equal("enabled", ReadBack.Object(docs, "Deployment", "p-worker-x").Str("spec", "template", "metadata", "annotations", "linkerd.io/inject"));
        Assert.Equal("disabled", ReadBack.Object(docs, "Deployment", "p-api-x").Str("spec", "template", "metadata", "annotations", "linkerd.io/inject"));
        Assert.Equal("warn", ReadBack.Object(docs, "Deployment", "p-api-x").Str("spec", "template", "metadata", "annotations", "config.linkerd.io/proxy-log-level"));
        Assert.Null(ReadBack.Object(docs, "Job", "p-migrate-x").At("spec", "template", "metadata", "annotations", "linkerd.io/inject")); // immutable: its namespace meshes it
        // render --stdout builds the same bundle.
        Kubectl.AssertSameObjects(stdout, Render.BundleStream.Build(bundle, dir.Combine("out", bundle.Cluster)));
    }

    // render --stdout is what an Argo CD plugin deploys: a stream without what a base's Helm chart makes would deploy a
    // broken app, so it prints nothing and says why; a render that writes the bundle (Kustomize builds it) only warns.
    [Fact]
    public void A_base_with_what_is_not_built_here_is_refused_by_render_stdout_and_warned_of_by_render()
    {
        using var dir = new TempDir();
        dir.Write("app/kustomization.yaml", "resources:\n- api.yaml\nhelmCharts:\n- {name: redis, repo: https://charts.example.com}\n");
        dir.Write("app/api.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {selector: {app: api}, ports: [{port: 80}]}\n");
        var mesh = dir.Write("mesh.yaml", Mesh.Header + "namespaces:\n  - name: shop\n    base: app/\n    services:\n      - {name: api, existing: true}\n");
        var (code, stdout, stderr) = InProcess.Cli(["render", mesh, "--stdout", "-o", dir.Combine("out")]);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("error L2G0520: render --stdout cannot print the bundle as Kustomize builds it: this base file uses helmCharts", stderr);
        var (written, _, warnings) = InProcess.Cli(["render", mesh, "-o", dir.Combine("out")]);
        Assert.Equal(0, written);
        Assert.Contains("warning L2G0248: kustomization.yaml of the base uses helmCharts", warnings);
    }
}
