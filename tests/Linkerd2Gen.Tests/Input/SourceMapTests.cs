using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Load;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Tests.Input;

/// <summary>
/// The source map finds every node of a document by its JSON Pointer (keys escaped as RFC 6901 escapes them, items by
/// index), at its own place and its key's, and a pointer to nothing falls back to the nearest node above it, as
/// diagnostics expect.
/// </summary>
public class SourceMapTests
{
    private const string Text = """
        apiVersion: linkerd2gen.io/v1alpha1
        kind: Mesh
        metadata:
          name: east
        namespaces:
          - name: shop
            labels:
              app.kubernetes.io/part-of: shop
              "odd~key": x
              "0": zero
            services:
              - name: web
                ports: [{name: http, containerPort: 8080}]
              - name: api
                args: [a, [b, c], {d: e}]
        """;

    private static YNode Root()
    {
        var diagnostics = new DiagnosticBag();
        var root = YamlLoader.Load("mesh.yaml", Text, diagnostics);
        Assert.Empty(diagnostics.Items);
        return root!;
    }

    /// <summary>Every node with its pointer, written out the way RFC 6901 writes them (the test's own walk).</summary>
    private static IEnumerable<(string Pointer, YScalar? Key, YNode Node)> Nodes(YNode node, string pointer = "", YScalar? key = null)
    {
        yield return (pointer, key, node);
        var children = node switch
        {
            YMapping m => m.Entries.Select(e => ($"{pointer}/{e.Key.Value.Replace("~", "~0").Replace("/", "~1")}", (YScalar?)e.Key, e.Value)),
            YSequence s => s.Items.Select((item, i) => ($"{pointer}/{i}", (YScalar?)null, item)),
            _ => [],
        };
        foreach (var (p, k, child) in children)
        {
            foreach (var found in Nodes(child, p, k)) yield return found;
        }
    }

    [Fact]
    public void Every_node_is_found_by_its_pointer_at_its_value_and_its_key()
    {
        var root = Root();
        var (_, map, _) = YamlToJson.ToUtf8(root, "mesh.yaml");
        var nodes = Nodes(root).ToList();
        Assert.True(nodes.Count >= 25, $"{nodes.Count} nodes");
        foreach (var (pointer, key, node) in nodes)
        {
            Assert.True(map.Contains(pointer), pointer);
            Assert.Equal(node.Start, map.Value(pointer));
            Assert.Equal((key ?? node).Start, map.Key(pointer));
        }
        // The escaped keys are real: a '/' and a '~' in a key.
        Assert.Contains(nodes, n => n.Pointer == "/namespaces/0/labels/app.kubernetes.io~1part-of");
        Assert.Contains(nodes, n => n.Pointer == "/namespaces/0/labels/odd~0key");
    }

    [Fact]
    public void A_pointer_to_nothing_falls_back_to_the_nearest_node_above_it()
    {
        var root = Root();
        var (_, map, _) = YamlToJson.ToUtf8(root, "mesh.yaml");
        var web = Nodes(root).Single(n => n.Pointer == "/namespaces/0/services/0");
        var labels = Nodes(root).Single(n => n.Pointer == "/namespaces/0/labels");
        foreach (var missing in new[] { "/namespaces/0/services/0/image", "/namespaces/0/services/0/nope/0" })
        {
            Assert.False(map.Contains(missing));
            Assert.Equal(web.Node.Start, map.Value(missing));
        }
        // Not an index as a pointer writes one (a leading zero, a sign, past the end): the sequence itself.
        var services = Nodes(root).Single(n => n.Pointer == "/namespaces/0/services");
        foreach (var odd in new[] { "/namespaces/0/services/00", "/namespaces/0/services/+1", "/namespaces/0/services/2", "/namespaces/0/services/-" })
        {
            Assert.False(map.Contains(odd));
            Assert.Equal(services.Node.Start, map.Value(odd));
            Assert.Equal(services.Key!.Start, map.Key(odd));
        }
        // A mapping's key "0" is a name, not an index; an unescaped '/' is two segments.
        Assert.True(map.Contains("/namespaces/0/labels/0"));
        Assert.False(map.Contains("/namespaces/0/labels/app.kubernetes.io/part-of"));
        Assert.Equal(labels.Node.Start, map.Value("/namespaces/0/labels/app.kubernetes.io/part-of"));
        // The whole document, and what is no pointer at all.
        Assert.Equal(root.Start, map.Value(""));
        Assert.False(map.Contains("namespaces"));
        Assert.Equal(root.Start, map.Value("namespaces"));
    }
}
