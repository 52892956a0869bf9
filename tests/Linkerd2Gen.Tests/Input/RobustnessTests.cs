using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Input;

/// <summary>Mangled input never crashes the compiler: every mutation of the examples ends in a bundle or in diagnostics.</summary>
public class RobustnessTests
{
    private static readonly string[] Replacements = ["", "~", "[]", "{}", "-1", "0", "2.5", "01.5", "1e400", "\"\"", "yes", "[a, b]", "{a: 1}", "\"x: y\"", "99999999999", "*", "/", "-",
        // Scalars the two YAML dialects read apart, tags, an anchor and a control character.
        "0o17", "1_000", "12:30:45", "!!str 5", "&a x", "\"\\u0000\""];

    public static TheoryData<string> Examples => new(Directory.GetFiles(Path.Combine(Repo.Root, "examples"), "*.yaml", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Repo.Root, f)).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_value_replaced_and_every_line_dropped_or_doubled_gives_diagnostics_not_exceptions(string example)
    {
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, example));
        var mutants = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            mutants.Add(string.Join("\n", lines.Where((_, j) => j != i)));
            mutants.Add(string.Join("\n", lines.Take(i + 1).Append(lines[i]).Concat(lines.Skip(i + 1))));
            var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0 || lines[i].TrimStart().StartsWith('#')) continue;
            foreach (var r in Replacements)
            {
                var copy = (string[])lines.Clone();
                copy[i] = lines[i][..(colon + 2)] + r;
                mutants.Add(string.Join("\n", copy));
            }
        }
        foreach (var mutant in mutants)
        {
            var result = Mesh.Compile(mutant);
            Assert.True(result.Bundles.Count == 1 || result.HasErrors, mutant);
            Assert.All(result.Diagnostics, d => Assert.True(d.Location.Line >= 0 && d.Code.StartsWith("L2G", StringComparison.Ordinal)));
        }
    }
}

/// <summary>Mangled manifests never crash `inject`: it answers with output or linkerd's error block.</summary>
public class InjectRobustnessTests
{
    [ConformanceFact]
    public void Every_line_of_the_emissary_install_dropped_or_truncated_gives_output_or_an_error()
    {
        var lines = File.ReadAllLines(Repo.EmissaryInstall);
        for (var i = 0; i < lines.Length; i += 3)
        {
            foreach (var mutant in new[]
            {
                string.Join("\n", lines.Where((_, j) => j != i)),
                string.Join("\n", lines.Take(i).Append(lines[i][..(lines[i].Length / 2)])),
            })
            {
                var result = Linkerd2Gen.Inject.Injector.Inject(mutant, Linkerd2Gen.Linkerd.InjectOptions.Default);
                Assert.True(result.ExitCode == 0 ? result.Output.Length > 0 : result.Report.StartsWith("Error transforming resources:", StringComparison.Ordinal), mutant);
            }
        }
    }
}
