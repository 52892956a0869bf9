using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Operations;

namespace Linkerd2Gen.Kubernetes;

/// <summary>
/// RFC 6902 patches, read without reflection (the library's own converter is reflection-based serialization, which the
/// NativeAOT build cannot use): each operation's op, path, from and value, from the JSON array.
/// </summary>
public static class JsonPatches
{
    public static JsonPatchDocument Parse(string text)
    {
        if (JsonNode.Parse(text) is not JsonArray operations) throw new JsonException("a JSON patch is a JSON array of operations");
        var parsed = operations.Select(o => o as JsonObject ?? throw new JsonException("each operation of a JSON patch is an object"))
            .Select(o => new Operation(o["op"]?.GetValue<string>(), o["path"]?.GetValue<string>(), o["from"]?.GetValue<string>(), o["value"]?.DeepClone()))
            .ToList();
        return new JsonPatchDocument(parsed, PatchJsonContext.Default.Options);
    }
}

/// <summary>The JSON the patch engine converts values with: JSON nodes, source-generated.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonNode))]
internal sealed partial class PatchJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
