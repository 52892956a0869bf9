
namespace Linkerd2Gen.Resolve;

/// <summary>
/// Which maps the installed gateway already has where the patches add keys: RFC 6902 cannot add a key to a map
/// that is not there, nor add the map without replacing one that is. The official manifests have them all; with
/// gateway.base the shape is read from the user's own manifests.
/// </summary>
public sealed record GatewayShape(bool PodMetadata, bool PodAnnotations, bool ServiceAnnotations)
{
    public static readonly GatewayShape Official = new(true, true, true);

    public static GatewayShape Of(IReadOnlyList<System.Text.Json.Nodes.JsonObject> objects, string name, string @namespace)
    {
        System.Text.Json.Nodes.JsonObject? Find(string kind) => objects.FirstOrDefault(o =>
            o["kind"]?.ToString() == kind && o["metadata"]?["name"]?.ToString() == name
            && (o["metadata"]?["namespace"] is not { } ns || ns.ToString() == @namespace));
        var deployment = Find("Deployment");
        var service = Find("Service");
        var podMetadata = deployment?["spec"]?["template"]?["metadata"];
        return new GatewayShape(
            deployment is null || podMetadata is System.Text.Json.Nodes.JsonObject,
            deployment is null || podMetadata?["annotations"] is System.Text.Json.Nodes.JsonObject,
            service is null || service["metadata"]?["annotations"] is System.Text.Json.Nodes.JsonObject);
    }
}

/// <summary>gateway.base: the folder of the gateway's own kustomization, relative to the mesh file.</summary>
public static class GatewayBase
{
    private static readonly string[] KustomizationNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    public static string FullPath(string meshFile, string baseDir) =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(meshFile))!, baseDir));

    public static string? KustomizationIn(string dir) =>
        Directory.Exists(dir) ? KustomizationNames.Select(n => Path.Combine(dir, n)).FirstOrDefault(File.Exists) : null;

    /// <summary>The manifests of the base: every YAML file below it but its kustomization files, in ordinal order.</summary>
    public static IEnumerable<string> ManifestFiles(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => !KustomizationNames.Contains(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal);

    /// <summary>The base as a kustomization entry, relative to the bundle folder, '/'-separated.</summary>
    public static string RelativeTo(string bundleDir, string baseDir) =>
        Path.GetRelativePath(Path.GetFullPath(bundleDir), baseDir).Replace(Path.DirectorySeparatorChar, '/');
}
