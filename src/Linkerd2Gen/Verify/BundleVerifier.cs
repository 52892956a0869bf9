using System.Text.Json;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Render;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Linkerd2Gen.Verify;

/// <summary>
/// Reads every rendered file back before anything is written: YAML documents must parse and carry
/// apiVersion, kind and metadata.name; JSON patches must be arrays of RFC 6902 operations or merge patches naming their target. A failure is a
/// bug (in a template or an override), reported at the template line that wrote the offending line.
/// </summary>
public static class BundleVerifier
{
    private static readonly HashSet<string> Ops = ["add", "remove", "replace", "move", "copy", "test"];

    public static void Verify(Bundle bundle, TemplateSource templates, DiagnosticBag diagnostics)
    {
        // Files are read back in parallel (each on its own), their findings reported in the bundle's order.
        var files = bundle.Files.ToList();
        var found = new DiagnosticBag[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            var (path, content) = files[i];
            var template = templates.DisplayPath(bundle.Templates[path]);
            SourceLocation at(long line) => bundle.SourceOf(path, (int)line, template);
            found[i] = new DiagnosticBag();
            if (path.EndsWith(".yaml", StringComparison.Ordinal))
            {
                VerifyYaml(path, content, at, found[i]);
            }
            else if (path.EndsWith(".json", StringComparison.Ordinal))
            {
                VerifyPatch(path, content, at, found[i]);
            }
        });
        foreach (var bag in found)
        {
            diagnostics.AddRange(bag.Items);
        }
    }

    private static void VerifyYaml(string path, string content, Func<long, SourceLocation> at, DiagnosticBag diagnostics)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(content));
        }
        catch (YamlException e)
        {
            diagnostics.Add(DiagnosticCatalog.RenderedYamlInvalid(at(e.Start.Line), path, $"line {e.Start.Line}: {e.Message}"));
            return;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            // YamlDotNet gives up this way on some broken input (a flow collection left open at the end).
            diagnostics.Add(DiagnosticCatalog.RenderedYamlInvalid(at(content.Count(c => c == '\n')), path, e.Message));
            return;
        }
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root)
            {
                diagnostics.Add(DiagnosticCatalog.RenderedObjectInvalid(at(document.RootNode.Start.Line), path, $"line {document.RootNode.Start.Line}: a document is not a mapping"));
                continue;
            }
            foreach (var key in new[] { "apiVersion", "kind" })
            {
                if (!root.Children.TryGetValue(key, out var value) || value is not YamlScalarNode { Value.Length: > 0 })
                {
                    diagnostics.Add(DiagnosticCatalog.RenderedObjectInvalid(at(root.Start.Line), path, $"line {root.Start.Line}: the object has no {key}"));
                }
            }
            var isKustomize = root.Children.TryGetValue("apiVersion", out var api) && api.ToString().StartsWith("kustomize.config.k8s.io/", StringComparison.Ordinal);
            if (!isKustomize && (!root.Children.TryGetValue("metadata", out var metadata) || metadata is not YamlMappingNode m || !m.Children.ContainsKey("name")))
            {
                diagnostics.Add(DiagnosticCatalog.RenderedObjectInvalid(at(root.Start.Line), path, $"line {root.Start.Line}: the object has no metadata.name"));
            }
        }
    }

    private static void VerifyPatch(string path, string content, Func<long, SourceLocation> at, DiagnosticBag diagnostics)
    {
        try
        {
            using var json = JsonDocument.Parse(content);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                // A merge patch: the partial object, named as its target.
                var root = json.RootElement;
                var named = root.TryGetProperty("apiVersion", out _) && root.TryGetProperty("kind", out _)
                    && root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("name", out _);
                if (!named) diagnostics.Add(DiagnosticCatalog.RenderedObjectInvalid(at(1), path, "a merge patch must name its target: apiVersion, kind and metadata.name"));
                return;
            }
            if (json.RootElement.ValueKind != JsonValueKind.Array)
            {
                diagnostics.Add(DiagnosticCatalog.RenderedObjectInvalid(at(0), path, "a patch must be an RFC 6902 array of operations or a merge patch object"));
                return;
            }
            foreach (var op in json.RootElement.EnumerateArray())
            {
                var ok = op.ValueKind == JsonValueKind.Object
                    && op.TryGetProperty("op", out var name) && Ops.Contains(name.GetString() ?? "")
                    && op.TryGetProperty("path", out var p) && p.GetString() is { } pointer && (pointer.Length == 0 || pointer.StartsWith('/'))
                    && (name.GetString() is "remove" || op.TryGetProperty("value", out _) || op.TryGetProperty("from", out _));
                if (!ok)
                {
                    diagnostics.Add(DiagnosticCatalog.RenderedObjectInvalid(at(0), path, $"not an RFC 6902 operation: {op.GetRawText()}"));
                }
            }
        }
        catch (JsonException e)
        {
            diagnostics.Add(DiagnosticCatalog.RenderedYamlInvalid(at((e.LineNumber ?? -1) + 1), path, e.Message));
        }
    }
}
