using System.Text.Json.Nodes;

namespace Linkerd2Gen.Yaml;

/// <summary>
/// Reading a field of what may not be an object: manifests as people write them can hold text where Kubernetes wants a
/// mapping (`spec: hello`), and JsonNode's own indexer throws on those. A missing field and a field of something that is no
/// object are both null here, as a path that is not there.
/// </summary>
public static class JsonFields
{
    public static JsonNode? Field(this JsonNode? node, string name) => node is JsonObject o ? o[name] : null;
}
