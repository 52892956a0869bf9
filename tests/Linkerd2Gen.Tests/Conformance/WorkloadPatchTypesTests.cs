using System.Text.Json.Nodes;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Tests.Conformance;

/// <summary>
/// A service's `patch:` is checked against Kubernetes' own workload types. Workloads others wrote — Emissary's install
/// manifest and Linkerd's inject golden files (probes, resources, init containers, volumes, security contexts), and the
/// pod templates of their Pods and CronJobs — pass as they are; a field a workload does not have, or a value of the wrong
/// type, is found at its place, for each kind.
/// </summary>
public class WorkloadPatchTypesTests
{
    private static IEnumerable<(string File, JsonObject Workload)> RealWorkloads()
    {
        var files = new[] { Repo.EmissaryInstall }
            .Concat(Directory.GetFiles(Path.Combine(Repo.Conformance, "linkerd"), "*.yml", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            foreach (var document in YamlDocuments.Split(File.ReadAllText(file)))
            {
                var name = Path.GetRelativePath(Repo.Conformance, file);
                var o = GoYaml.Read(document) as JsonObject;
                switch (o?["kind"]?.GetValue<string>())
                {
                    case "Deployment":
                        yield return (name, o!);
                        break;
                    case "Pod":
                        yield return (name, AsDeployment(new JsonObject { ["metadata"] = o!["metadata"]?.DeepClone(), ["spec"] = o["spec"]!.DeepClone() }));
                        break;
                    case "CronJob":
                        yield return (name, AsDeployment(o!["spec"]!["jobTemplate"]!["spec"]!["template"]!.DeepClone()));
                        break;
                }
            }
        }
    }

    private static JsonObject AsDeployment(JsonNode podTemplate) =>
        new() { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["spec"] = new JsonObject { ["template"] = podTemplate } };

    [ConformanceFact]
    public void Every_workload_and_pod_template_of_Emissary_and_of_Linkerds_inject_tests_is_a_valid_patch()
    {
        var workloads = RealWorkloads().ToList();
        Assert.True(workloads.Count >= 20, $"only {workloads.Count} workloads found");
        foreach (var (file, workload) in workloads)
        {
            var problem = KubernetesTypes.Check(workload["kind"]!.GetValue<string>(), workload);
            Assert.True(problem is null, $"{file} {workload["metadata"]?["name"]}: {problem}");
        }
    }

    [ConformanceFact]
    public void A_field_added_deep_inside_a_real_workload_is_reported_at_its_pointer()
    {
        var (_, workload) = RealWorkloads().First(w => w.Workload["spec"]?["template"]?["spec"]?["containers"]?[0]?["livenessProbe"] is not null);
        workload["spec"]!["template"]!["spec"]!["containers"]![0]!["livenessProbe"]!["httpGet"]!["pathh"] = "/ready";
        Assert.Equal(("/spec/template/spec/containers/0/livenessProbe/httpGet/pathh", "Deployment has no field 'pathh' here"), KubernetesTypes.Check("Deployment", workload));
    }

    [Theory]
    [InlineData("Deployment", """{"spec": {"strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}}, "template": {"spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": "500m", "memory": "1Gi"}}}]}}}}""")]
    [InlineData("StatefulSet", """{"spec": {"serviceName": "db", "podManagementPolicy": "Parallel", "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]}}""")]
    [InlineData("DaemonSet", """{"spec": {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": "10%"}}, "template": {"spec": {"tolerations": [{"operator": "Exists"}], "hostNetwork": true}}}}""")]
    public void What_each_kind_has_passes(string kind, string patch) =>
        Assert.Null(KubernetesTypes.Check(kind, JsonNode.Parse(patch)!));

    [Theory]
    // Each kind's own fields belong to it alone: a StatefulSet's volumeClaimTemplates are no Deployment's.
    [InlineData("Deployment", """{"spec": {"volumeClaimTemplates": []}}""", "/spec/volumeClaimTemplates", "Deployment has no field 'volumeClaimTemplates' here")]
    [InlineData("DaemonSet", """{"spec": {"replicas": 2}}""", "/spec/replicas", "DaemonSet has no field 'replicas' here")]
    [InlineData("StatefulSet", """{"spec": {"serviceName": ["db"]}}""", "/spec/serviceName", "the value has the wrong type for StatefulSet")]
    [InlineData("Deployment", """{"spec": {"template": {"spec": {"containers": [{"name": "a", "ports": [{"containerPort": "http"}]}]}}}}""", "/spec/template/spec/containers/0/ports/0/containerPort", "the value has the wrong type for Deployment")]
    public void What_a_kind_lacks_or_mistypes_is_found(string kind, string patch, string pointer, string problem) =>
        Assert.Equal((pointer, problem), KubernetesTypes.Check(kind, JsonNode.Parse(patch)!));
}
