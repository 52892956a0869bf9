using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Pipeline;

namespace Linkerd2Gen.Tests.Support;

/// <summary>Compiles mesh text held in memory, as a file named mesh.yaml.</summary>
public static class Mesh
{
    public const string Header = "apiVersion: linkerd2gen.io/v1alpha1\nkind: Mesh\nmetadata:\n  name: test\n";

    public static CompileResult Compile(string text, string file = "mesh.yaml") =>
        Compiler.Compile([file], texts: new Dictionary<string, string> { [file] = text });

    public static IReadOnlyList<Diagnostic> Diagnostics(string text) => Compile(text).Diagnostics;

    /// <summary>The single diagnostic with <paramref name="code"/>; fails listing all findings otherwise.</summary>
    public static Diagnostic Single(string text, string code)
    {
        var all = Diagnostics(text);
        var matching = all.Where(d => d.Code == code).ToList();
        Assert.True(matching.Count == 1, $"expected one {code}, got:\n{string.Join("\n", all)}");
        return matching[0];
    }
}
