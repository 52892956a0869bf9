using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Render;

namespace Linkerd2Gen.Tests.Support;

/// <summary>Renders the committed examples (in memory) once per test run.</summary>
public static class Examples
{
    private static readonly Dictionary<string, IReadOnlyList<Bundle>> Cache = new();

    public static IReadOnlyList<Bundle> Render(params string[] files)
    {
        var key = string.Join("|", files);
        lock (Cache)
        {
            if (!Cache.TryGetValue(key, out var bundles))
            {
                var result = Compiler.Compile(files.Select(f => Path.Combine(Repo.Root, "examples", f)).ToList());
                Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
                Cache[key] = bundles = result.Bundles;
            }
            return bundles;
        }
    }

    public static Bundle Qotm => Render("qotm/mesh.yaml").Single();

    /// <summary>Every object of every YAML file of a bundle (the kustomizations excluded).</summary>
    public static List<YamlDotNet.RepresentationModel.YamlMappingNode> Objects(Bundle bundle) =>
        bundle.Files.Where(f => f.Key.EndsWith(".yaml", StringComparison.Ordinal) && !f.Key.EndsWith("kustomization.yaml", StringComparison.Ordinal))
            .SelectMany(f => ReadBack.Documents(f.Value)).ToList();
}
