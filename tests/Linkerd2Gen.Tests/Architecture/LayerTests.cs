using NetArchTest.Rules;

namespace Linkerd2Gen.Tests.Architecture;

/// <summary>
/// The layers of ARCHITECTURE.md, enforced on the compiled library: a folder (namespace) may use only the folders
/// below it. Inject stands on the shared layers beside the compiler stages and neither uses the other.
/// </summary>
public class LayerTests
{
    /// <summary>Bottom to top.</summary>
    public static readonly string[] Stages =
        ["Diagnostics", "Yaml", "Kubernetes", "Linkerd", "Model", "Load", "Validate", "Resolve", "Rules", "Render", "Verify", "Write", "Pipeline"];

    /// <summary>The layers Inject may use; it is not one of the stages, and no stage may use it.</summary>
    private static readonly string[] SharedLayers = ["Diagnostics", "Yaml", "Kubernetes", "Linkerd"];

    private static readonly System.Reflection.Assembly Library = typeof(Linkerd2Gen.Pipeline.Compiler).Assembly;

    /// <summary>Every reference from a layer to one that is not below it, as "From → To: type".</summary>
    public static List<string> Violations(IReadOnlyList<string> stages)
    {
        var violations = new List<string>();
        void Check(string layer, IEnumerable<string> forbidden)
        {
            var names = forbidden.Select(f => $"Linkerd2Gen.{f}").ToArray();
            if (names.Length == 0) return;
            var result = Types.InAssembly(Library).That().ResideInNamespace($"Linkerd2Gen.{layer}")
                .ShouldNot().HaveDependencyOnAny(names).GetResult();
            violations.AddRange((result.FailingTypes ?? []).Select(t => $"{layer} → one of [{string.Join(", ", forbidden)}]: {t.FullName}"));
        }
        for (var i = 0; i < stages.Count; i++)
        {
            Check(stages[i], stages.Skip(i + 1).Append("Inject"));
        }
        Check("Inject", stages.Except(SharedLayers));
        return violations;
    }

    [Fact]
    public void Every_layer_uses_only_the_layers_below_it()
    {
        var violations = Violations(Stages);
        Assert.True(violations.Count == 0, "references against the layer picture:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Every_namespace_of_the_library_is_a_known_layer()
    {
        var known = Stages.Append("Inject").Select(s => $"Linkerd2Gen.{s}").ToHashSet();
        var unknown = Library.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith("Linkerd2Gen", StringComparison.Ordinal) && !known.Contains(n)).Distinct().ToList();
        Assert.True(unknown.Count == 0, "namespaces outside the layer picture (add them to ARCHITECTURE.md and here): " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_check_fails_on_an_arrow_that_runs_upwards()
    {
        // Reversing the picture turns every real (downward) reference into an upward one: the check must see them.
        var reversed = Stages.Reverse().ToList();
        var violations = Violations(reversed);
        Assert.Contains(violations, v => v.StartsWith("Pipeline →", StringComparison.Ordinal) && v.EndsWith("Linkerd2Gen.Pipeline.Compiler", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("Linkerd →", StringComparison.Ordinal));
    }

    [Fact]
    public void Folders_match_namespaces()
    {
        var src = Path.Combine(Support.Repo.Root, "src", "Linkerd2Gen");
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")))
        {
            var folder = Path.GetRelativePath(src, Path.GetDirectoryName(file)!).Replace(Path.DirectorySeparatorChar, '.');
            Assert.Contains($"namespace Linkerd2Gen.{folder};", File.ReadAllText(file));
        }
    }
}
