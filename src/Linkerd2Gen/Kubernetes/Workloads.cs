using System.Text.Json.Nodes;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Kubernetes;

/// <summary>The objects that run pods from a pod template of their own, and where that template is.</summary>
public static class Workloads
{
    private static readonly string[] Kinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"];

    /// <summary>A workload kind, or an Argo Rollouts Rollout, with a pod template (a Rollout that refers to a Deployment's
    /// template by workloadRef has none: its Deployment is the workload).</summary>
    public static bool Is(JsonObject o)
    {
        var kind = o["kind"]?.ToString();
        return (Kinds.Contains(kind) || (kind == "Rollout" && ApiVersion.Split(o["apiVersion"]?.ToString() ?? "").Group == "argoproj.io"))
            && PodTemplate(o) is JsonObject;
    }

    /// <summary>Where a workload kind's pod template lies: spec.template, a CronJob's spec.jobTemplate.spec.template.</summary>
    public static string[] PodTemplatePath(string? kind) => kind == "CronJob" ? ["spec", "jobTemplate", "spec", "template"] : ["spec", "template"];

    /// <summary>A workload's pod template (null where its path holds no mapping).</summary>
    public static JsonNode? PodTemplate(JsonObject workload) =>
        PodTemplatePath(workload["kind"]?.ToString()).Aggregate((JsonNode?)workload, (node, step) => node.Field(step));
}
