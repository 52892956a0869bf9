using System.Text.Json.Nodes;

namespace Linkerd2Gen.Tests.Support;

/// <summary>Reads the bundle's patches back: merge patches as the maps they add, RFC 6902 ones as "op path value" lines.</summary>
public static class Patches
{
    /// <summary>The pod-template annotations the gateway Deployment's merge patch adds.</summary>
    public static Dictionary<string, string> GatewayPodAnnotations(Render.Bundle bundle) =>
        Map(JsonNode.Parse(bundle.Files["patches/gateway-deployment.json"])!["spec"]?["template"]?["metadata"]?["annotations"]);

    /// <summary>The metadata.annotations (or labels) a merge patch adds.</summary>
    public static Dictionary<string, string> Metadata(Render.Bundle bundle, string path, string map = "annotations") =>
        Map(JsonNode.Parse(bundle.Files[path])!["metadata"]?[map]);

    public static List<string> Operations(Render.Bundle bundle, string path) =>
        JsonNode.Parse(bundle.Files[path])!.AsArray().Select(o => $"{o!["op"]} {o["path"]} {o["value"]?.ToJsonString()}").ToList();

    private static Dictionary<string, string> Map(JsonNode? node) =>
        (node as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
}
