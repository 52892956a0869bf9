namespace Linkerd2Gen.Kubernetes;

/// <summary>An object's apiVersion as Kubernetes reads it: "group/version", or "version" alone for the core group ("").</summary>
public static class ApiVersion
{
    public static (string Group, string Version) Split(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/');
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }
}
