using System.Text.Json.Nodes;

namespace Linkerd2Gen.Yaml;

/// <summary>Reads Kubernetes manifests (multi-document YAML) into JSON objects, as kubectl reads them (go-yaml v2).</summary>
public static class ManifestReader
{
    public static List<JsonObject> Read(string text) =>
        YamlDocuments.Split(text.Replace("\r\n", "\n")).Select(GoYaml.Read).OfType<JsonObject>().ToList();
}
