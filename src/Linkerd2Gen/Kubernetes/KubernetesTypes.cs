using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using k8s.Models;

namespace Linkerd2Gen.Kubernetes;

/// <summary>The JSON contracts of the three workload kinds (and the types they hold), generated here rather than taken
/// from KubernetesClient's context of every Kubernetes type: that one kept some 800 types in the NativeAOT binary (12 of
/// its 30 MB), whose data the runtime sets up at every start (`--version` took 25 ms with them, 15 ms without).</summary>
[JsonSerializable(typeof(V1Deployment))]
[JsonSerializable(typeof(V1StatefulSet))]
[JsonSerializable(typeof(V1DaemonSet))]
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
internal sealed partial class WorkloadJson : JsonSerializerContext;

/// <summary>
/// Kubernetes' own types (KubernetesClient's models, source-generated JSON): a workload patch is checked field by field,
/// so an unknown or mistyped field is an error where it was written, not a surprise at apply time.
/// </summary>
public static class KubernetesTypes
{
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = WorkloadJson.Default,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The first problem of <paramref name="patch"/> as a <paramref name="kind"/>: (JSON Pointer into the patch, what
    /// is wrong), or null when every field is one the kind has, with a value of its type.</summary>
    public static (string Pointer, string Problem)? Check(string kind, JsonNode patch)
    {
        var json = StrategicMerge.WithoutDirectives(patch)!.ToJsonString();
        try
        {
            _ = kind switch
            {
                "StatefulSet" => (object?)JsonSerializer.Deserialize(json, (JsonTypeInfo<V1StatefulSet>)Strict.GetTypeInfo(typeof(V1StatefulSet))),
                "DaemonSet" => JsonSerializer.Deserialize(json, (JsonTypeInfo<V1DaemonSet>)Strict.GetTypeInfo(typeof(V1DaemonSet))),
                _ => JsonSerializer.Deserialize(json, (JsonTypeInfo<V1Deployment>)Strict.GetTypeInfo(typeof(V1Deployment))),
            };
            return null;
        }
        catch (JsonException e)
        {
            var pointer = Pointer(e.Path ?? "$");
            var problem = e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"{kind} has no field '{pointer[(pointer.LastIndexOf('/') + 1)..]}' here"
                : $"the value has the wrong type for {kind}";
            return (pointer, problem);
        }
    }

    /// <summary>System.Text.Json's path ($.spec.containers[0].name, $['a.b']) as a JSON Pointer.</summary>
    private static string Pointer(string path)
    {
        var pointer = new System.Text.StringBuilder();
        var i = 1; // after '$'
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                pointer.Append('/').Append(Escape(path[(i + 1)..end]));
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i, StringComparison.Ordinal);
                pointer.Append('/').Append(Escape(path[(i + 2)..end]));
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                pointer.Append('/').Append(path[(i + 1)..end]);
                i = end + 1;
            }
            else i++;
        }
        return pointer.ToString();
    }

    private static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");
}
