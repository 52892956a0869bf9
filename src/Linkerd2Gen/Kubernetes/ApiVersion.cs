using System.Text.Json.Nodes;

namespace Linkerd2Gen.Kubernetes;

/// <summary>An object's apiVersion as Kubernetes reads it: "group/version", or "version" alone for the core group ("").</summary>
public static class ApiVersion
{
    public static (string Group, string Version) Split(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/');
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }

    /// <summary>Whether an object is of this group, version and kind: how Kustomize finds the object a var or a patch
    /// without a target names.</summary>
    public static bool IsKind(JsonObject o, (string Group, string Version) groupVersion, string? kind) =>
        o["kind"]?.ToString() == kind && Split(o["apiVersion"]?.ToString() ?? "") == groupVersion;
}
