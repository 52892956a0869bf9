using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Write;

namespace Linkerd2Gen.Tests.Baselines;

/// <summary>
/// Baseline tests, one folder per case under tests/baselines/: the input mesh files (*.yaml at the top of the case),
/// `diagnostics.txt` (every finding as the CLI prints it, with file:line:col) and `out/<cluster>/` (the expected
/// bundles, when the input is valid). Set LINKERD2GEN_UPDATE_BASELINES=1 to rewrite them from the current code; a
/// reviewer then reads the diff.
/// </summary>
public class BaselineTests
{
    public static string Root => Path.Combine(Repo.Root, "tests", "baselines");

    private static bool Updating => Environment.GetEnvironmentVariable("LINKERD2GEN_UPDATE_BASELINES") == "1";

    public static TheoryData<string> Cases => new(Directory.GetDirectories(Root).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_case_renders_its_baseline(string name)
    {
        var dir = Path.Combine(Root, name);
        var actual = Run(dir);
        var expectedFiles = Directory.Exists(Path.Combine(dir, "out"))
            ? Directory.EnumerateFiles(Path.Combine(dir, "out"), "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(dir, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText)
            : [];
        var diagnosticsFile = Path.Combine(dir, "diagnostics.txt");
        if (Updating)
        {
            if (Directory.Exists(Path.Combine(dir, "out"))) Directory.Delete(Path.Combine(dir, "out"), recursive: true);
            foreach (var (path, content) in actual.Files)
            {
                var full = Path.Combine(dir, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content);
            }
            File.WriteAllText(diagnosticsFile, actual.Diagnostics);
            return;
        }
        Assert.True(File.Exists(diagnosticsFile), $"{name}: no diagnostics.txt; run the tests with LINKERD2GEN_UPDATE_BASELINES=1 and review the result");
        Assert.Equal(File.ReadAllText(diagnosticsFile), actual.Diagnostics);
        Assert.Equal(expectedFiles.Keys.Order(StringComparer.Ordinal), actual.Files.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, content) in actual.Files)
        {
            Assert.True(expectedFiles[path] == content, $"{name}/{path} differs from its baseline:\n{content}");
        }
    }

    /// <summary>Compiles every top-level *.yaml of the case together, from inside the case folder (paths print relative).</summary>
    private static (string Diagnostics, SortedDictionary<string, string> Files) Run(string dir)
    {
        var inputs = Directory.GetFiles(dir, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var texts = inputs.ToDictionary(f => f!, f => File.ReadAllText(Path.Combine(dir, f!)));
        var result = Compiler.Compile(inputs!, texts: texts);
        var diagnostics = string.Concat(result.Diagnostics.Select(d => d + "\n"));
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var bundle in result.Bundles)
        {
            foreach (var (path, content) in BundleWriter.WithManifest(bundle, "out"))
            {
                files[$"out/{bundle.Cluster}/{path}"] = content;
            }
        }
        return (diagnostics, files);
    }
}
