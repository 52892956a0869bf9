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

/// <summary>Mangled Kubernetes manifests never crash their readers: a base built from them (as `render` reads a namespace's
/// base) ends in objects and findings, and `inject` in output or linkerd's error block. Besides lines dropped, doubled and
/// with their values replaced, the text YamlDotNet's parser loses its place on (each found by mutating manifests): a key
/// left empty below a key (`- env:` then `  :`), text after a document's end marker, and `>-` in a flow mapping.</summary>
public class ManifestRobustnessTests
{
    private static readonly string[] Values = ["", "~", "[]", "{}", "-1", "01.5", "\"\"", "*", "&a x", "!!str 5", "{a: [", "x: y: z"];

    public static TheoryData<string> Manifests => new(Directory.GetFiles(Repo.Example("emojivoto-base"), "*.yaml", SearchOption.AllDirectories)
        .Where(f => Path.GetFileName(f) != "mesh.yaml").Select(f => Path.GetRelativePath(Repo.Root, f)).Order(StringComparer.Ordinal));

    private static IEnumerable<string> Mutants(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            string With(params string[] inserted) => string.Join("\n", lines.Take(i + 1).Concat(inserted).Concat(lines.Skip(i + 1))) + "\n";
            yield return string.Join("\n", lines.Where((_, j) => j != i)) + "\n";
            yield return With(lines[i]);
            yield return With("...", "..");
            yield return With("x: {a>-", "b: c}");
            var key = lines[i].TrimStart(' ', '-');
            if (key.EndsWith(':')) yield return With(new string(' ', lines[i].Length - key.Length) + ":");
            var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
            if (colon < 0) continue;
            foreach (var value in Values)
            {
                var copy = (string[])lines.Clone();
                copy[i] = lines[i][..(colon + 2)] + value;
                yield return string.Join("\n", copy) + "\n";
            }
        }
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_mutation_of_a_base_manifest_gives_objects_or_findings_not_exceptions(string manifest)
    {
        using var dir = new TempDir();
        foreach (var file in Directory.GetFiles(Repo.Example("emojivoto-base/manifests"))) File.Copy(file, dir.Combine(Path.GetFileName(file)));
        var target = dir.Combine(Path.GetFileName(manifest));
        foreach (var mutant in Mutants(File.ReadAllLines(Path.Combine(Repo.Root, manifest))))
        {
            File.WriteAllText(target, mutant);
            // (A kustomization cut short may rightly build nothing: no objects, no findings.)
            var (_, findings) = Linkerd2Gen.Kubernetes.Kustomization.Build(dir.Path);
            Assert.All(findings, f => Assert.True(f.Problem.Length > 0 && f.File.Length > 0, mutant));
            var injected = Linkerd2Gen.Inject.Injector.Inject(mutant, Linkerd2Gen.Linkerd.InjectOptions.Default);
            Assert.True(injected.ExitCode == 0 || injected.Report.StartsWith("Error transforming resources:", StringComparison.Ordinal), mutant);
        }
    }
}
