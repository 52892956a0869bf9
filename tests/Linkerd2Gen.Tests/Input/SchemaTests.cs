using System.Text.Json.Nodes;
using Linkerd2Gen.Resolve;
using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Validate;
using Linkerd2Gen.Linkerd;

namespace Linkerd2Gen.Tests.Input;

/// <summary>The input contract itself: complete, documented, strict, and in step with the code.</summary>
public class SchemaTests
{
    private static readonly JsonObject Schema = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "schemas", "mesh.schema.json")))!.AsObject();

    private static IEnumerable<(string Path, JsonObject Node)> Subschemas(JsonNode? node, string path)
    {
        if (node is not JsonObject o) yield break;
        yield return (path, o);
        foreach (var (key, value) in o)
        {
            switch (key)
            {
                case "properties" or "$defs":
                    foreach (var (name, child) in value!.AsObject())
                        foreach (var s in Subschemas(child, $"{path}/{key}/{name}")) yield return s;
                    break;
                case "items" or "additionalProperties":
                    foreach (var s in Subschemas(value, $"{path}/{key}")) yield return s;
                    break;
            }
        }
    }

    [Fact]
    public void Is_draft_2020_12()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Schema["$schema"]!.GetValue<string>());
    }

    [Fact]
    public void Every_field_has_a_description()
    {
        var missing = Schema.SelectMany(_ => Subschemas(Schema, "#"))
            .Where(s => s.Path.Contains("/properties/") && !s.Path.EndsWith("/items") && !s.Path.EndsWith("/additionalProperties"))
            .Where(s => s.Node["description"] is null && s.Node["$ref"] is null)
            .Select(s => s.Path).Distinct().ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_object_refuses_unknown_fields()
    {
        var open = Subschemas(Schema, "#")
            .Where(s => s.Node["properties"] is not null && s.Node["additionalProperties"]?.GetValueKind() != System.Text.Json.JsonValueKind.False)
            .Select(s => s.Path).ToList();
        Assert.Empty(open);
    }

    [Fact]
    public void Proxy_fields_and_the_annotation_catalogue_agree()
    {
        var fields = MeshSchema.PropertiesOf("namespaces", "0", "proxy").Order(StringComparer.Ordinal);
        Assert.Equal(ProxySettings.All.Select(s => s.Field).Order(StringComparer.Ordinal), fields);
        Assert.All(ProxySettings.All, s => Assert.StartsWith("config.", s.Annotation));
    }

    [Fact]
    public void Every_documented_field_of_the_design_contract_exists()
    {
        // DESIGN.md §3 names these fields; renaming one breaks users' files.
        Assert.Equal(["apiVersion", "gateway", "kind", "linkerd", "metadata", "multicluster", "namespaces", "policy"], MeshSchema.PropertiesOf().Order(StringComparer.Ordinal));
        // DESIGN.md §6, the second part of the contract.
        Assert.Superset(new HashSet<string> { "kind", "container", "selector", "labels", "annotations", "podLabels", "podAnnotations", "serviceAccount", "command", "args",
            "service", "envFrom", "liveness", "startup", "patch", "calls", "allow" }, MeshSchema.PropertiesOf("namespaces", "0", "services", "0").ToHashSet());
        Assert.Superset(new HashSet<string> { "base", "policy" }, MeshSchema.PropertiesOf("namespaces", "0").ToHashSet());
        Assert.Superset(new HashSet<string> { "mode", "defaultInbound" }, MeshSchema.PropertiesOf("policy").ToHashSet());
        Assert.Superset(new HashSet<string> { "flavor", "name", "namespace", "serviceAccount", "adminPort", "ports", "skipInboundPorts", "injectMode", "linkerdHeaders", "listeners", "base", "hosts" }, MeshSchema.PropertiesOf("gateway").ToHashSet());
        Assert.Superset(new HashSet<string> { "name", "workload", "image", "replicas", "ports", "env", "readiness", "resources", "proxy", "routes", "export", "existing" }, MeshSchema.PropertiesOf("namespaces", "0", "services", "0").ToHashSet());
        Assert.Superset(new HashSet<string> { "role", "gatewayPort", "probe", "requireIdentityOnInboundPorts", "remotes" }, MeshSchema.PropertiesOf("multicluster").ToHashSet());
    }

    [Fact]
    public void The_examples_are_valid()
    {
        // The mesh files at the top of each example (an example's base holds Kubernetes manifests, not mesh files).
        foreach (var file in Directory.GetDirectories(Path.Combine(Repo.Root, "examples")).SelectMany(d => Directory.GetFiles(d, "*.yaml")))
        {
            var result = Linkerd2Gen.Pipeline.Compiler.Compile([file]);
            Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        }
    }
    /// <summary>Every mesh file of the examples and the baselines, and each of them broken in many ways, gets the same
    /// yes/no from the schema checked in parts as the loader reads the file (what `validate` and `render` use) as from the
    /// schema as one.</summary>
    [Fact]
    public async Task The_check_in_parts_agrees_with_the_whole_schema()
    {
        var files = Directory.GetFiles(Path.Combine(Repo.Root, "examples"), "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(Repo.Root, "tests", "baselines"), "*.yaml", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}out{Path.DirectorySeparatorChar}"));
        var documents = files
            .Select(f => Load.YamlLoader.Load(f, File.ReadAllText(f), new Diagnostics.DiagnosticBag()))
            .OfType<Load.YamlLoader.Loaded>()
            .Select(loaded => JsonNode.Parse(loaded.Utf8.Span))
            .OfType<JsonObject>()
            .ToList();
        Assert.True(documents.Count > 40, $"only {documents.Count} mesh files read");
        var (valid, invalid) = (0, 0);
        foreach (var document in documents.Concat(documents.Take(12).SelectMany(Broken)))
        {
            // JSON is YAML: the document is loaded as a mesh file is, its namespaces checked as the loader hands them on.
            var check = new MeshSchema.Check();
            var loaded = Load.YamlLoader.Load("mesh.yaml", document.ToJsonString(), new Diagnostics.DiagnosticBag(), check.Namespace);
            Assert.NotNull(loaded);
            using var json = System.Text.Json.JsonDocument.Parse(loaded.Utf8);
            var whole = MeshSchema.IsValidAsOne(json.RootElement);
            Assert.True(whole == await check.Finish(json.RootElement), $"the parts say {!whole}, the whole schema {whole}:\n{document.ToJsonString()}");
            if (whole) valid++; else invalid++;
        }
        Assert.True(valid > 20 && invalid > 200, $"{valid} valid and {invalid} invalid documents: both kinds must be tried");
    }

    /// <summary>What the loader hands on for the schema check of a namespace is that namespace's JSON as the document has
    /// it, item by item in order, whatever its shape; not a `namespaces` further down, not a second `namespaces` key.</summary>
    [Fact]
    public void The_loader_hands_on_each_namespace_as_the_document_has_it()
    {
        const string text = """
            apiVersion: linkerd2gen.io/v1alpha1
            kind: Mesh
            metadata: {name: east, labels: {namespaces: x}}
            namespaces:
              - name: shop
                labels: {namespaces: "[1, 2]", "a,b": "{"}
                services: [{name: web, ports: [{name: http, containerPort: 8080.0}]}]
              - {name: flow, inject: disabled}
              - just text
              - [1, 2]
              -
              - name: last
                services:
                  - name: api
                    namespaces: [{name: nested}]
            """;
        var handed = new List<string>();
        var loaded = Load.YamlLoader.Load("mesh.yaml", text, new Diagnostics.DiagnosticBag(), item => handed.Add(System.Text.Encoding.UTF8.GetString(item.Span)));
        Assert.NotNull(loaded);
        using var json = System.Text.Json.JsonDocument.Parse(loaded.Utf8);
        Assert.Equal(json.RootElement.GetProperty("namespaces").EnumerateArray().Select(item => item.GetRawText()), handed);
        Assert.Equal(6, handed.Count);

        var twice = new List<string>();
        Load.YamlLoader.Load("mesh.yaml", text + "\nnamespaces: [{name: again}]\n", new Diagnostics.DiagnosticBag(), item => twice.Add(System.Text.Encoding.UTF8.GetString(item.Span)));
        Assert.Equal(handed, twice);
    }

    /// <summary>The document with one value replaced by one of the wrong shape, one key dropped, or an unknown key added,
    /// at every place in it.</summary>
    private static IEnumerable<JsonObject> Broken(JsonObject document)
    {
        var paths = new List<string[]>();
        void Walk(JsonNode? node, string[] path)
        {
            paths.Add(path);
            if (node is JsonObject o) foreach (var (key, child) in o) Walk(child, [.. path, key]);
            else if (node is JsonArray a) for (var i = 0; i < a.Count; i++) Walk(a[i], [.. path, i.ToString()]);
        }
        Walk(document, []);
        JsonNode? At(JsonNode root, string[] path) => path.Aggregate((JsonNode?)root, (n, p) => n is JsonArray a ? a[int.Parse(p)] : n?[p]);
        JsonNode?[] wrong = [JsonValue.Create(42), JsonValue.Create("x"), new JsonArray(), new JsonObject(), JsonValue.Create(true), null];
        foreach (var (path, n) in paths.Skip(1).Select((p, n) => (p, n)))
        {
            var copy = document.DeepClone().AsObject();
            var parent = At(copy, path[..^1]);
            var last = path[^1];
            switch (parent, n % 3)
            {
                case (JsonObject o, 0):
                    o.Remove(last);
                    break;
                case (JsonObject o, 1):
                    o["unknownField"] = 1;
                    break;
                case (JsonObject o, _):
                    o[last] = wrong[n % wrong.Length]?.DeepClone();
                    break;
                case (JsonArray a, _):
                    a[int.Parse(last)] = wrong[n % wrong.Length]?.DeepClone();
                    break;
            }
            yield return copy;
        }
    }
}
