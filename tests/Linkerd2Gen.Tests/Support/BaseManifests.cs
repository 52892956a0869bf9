namespace Linkerd2Gen.Tests.Support;

/// <summary>What a test's base holds, written inline: Services and the workloads behind them (each selecting and labelled
/// `app: NAME`, one container named as the workload), in flow style, joined into one manifest file.</summary>
internal static class BaseManifests
{
    /// <param name="ports">The Service's ports as flow items, e.g. "{name: http, port: 80, targetPort: 8080}".</param>
    public static string Service(string name, string? ns, string ports = "{port: 80}") =>
        $"apiVersion: v1\nkind: Service\nmetadata: {Meta(name, ns)}\nspec: {{selector: {{app: {name}}}, ports: [{ports}]}}\n";

    /// <param name="podSpec">More of the pod spec, as flow entries (e.g. "serviceAccountName: web-sa, hostNetwork: true").</param>
    /// <param name="container">More of the container, as flow entries (e.g. "ports: [{containerPort: 8080}]").</param>
    /// <param name="podAnnotations">The pod template's annotations, as flow entries.</param>
    public static string Workload(string name, string? ns, string podSpec = "", string container = "", string kind = "Deployment", string podAnnotations = "") =>
        $"apiVersion: apps/v1\nkind: {kind}\nmetadata: {Meta(name, ns)}\nspec:\n  selector: {{matchLabels: {{app: {name}}}}}\n"
        + $"  template:\n    metadata: {{labels: {{app: {name}}}{(podAnnotations.Length > 0 ? $", annotations: {{{podAnnotations}}}" : "")}}}\n"
        + $"    spec: {{{(podSpec.Length > 0 ? podSpec + ", " : "")}containers: [{{name: {name}, image: i{(container.Length > 0 ? ", " + container : "")}}}]}}\n";

    /// <summary>Documents as one file.</summary>
    public static string File(params string[] documents) => string.Join("---\n", documents);

    private static string Meta(string name, string? ns) => ns is null ? $"{{name: {name}}}" : $"{{name: {name}, namespace: {ns}}}";
}
