
namespace Linkerd2Gen.Tests.Support;

/// <summary>Paths of the repository and of the third-party conformance data beside it (../shared).</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared/conformance, which a user's clone does not have (tests that need it skip there).</summary>
    public static string Conformance => Path.GetFullPath(Path.Combine(Root, "..", "shared", "conformance"));

    public static bool HasConformance => Directory.Exists(Conformance);

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Example(string name) => Path.Combine(Root, "examples", name);

    public static string EmissaryInstall => Path.Combine(Conformance, "emissary", "install", "emissary-emissaryns-3.10.0.yaml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Linkerd2Gen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Linkerd2Gen.sln not found above the test binaries");
    }

    public static string? Which(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var path = Path.Combine(dir, tool);
            if (File.Exists(path)) return path;
        }
        return null;
    }
}

/// <summary>A fact that needs ../shared/conformance: skipped with a reason on a user's clone, run (and failing if absent) in CI.</summary>
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute()
    {
        if (!Repo.HasConformance && !Repo.IsCi)
        {
            Skip = "needs ../shared/conformance (third-party test data beside the repository); not present in this clone";
        }
    }
}

/// <summary>A theory that needs ../shared/conformance, skipped like <see cref="ConformanceFactAttribute"/>.</summary>
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
    public ConformanceTheoryAttribute()
    {
        if (!Repo.HasConformance && !Repo.IsCi)
        {
            Skip = "needs ../shared/conformance (third-party test data beside the repository); not present in this clone";
        }
    }
}

/// <summary>A fact that also needs kubectl (with its built-in Kustomize).</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute(bool needsConformance = false)
    {
        if (Repo.Which("kubectl") is null)
        {
            Skip = "needs kubectl (with Kustomize) on PATH";
        }
        else if (needsConformance && !Repo.HasConformance && !Repo.IsCi)
        {
            Skip = "needs ../shared/conformance (third-party test data beside the repository); not present in this clone";
        }
    }
}

public static class Kubectl
{
    /// <summary>
    /// A stream holds what `kubectl kustomize` printed: the same objects in the same order. Both are read the same way (as
    /// kubectl reads YAML), so quoting and key order do not matter.
    /// </summary>
    public static void AssertSameObjects(string kustomized, string streamed)
    {
        var expected = Linkerd2Gen.Yaml.ManifestReader.Read(kustomized);
        var actual = Linkerd2Gen.Yaml.ManifestReader.Read(streamed);
        static string Id(System.Text.Json.Nodes.JsonObject o) => $"{o["kind"]} {o["metadata"]?["namespace"]}/{o["metadata"]?["name"]}";
        Assert.Equal(expected.Select(Id), actual.Select(Id));
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(e, a), $"{Id(e)}\nkustomize: {Linkerd2Gen.Yaml.GoYaml.Json(e)}\nstream:    {Linkerd2Gen.Yaml.GoYaml.Json(a)}");
        }
    }

    /// <summary>`kubectl kustomize DIR`: the built YAML, or an exception with kubectl's own message.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Kustomize(string dir)
    {
        var kubectl = Repo.Which("kubectl") ?? throw new InvalidOperationException("kubectl is not on PATH");
        return Processes.Run(kubectl, ["kustomize", dir]);
    }
}
