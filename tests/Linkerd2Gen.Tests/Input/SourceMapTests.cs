using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Load;
using Linkerd2Gen.Model;
using YamlDotNet.RepresentationModel;

namespace Linkerd2Gen.Tests.Input;

/// <summary>
/// Reading a mesh file, the source map finds every node of the document by its JSON Pointer (keys escaped as RFC 6901 escapes them, items by
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

    private static SourceMap Map()
    {
        var diagnostics = new DiagnosticBag();
        var loaded = YamlLoader.Load("mesh.yaml", Text, diagnostics);
        Assert.Empty(diagnostics.Items);
        return loaded!.Map;
    }

    /// <summary>Every node with its pointer and the key that names it, as YAML's own node tree has them (the test's walk,
    /// the pointers written out the way RFC 6901 writes them).</summary>
    private static List<(string Pointer, SourceLocation? Key, SourceLocation At)> Nodes()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Text));
        static SourceLocation At(YamlNode node) => new("mesh.yaml", (int)node.Start.Line, (int)node.Start.Column);
        var nodes = new List<(string, SourceLocation?, SourceLocation)>();
        void Walk(YamlNode node, string pointer, SourceLocation? key)
        {
            nodes.Add((pointer, key, At(node)));
            if (node is YamlMappingNode mapping)
            {
                foreach (var (k, v) in mapping.Children) Walk(v, $"{pointer}/{((YamlScalarNode)k).Value!.Replace("~", "~0").Replace("/", "~1")}", At(k));
            }
            else if (node is YamlSequenceNode sequence)
            {
                for (var i = 0; i < sequence.Children.Count; i++) Walk(sequence.Children[i], $"{pointer}/{i}", null);
            }
        }
        Walk(stream.Documents[0].RootNode, "", null);
        return nodes;
    }

    [Fact]
    public void Every_node_is_found_by_its_pointer_at_its_value_and_its_key()
    {
        var map = Map();
        var nodes = Nodes();
        Assert.True(nodes.Count >= 25, $"{nodes.Count} nodes");
        foreach (var (pointer, key, at) in nodes)
        {
            Assert.True(map.Contains(pointer), pointer);
            Assert.Equal(at, map.Value(pointer));
            Assert.Equal(key ?? at, map.Key(pointer));
        }
        // The escaped keys are real: a '/' and a '~' in a key.
        Assert.Contains(nodes, n => n.Pointer == "/namespaces/0/labels/app.kubernetes.io~1part-of");
        Assert.Contains(nodes, n => n.Pointer == "/namespaces/0/labels/odd~0key");
    }

    [Fact]
    public void A_pointer_to_nothing_falls_back_to_the_nearest_node_above_it()
    {
        var map = Map();
        var nodes = Nodes();
        var web = nodes.Single(n => n.Pointer == "/namespaces/0/services/0");
        var labels = nodes.Single(n => n.Pointer == "/namespaces/0/labels");
        foreach (var missing in new[] { "/namespaces/0/services/0/image", "/namespaces/0/services/0/nope/0" })
        {
            Assert.False(map.Contains(missing));
            Assert.Equal(web.At, map.Value(missing));
        }
        // Not an index as a pointer writes one (a leading zero, a sign, past the end): the sequence itself.
        var services = nodes.Single(n => n.Pointer == "/namespaces/0/services");
        foreach (var odd in new[] { "/namespaces/0/services/00", "/namespaces/0/services/+1", "/namespaces/0/services/2", "/namespaces/0/services/-" })
        {
            Assert.False(map.Contains(odd));
            Assert.Equal(services.At, map.Value(odd));
            Assert.Equal(services.Key, map.Key(odd));
        }
        // A mapping's key "0" is a name, not an index; an unescaped '/' is two segments.
        Assert.True(map.Contains("/namespaces/0/labels/0"));
        Assert.False(map.Contains("/namespaces/0/labels/app.kubernetes.io/part-of"));
        Assert.Equal(labels.At, map.Value("/namespaces/0/labels/app.kubernetes.io/part-of"));
        // The whole document, and what is no pointer at all.
        var root = nodes.Single(n => n.Pointer == "");
        Assert.Equal(root.At, map.Value(""));
        Assert.False(map.Contains("namespaces"));
        Assert.Equal(root.At, map.Value("namespaces"));
    }
}
