using System.Reflection;
using System.Text.RegularExpressions;
using Linkerd2Gen.Diagnostics;

namespace Linkerd2Gen.Tests.Input;

/// <summary>The catalogue keeps its promises: one stable code per diagnostic, each with a message and a hint.</summary>
public class DiagnosticCatalogTests
{
    private static IEnumerable<(string Method, Diagnostic Diagnostic)> All() =>
        typeof(DiagnosticCatalog).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(Diagnostic))
            .Select(m => (m.Name, (Diagnostic)m.Invoke(null, m.GetParameters().Select(Sample).ToArray())!));

    private static object? Sample(ParameterInfo p) => p.ParameterType switch
    {
        var t when t == typeof(string) => "x",
        var t when t == typeof(int) => 1,
        var t when t == typeof(long) => 1L,
        var t when t == typeof(SourceLocation) => new SourceLocation("mesh.yaml", 1, 1),
        var t when t == typeof(IEnumerable<string>) => new[] { "a", "b" },
        var t when t == typeof(IEnumerable<int>) => new[] { 80 },
        _ => null,
    };

    [Fact]
    public void Every_diagnostic_has_its_own_code()
    {
        var all = All().ToList();
        Assert.True(all.Count > 50, $"only {all.Count} diagnostics found");
        var shared = all.GroupBy(d => d.Diagnostic.Code).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Method))}");
        Assert.Empty(shared);
        Assert.All(all, d => Assert.Matches(new Regex("^L2G[0-9]{4}$"), d.Diagnostic.Code));
    }

    [Fact]
    public void Every_diagnostic_says_what_and_how_to_fix_it()
    {
        foreach (var (method, d) in All())
        {
            Assert.False(string.IsNullOrWhiteSpace(d.Message), method);
            // Schema findings may carry the field's own description as their hint; all others have one of their own.
            if (method is not ("WrongType" or "MissingField" or "PatternMismatch" or "WrongLength"))
            {
                Assert.False(string.IsNullOrWhiteSpace(d.Hint), $"{method} ({d.Code}) has no hint");
            }
        }
    }

    [Fact]
    public void No_code_is_written_outside_the_catalogue()
    {
        var src = Path.Combine(Support.Repo.Root, "src");
        var sep = Path.DirectorySeparatorChar;
        var literals = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{sep}obj{sep}") && !f.Contains($"{sep}bin{sep}") && Path.GetFileName(f) != "DiagnosticCatalog.cs")
            .Concat(Directory.EnumerateFiles(Path.Combine(Support.Repo.Root, "templates")))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => Regex.IsMatch(x.line, "L2G[0-9]{4}"))
            .Select(x => $"{Path.GetRelativePath(Support.Repo.Root, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(literals.Count == 0, "diagnostic codes written outside DiagnosticCatalog.cs:\n" + string.Join("\n", literals));
    }
}
