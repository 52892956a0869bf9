using System.Globalization;
using System.Text.Json.Nodes;
using Linkerd2Gen.Model;
using Linkerd2Gen.Render;

namespace Linkerd2Gen.Verify;

/// <summary>The answer of a dry run of the policy: allowed or not, and why.</summary>
public sealed record AccessAnswer(bool Allowed, string Why);

/// <summary>
/// A dry run of the rendered policy, offline: may workload A call port P of service B? Read from the built bundle's objects
/// (the workload's ServiceAccount, the Service's port, the Servers and the identities their policies admit; a base's own
/// workloads and Services included), as Linkerd would decide it; null with a reason when a name is unknown.
/// </summary>
public static class AccessCheck
{
    /// <param name="objects">The built bundle's objects (<see cref="BundleStream.Objects"/>).</param>
    public static (AccessAnswer? Answer, string? Unknown) Check(IReadOnlyList<JsonObject> objects, ResolvedMesh mesh, string fromNamespace, string fromWorkload, string toNamespace, string toService, string port)
    {
        static string? S(JsonNode? n) => n?.ToString();
        var workload = objects.FirstOrDefault(o => S(o["kind"]) is "Deployment" or "StatefulSet" or "DaemonSet" && S(o["metadata"]?["name"]) == fromWorkload && S(o["metadata"]?["namespace"]) == fromNamespace);
        if (workload is null) return (null, $"no workload {fromNamespace}/{fromWorkload} in the bundle");
        var account = S(workload["spec"]?["template"]?["spec"]?["serviceAccountName"]) ?? "default";
        var identity = mesh.Linkerd.IdentityOf(account, fromNamespace);
        var service = objects.FirstOrDefault(o => S(o["kind"]) == "Service" && S(o["metadata"]?["name"]) == toService && S(o["metadata"]?["namespace"]) == toNamespace);
        if (service is null) return (null, $"no Service {toNamespace}/{toService} in the bundle");
        var servicePort = (service["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(p => S(p["port"]) == port || S(p["name"]) == port);
        if (servicePort is null) return (null, $"Service {toNamespace}/{toService} has no port {port}");
        var target = S(servicePort["targetPort"]) ?? S(servicePort["port"]); // without a targetPort, the pods' port is the port
        var selector = service["spec"]?["selector"] as JsonObject ?? [];
        var server = objects.FirstOrDefault(o => S(o["kind"]) == "Server" && S(o["metadata"]?["namespace"]) == toNamespace && S(o["spec"]?["port"]) == target
            && o["spec"]?["podSelector"]?["matchLabels"] is JsonObject labels && labels.Count == selector.Count && labels.All(l => S(selector[l.Key]) == S(l.Value)));
        var subject = $"{fromNamespace}/{fromWorkload} (ServiceAccount {account}, identity {identity})";
        if (server is null)
        {
            return (new AccessAnswer(true, $"{subject} may call {toNamespace}/{toService}:{port}: no Server guards that port, so the default inbound policy decides (all-unauthenticated unless set otherwise)"), null);
        }
        var serverName = S(server["metadata"]?["name"]);
        var authentications = objects.Where(o => S(o["kind"]) == "AuthorizationPolicy" && S(o["spec"]?["targetRef"]?["name"]) == serverName)
            .SelectMany(p => (p["spec"]?["requiredAuthenticationRefs"] as JsonArray ?? []).OfType<JsonObject>())
            .Select(r => objects.FirstOrDefault(o => S(o["kind"]) == "MeshTLSAuthentication" && S(o["metadata"]?["name"]) == S(r["name"])))
            .OfType<JsonObject>()
            .Concat(objects.Where(o => S(o["kind"]) == "ServerAuthorization" && S(o["spec"]?["server"]?["name"]) == serverName).Select(o => (JsonObject)o["spec"]!["client"]!["meshTLS"]!))
            .ToList();
        var identities = authentications.SelectMany(a => Admits(a, mesh.Linkerd)).ToList();
        var match = identities.FirstOrDefault(i => i == identity || i == "*" || (i.StartsWith("*.", StringComparison.Ordinal) && identity.EndsWith(i[1..], StringComparison.Ordinal)));
        return match is not null
            ? (new AccessAnswer(true, $"{subject} may call {toNamespace}/{toService}:{port}: Server {serverName} admits {match}"), null)
            : (new AccessAnswer(false, $"{subject} may not call {toNamespace}/{toService}:{port}: Server {serverName} admits only {(identities.Count == 0 ? "nobody" : string.Join(", ", identities))}"), null);
    }

    // The identities one MeshTLSAuthentication (or a ServerAuthorization's meshTLS) admits: its identity strings, and its
    // identityRefs as Linkerd resolves them (a ServiceAccount to its identity, a Namespace to all of its ServiceAccounts).
    private static IEnumerable<string> Admits(JsonObject authentication, ResolvedLinkerd linkerd)
    {
        var spec = authentication["spec"] as JsonObject ?? authentication;
        foreach (var identity in spec["identities"] as JsonArray ?? [])
        {
            if (identity?.ToString() is { } text) yield return text;
        }
        var home = authentication["metadata"]?["namespace"]?.ToString() ?? "";
        foreach (var reference in (spec["identityRefs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = reference["name"]?.ToString() ?? "";
            var ns = reference["namespace"]?.ToString() ?? home;
            switch (reference["kind"]?.ToString())
            {
                case "ServiceAccount":
                    yield return linkerd.IdentityOf(name, ns);
                    break;
                case "Namespace":
                    yield return linkerd.IdentityOf("*", name);
                    break;
            }
        }
    }
}
