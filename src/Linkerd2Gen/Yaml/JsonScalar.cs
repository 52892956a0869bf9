using System.Text.Json.Nodes;
using System.Text.Json;

namespace Linkerd2Gen.Yaml;

public static class JsonScalar
{
    /// <summary>A scalar as the user wrote it: a string's own text, a number or boolean as its literal (1.10 stays 1.10).</summary>
    public static string Text(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
}
