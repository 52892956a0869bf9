
namespace Linkerd2Gen.Resolve;

/// <summary>gateway.base: the folder of the gateway's own kustomization, relative to the mesh file.</summary>
public static class GatewayBase
{
    public static string FullPath(string meshFile, string baseDir) =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(meshFile))!, baseDir));

    public static string? KustomizationIn(string dir) => Kubernetes.Kustomization.FileIn(dir);

    /// <summary>The base as a kustomization entry, relative to the bundle folder, '/'-separated.</summary>
    public static string RelativeTo(string bundleDir, string baseDir) =>
        Path.GetRelativePath(Path.GetFullPath(bundleDir), baseDir).Replace(Path.DirectorySeparatorChar, '/');
}
