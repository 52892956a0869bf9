
using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Rendering;

public class DeterminismTests
{
    private static readonly string Example = Path.Combine(Repo.Root, "examples", "qotm", "mesh.yaml");

    [Fact]
    public void Line_endings_and_trailing_blanks_are_normalised_as_the_plain_definition_says()
    {
        // The definition: CRLF → LF, each line's trailing spaces and tabs dropped, exactly one newline at the end.
        static string Reference(string s) => string.Join("\n", s.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd(' ', '\t'))).TrimEnd('\n') + "\n";
        var random = new Random(11);
        const string alphabet = "ab \t\r\n";
        var cases = new List<string> { "", "\n", "\r\n", "a", "a\r", "a\r\r\n", "a \t\r\n\n  \n", "\r", " \n\t" };
        for (var i = 0; i < 20_000; i++)
        {
            cases.Add(new string(Enumerable.Range(0, random.Next(0, 12)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()));
        }
        foreach (var text in cases)
        {
            Assert.Equal(Reference(text), Linkerd2Gen.Render.Bundle.Normalise(text));
        }
    }

    [Fact]
    public void Two_renders_give_the_same_bytes()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        Assert.Equal(0, Linkerd2Gen.Cli.Cli.Run(["render", Example, "-o", a.Path], TextWriter.Null, TextWriter.Null));
        Assert.Equal(0, Linkerd2Gen.Cli.Cli.Run(["render", Example, "-o", b.Path], TextWriter.Null, TextWriter.Null));
        var files = Directory.GetFiles(Path.Combine(a.Path, "qotm"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a.Path, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(10, files.Count); // nine bundle files and the manifest
        foreach (var f in files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.Path, f)), File.ReadAllBytes(Path.Combine(b.Path, f)));
        }
    }

    [Fact]
    public void Output_is_lf_only_with_one_trailing_newline_and_no_timestamps()
    {
        foreach (var (path, content) in Examples.Qotm.Files)
        {
            Assert.DoesNotContain('\r', content);
            Assert.EndsWith("\n", content);
            Assert.False(content.EndsWith("\n\n", StringComparison.Ordinal), path);
            Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}", content);
        }
    }

    [Fact]
    public void Crlf_input_renders_the_same_bundle_as_lf_input()
    {
        var text = File.ReadAllText(Example);
        var lf = Compiler.Compile(["mesh.yaml"], texts: new Dictionary<string, string> { ["mesh.yaml"] = text.Replace("\r\n", "\n") });
        var crlf = Compiler.Compile(["mesh.yaml"], texts: new Dictionary<string, string> { ["mesh.yaml"] = text.Replace("\r\n", "\n").Replace("\n", "\r\n") });
        Assert.Equal(lf.Bundles.Single().Files, crlf.Bundles.Single().Files);
    }

    [Fact]
    public void Reordering_namespaces_changes_nothing_but_order_independent_files()
    {
        var mesh = Mesh.Header + "namespaces:\n  - name: b\n    inject: enabled\n  - name: a\n";
        var swapped = Mesh.Header + "namespaces:\n  - name: a\n  - name: b\n    inject: enabled\n";
        var one = Mesh.Compile(mesh).Bundles.Single().Files;
        var two = Mesh.Compile(swapped).Bundles.Single().Files;
        Assert.Equal(one["kustomization.yaml"], two["kustomization.yaml"]);
        Assert.Equal(one["patches/gateway-deployment.json"], two["patches/gateway-deployment.json"]);
    }
}
