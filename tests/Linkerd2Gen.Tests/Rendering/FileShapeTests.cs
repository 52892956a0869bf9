using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Render;
using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Verify;

namespace Linkerd2Gen.Tests.Rendering;

/// <summary>
/// The read-back's shortcut (<see cref="FileShapes"/>) may only ever say what the full read-back would say: a file it
/// proves must read back cleanly. Checked on every file the examples, the baselines and a fleet render, and on those
/// files with their values replaced by what YAML reads in other ways (indicators, quotes, line breaks, other keys).
/// </summary>
public class FileShapeTests
{
    /// <summary>A YAML file as rendered, with where its values were written.</summary>
    private sealed record Rendered(string Path, string Content, Range[] Values);

    /// <summary>Every YAML file a mesh renders whose values' places are known (a patched workload's are not).</summary>
    private static List<Rendered> RenderFiles(params string[] meshFiles)
    {
        var result = Compiler.Compile(meshFiles.ToList());
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var files = new System.Collections.Concurrent.ConcurrentBag<Rendered>();
        foreach (var mesh in result.Meshes)
        {
            new BundleRenderer(new TemplateSource()).Render(mesh.Resolved, new DiagnosticBag(), (path, content, values, _, _) =>
            {
                if (values is not null && path.EndsWith(".yaml", StringComparison.Ordinal)) files.Add(new(path, content, [.. values]));
            });
        }
        return files.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Content, StringComparer.Ordinal).ToList();
    }

    private static List<Rendered> Fleet()
    {
        using var dir = new TempDir();
        var mesh = dir.Write("fleet.yaml", Mesh.Fleet(300, calls: true));
        return RenderFiles(mesh);
    }

    /// <summary>The examples and every baseline that renders.</summary>
    private static IEnumerable<List<Rendered>> Corpus()
    {
        foreach (var example in new[] { "qotm/mesh.yaml", "emojivoto/mesh.yaml", "emojivoto-base/mesh.yaml" })
        {
            yield return RenderFiles(Path.Combine(Repo.Root, "examples", example));
        }
        yield return RenderFiles(Path.Combine(Repo.Root, "examples", "multicluster", "east.yaml"), Path.Combine(Repo.Root, "examples", "multicluster", "west.yaml"));
        foreach (var baseline in Directory.GetDirectories(Path.Combine(Repo.Root, "tests", "baselines")).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(baseline).StartsWith("bad-", StringComparison.Ordinal)) continue;
            yield return RenderFiles(Directory.GetFiles(baseline, "*.yaml").Order(StringComparer.Ordinal).ToArray());
        }
    }

    private static IReadOnlyList<Diagnostic> FullRead(string path, string content)
    {
        var found = new DiagnosticBag();
        BundleVerifier.VerifyFile(path, content, _ => SourceLocation.WholeFile(path), found);
        return found.Items;
    }

    [Fact]
    public void Nearly_every_file_of_a_fleet_is_proven_by_its_shape_and_each_proven_file_reads_back()
    {
        var files = Fleet();
        var shapes = new FileShapes();
        var proven = files.Where(f => shapes.Proves(f.Content, f.Values)).ToList();
        Assert.All(proven, f => Assert.Empty(FullRead(f.Path, f.Content)));
        // Workloads, mappings and policies share a few shapes: only the first file of each is read in full.
        Assert.True(proven.Count >= files.Count * 9 / 10, $"{proven.Count} of {files.Count} files proven");
        Assert.InRange(shapes.ShapesRead, 1, files.Count / 10);
    }

    /// <summary>A file from text where each {{…}} marks a value (the braces dropped), as the renderer marks them.</summary>
    private static (string Content, Range[] Values) Marked(string text)
    {
        var content = new System.Text.StringBuilder();
        var values = new List<Range>();
        var parts = text.Split("{{");
        content.Append(parts[0]);
        foreach (var part in parts.Skip(1))
        {
            var end = part.IndexOf("}}", StringComparison.Ordinal);
            var start = content.Length;
            content.Append(part.AsSpan(0, end));
            values.Add(start..content.Length);
            content.Append(part.AsSpan(end + 2));
        }
        return (content.ToString(), values.ToArray());
    }

    [Fact]
    public void Places_out_of_order_or_outside_the_text_prove_nothing_and_throw_nothing()
    {
        const string text = "apiVersion: v1\nkind: K\nmetadata:\n  name: n\n";
        var shapes = new FileShapes();
        Assert.True(shapes.Proves(text, [41..42]));
        Assert.False(shapes.Proves(text, [41..42, 12..14]));
        Assert.False(shapes.Proves(text, [41..60]));
        Assert.False(shapes.Proves(text, [^1..^3]));
    }

    [Theory]
    // A value in an anchor, an alias or a tag: the placeholder would name it, not the value.
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: n\n  labels: &{{a}} {x: y}\n  annotations: *{{b}}\n", false, false)]
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: n\n  labels: &{{a}} {x: y}\n  annotations: *{{a}}\n", true, false)]
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: !{{t}} n\n", true, false)]
    // A key that holds a value, against the mapping's other keys.
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: n\n  {{name}}: m\n", false, false)]
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: n\n  {{other}}: m\n", true, true)]
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: n\n  labels:\n    {{a}}: x\n    {{a}}: y\n", false, false)]
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: n\n  labels:\n    {{a}}: x\n    {{b}}: y\n", true, true)]
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: n\n  labels:\n    {{a}}-{{b}}: x\n    a-{{b}}: y\n", false, false)]
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: n\n  labels:\n    \"{{a}}:{{b}}\": x\n    a:b: y\n", false, false)]
    [InlineData("apiVersion: v1\nkind: K\nmetadata: {name: n, {{kind}}: x}\n{{kind}}: K\n", false, false)]
    // Whether a kustomization needs no name depends on an apiVersion a value wrote.
    [InlineData("apiVersion: {{v1}}\nkind: Kustomization\n", false, false)]
    [InlineData("apiVersion: {{kustomize.config.k8s.io/v1beta1}}\nkind: Kustomization\n", true, false)]
    [InlineData("apiVersion: {{v1}}\nkind: {{Kustomization}}\nmetadata: {name: {{n}}}\n", true, true)]
    // A value in a comment, in a quoted or block scalar, in part of a plain one.
    [InlineData("# from {{mesh.yaml}} ({{a:b}})\napiVersion: v1\nkind: K\nmetadata:\n  name: n-{{x}}\n  labels: {\"{{k}}\": '{{v}}'}\ndata: |\n  {{line}} and more\n", true, true)]
    // A phrase on a comment line: read alike in a comment only.
    [InlineData("# {{route 1 of service ns0/svc0}}\napiVersion: v1\nkind: K\nmetadata:\n  name: n  # {{a: b, [c] #d}}\n", true, true)]
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: n\ndata: |\n  # {{a b}}\n", true, false)]
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: n\ndata: \"a\n  # {{b c}}\"\n", true, false)]
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: n\n#x {{&a}}\n  labels: {}\n", true, true)]
    // Words with colons; what is not a word stays in the shape as text and is read in full with it.
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: {{ghcr.io/a/b:1.2}}\n  {{a:b}}: x\n", true, true)]
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: {{a: b}}\n", false, false)]
    [InlineData("apiVersion: v1\nkind: K\nmetadata:\n  name: {{\"\"}}\n  labels: {{[]}}\n", true, true)]
    public void A_shape_proves_only_what_the_full_read_accepts_where_values_stand_anywhere(string text, bool readsBack, bool proven)
    {
        var (content, values) = Marked(text);
        Assert.Equal(readsBack, FullRead("file.yaml", content).Count == 0);
        Assert.Equal(proven, new FileShapes().Proves(content, values));
    }

    [Fact]
    public void Every_file_of_the_examples_and_the_baselines_is_proven_or_left_to_the_full_read_and_none_wrongly()
    {
        var proven = 0;
        var all = 0;
        foreach (var files in Corpus())
        {
            var shapes = new FileShapes();
            foreach (var file in files)
            {
                all++;
                if (!shapes.Proves(file.Content, file.Values)) continue;
                proven++;
                Assert.Empty(FullRead(file.Path, file.Content));
            }
        }
        Assert.True(proven > all / 2, $"{proven} of {all} files proven");
    }

    /// <summary>What a value may be that YAML does not read as a plain word: indicators, quotes, breaks, spaces,
    /// placeholders, keys the templates write, long text.</summary>
    private static readonly string[] Awkward =
    [
        "", " ", "a b", "a: b", "a:", ":a", "a::b", "a:b", "http://x:80/y", "- a", "-", "--", "---", "...", "-a", ".a", "#x", "x #y", "x#y",
        "&a", "*a", "!t", "!!str x", "%YAML 1.2", "|", ">", "? x", "?", "[a", "]", "{a", "}", "a,b", "'q'", "\"q\"", "\"", "'", "\\",
        "a\nb", "\n", "a\n  b", "\t", "@x", "`x", "~", "null", "true", "0x1F", "1:30", "\u2028", "é", "\ud83d\ude00", "\uE000", "\uE001:\uE001",
        "name", "app", "apiVersion", "kind", "metadata", "labels", "kustomize.config.k8s.io/v1beta1", "v1", new string('a', 200), new string('k', 1100),
        "a/b.c_d-e", "0", "/", "//", "a:b:c",
    ];

    [Fact]
    public void A_file_whose_values_are_replaced_by_anything_is_proven_only_when_it_reads_back()
    {
        // Replacing values by words of the same file makes keys collide; by awkward text, everything else YAML can do.
        var random = new Random(20261203);
        var shapes = new FileShapes();
        var (proven, refused, broken) = (0, 0, 0);
        foreach (var files in Corpus().Append(Fleet().Where((_, i) => i % 25 == 0).ToList()))
        {
            foreach (var file in files.Where(f => f.Values.Length > 0))
            {
                _ = shapes.Proves(file.Content, file.Values); // the shape as rendered, cached first
                var words = file.Values.Select(v => file.Content[v]).ToArray();
                for (var round = 0; round < 12; round++)
                {
                    var (content, values) = Replace(file, random, words);
                    var clean = FullRead(file.Path, content).Count == 0;
                    if (!clean) broken++;
                    if (shapes.Proves(content, values))
                    {
                        proven++;
                        Assert.True(clean, $"proven, yet the full read refuses {file.Path}:\n{content}\n{string.Join("\n", FullRead(file.Path, content))}");
                    }
                    else
                    {
                        refused++;
                    }
                }
            }
        }
        // The replacements reached both sides: files that break, and changed files the shortcut still proves.
        Assert.True(broken > 100 && proven > 100 && refused > 100, $"proven {proven}, refused {refused}, broken {broken}");
    }

    /// <summary>The file with one to three of its values replaced (by awkward text or another of its values) and,
    /// now and then, awkward text put into its own text: the values' places follow.</summary>
    private static (string Content, Range[] Values) Replace(Rendered file, Random random, string[] words)
    {
        var replaced = new Dictionary<int, string>();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var pick = random.Next(file.Values.Length);
            replaced[pick] = random.Next(3) == 0 ? words[random.Next(words.Length)] : Awkward[random.Next(Awkward.Length)];
        }
        var insertAt = random.Next(8) == 0 ? random.Next(file.Content.Length) : -1;
        var text = new System.Text.StringBuilder();
        var values = new Range[file.Values.Length];
        var copied = 0;
        for (var i = 0; i < file.Values.Length; i++)
        {
            var (start, length) = file.Values[i].GetOffsetAndLength(file.Content.Length);
            Copy(start);
            var at = text.Length;
            text.Append(replaced.TryGetValue(i, out var word) ? word : file.Content.AsSpan(start, length));
            values[i] = at..text.Length;
            copied = start + length;
        }
        Copy(file.Content.Length);
        return (text.ToString(), values);

        void Copy(int to)
        {
            if (copied <= insertAt && insertAt < to)
            {
                text.Append(file.Content.AsSpan(copied, insertAt - copied)).Append(Awkward[random.Next(Awkward.Length)]);
                copied = insertAt;
            }
            text.Append(file.Content.AsSpan(copied, to - copied));
        }
    }
}
