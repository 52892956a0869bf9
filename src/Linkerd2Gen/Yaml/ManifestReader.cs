using System.Text.Json.Nodes;

namespace Linkerd2Gen.Yaml;

/// <summary>Reads Kubernetes manifests (multi-document YAML) into JSON objects, as kubectl reads them (go-yaml v2).</summary>
public static class ManifestReader
{
    public static List<JsonObject> Read(string text) => Read(text, GoYaml.Read);

    /// <summary>Manifests as Kustomize reads them (go-yaml v3: `yes` and `on` stay text).</summary>
    public static List<JsonObject> ReadAsKustomize(string text) => Read(text, GoYaml.ReadAsKustomize);

    private static List<JsonObject> Read(string text, Func<string, JsonNode?> read) =>
        YamlDocuments.Split(text.Replace("\r\n", "\n")).Select(read).OfType<JsonObject>().ToList();
}
