using System.Text.RegularExpressions;

namespace Linkerd2Gen.Kubernetes;

/// <summary>Kubernetes naming rules (apimachinery validation).</summary>
public static partial class KubernetesNames
{
    /// <summary>RFC 1123 label: namespaces, services, ports' Service names.</summary>
    public static bool IsDns1123Label(string name) => name.Length <= 63 && Label().IsMatch(name);

    /// <summary>RFC 1123 subdomain: most object names (Deployments, Mappings, Hosts).</summary>
    public static bool IsDns1123Subdomain(string name) => name.Length <= 253 && Subdomain().IsMatch(name);

    /// <summary>IANA_SVC_NAME: container and Service port names.</summary>
    public static bool IsPortName(string name) => name.Length <= 15 && PortName().IsMatch(name) && PortLetter().IsMatch(name) && !name.Contains("--");

    /// <summary>A DNS name or a glob with a leading or trailing '*', as Emissary's Host and Mapping hostname take.</summary>
    public static bool IsHostnameGlob(string hostname) =>
        hostname == "*" || (hostname.Length <= 253 && HostGlob().IsMatch(hostname));

    public static bool IsEnvName(string name) => EnvName().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex PortName();

    [GeneratedRegex("[a-z]")]
    private static partial Regex PortLetter();

    [GeneratedRegex(@"^(\*\.)?([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?\.)*[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.\*)?(:[0-9]{1,5})?$")]
    private static partial Regex HostGlob();

    [GeneratedRegex(@"^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvName();
}
