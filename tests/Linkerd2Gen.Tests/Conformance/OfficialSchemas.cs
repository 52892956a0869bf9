using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Conformance;

/// <summary>The official schemas of the kinds the bundles emit, from ../shared/conformance.</summary>
public static class OfficialSchemas
{
    private static readonly Dictionary<string, JsonSchema> Cache = new();

    private static readonly Dictionary<string, string> Files = new()
    {
        ["v1/Namespace"] = "kubernetes/namespace-v1.json",
        ["v1/Service"] = "kubernetes/service-v1.json",
        ["apps/v1/Deployment"] = "kubernetes/deployment-apps-v1.json",
        ["getambassador.io/v3alpha1/Mapping"] = "emissary/schemas/mapping.v3alpha1.json",
        ["getambassador.io/v3alpha1/Host"] = "emissary/schemas/host.v3alpha1.json",
        ["getambassador.io/v3alpha1/Listener"] = "emissary/schemas/listener.v3alpha1.json",
        ["getambassador.io/v3alpha1/Module"] = "emissary/schemas/module.v3alpha1.json",
        ["policy.linkerd.io/v1beta3/Server"] = "linkerd/schemas/Server.json",
        ["policy.linkerd.io/v1alpha1/MeshTLSAuthentication"] = "linkerd/schemas/MeshTLSAuthentication.json",
        ["policy.linkerd.io/v1alpha1/AuthorizationPolicy"] = "linkerd/schemas/AuthorizationPolicy.json",
    };

    public static JsonSchema For(string apiVersion, string kind)
    {
        var key = $"{apiVersion}/{kind}";
        lock (Cache)
        {
            if (Cache.TryGetValue(key, out var schema)) return schema;
            Assert.True(Files.TryGetValue(key, out var file), $"no official schema known for {key}");
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Conformance, file)))!.AsObject();
            // The Kubernetes schemas say "http://json-schema.org/schema#", which no library resolves: they are
            // draft-07. Both kinds carry x-kubernetes-* annotation keywords, which are allowed and ignored.
            var dialect = json["$schema"]?.GetValue<string>() == "http://json-schema.org/schema#" ? Dialect.Draft07 : Dialect.Draft202012;
            json.Remove("$schema");
            json.Remove("$id");
            var options = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = dialect.With([], allowUnknownKeywords: true) };
            schema = JsonSchema.FromText(json.ToJsonString(), options);
            return Cache[key] = schema;
        }
    }

    /// <summary>Every object passes its official schema; a failure names the object and its errors.</summary>
    public static void AssertValid(IEnumerable<YamlDotNet.RepresentationModel.YamlMappingNode> objects)
    {
        foreach (var obj in objects)
        {
            var errors = Errors(obj);
            Assert.True(errors.Count == 0, $"{obj.Str("kind")} {obj.Str("metadata", "name")}:\n{string.Join("\n", errors)}");
        }
    }

    /// <summary>Validation errors of one object (YAML, typed as Kubernetes reads it); empty when valid.</summary>
    public static IReadOnlyList<string> Errors(YamlDotNet.RepresentationModel.YamlMappingNode obj)
    {
        if (obj.Str("apiVersion") == "v1" && obj.Str("kind") == "ServiceAccount")
        {
            // ../shared holds no ServiceAccount schema; its shape is small enough to state here (core/v1 ServiceAccount).
            string[] fields = ["apiVersion", "kind", "metadata", "automountServiceAccountToken", "imagePullSecrets", "secrets"];
            return ((YamlDotNet.RepresentationModel.YamlMappingNode)obj).Children.Keys.Select(k => k.ToString()).Where(k => !fields.Contains(k))
                .Select(k => $"unknown field {k}").Concat(obj.Str("metadata", "name") is null ? ["no metadata.name"] : []).ToList();
        }
        var schema = For(obj.Str("apiVersion")!, obj.Str("kind")!);
        using var doc = JsonDocument.Parse(ReadBack.ToJson(obj));
        var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : (result.Details ?? [])
            .Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .ToList();
    }
}
