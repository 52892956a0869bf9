
namespace Linkerd2Gen.Resolve;

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
