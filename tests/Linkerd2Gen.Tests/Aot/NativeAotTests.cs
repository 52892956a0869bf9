using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Linkerd2Gen.Tests.Cli;
using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Aot;

/// <summary>
/// The NativeAOT binary, published once from a copy of the sources (so the build under test is never touched):
/// the publish raises no trim or AOT warning at all (a new one fails here, as Scriban's own AOT test does), and the
/// binary does what the JIT build does, byte for byte, on every example and on Linkerd's own inject inputs.
/// </summary>
public sealed class NativeAotBuild : IDisposable
{
    private readonly TempDir _dir = new();

    public string Binary { get; }
    public int ExitCode { get; }
    public string Log { get; }

    public NativeAotBuild()
    {
        Binary = _dir.Combine("aot", "linkerd2gen");
        if (!NativeAotFactAttribute.CanPublish)
        {
            (ExitCode, Log) = (-1, "no NativeAOT publish: it needs Linux with clang on PATH (apt-get install clang zlib1g-dev)");
            return;
        }
        var sources = _dir.Combine("src");
        foreach (var file in new[] { "Directory.Build.props", "README.md" }) Copy(Path.Combine(Repo.Root, file), Path.Combine(sources, file));
        foreach (var folder in new[] { "src", "templates", "schemas" }) CopyFolder(Path.Combine(Repo.Root, folder), Path.Combine(sources, folder));
        var (code, stdout, stderr) = Processes.Run("dotnet", ["publish", Path.Combine(sources, "src", "Linkerd2Gen.Cli"), "-c", "Release", "-r", "linux-x64",
            "-p:PublishAot=true", "-o", _dir.Combine("aot"), "-nologo", "-clp:NoSummary"]);
        (ExitCode, Log) = (code, stdout + stderr);
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to);
    }

    // The sources without build output (bin/obj of a developer's build would be mistaken for this one's).
    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")) continue;
            Copy(file, Path.Combine(to, relative));
        }
    }

    public void Dispose() => _dir.Dispose();
}

[Collection("processes")]
public class NativeAotTests(NativeAotBuild aot) : IClassFixture<NativeAotBuild>
{
    private static readonly Regex Warning = new(@"\bwarning (IL\d+|AOT\d+|SYSLIB\d+)", RegexOptions.Compiled);

    private (int Code, string Out, string Err) Native(params string[] args)
    {
        Assert.True(aot.ExitCode == 0, $"the NativeAOT publish failed:\n{aot.Log}");
        return Processes.Run(aot.Binary, args);
    }

    [NativeAotFact]
    public void The_publish_succeeds_without_a_single_trim_or_AOT_warning()
    {
        Assert.True(aot.ExitCode == 0, $"the NativeAOT publish failed:\n{aot.Log}");
        var warnings = aot.Log.Split('\n').Where(line => Warning.IsMatch(line)).Distinct().ToList();
        Assert.True(warnings.Count == 0, $"the NativeAOT publish warned:\n{string.Join("\n", warnings)}");
        Assert.True(File.Exists(aot.Binary), $"no binary at {aot.Binary}:\n{aot.Log}");
    }

    public static TheoryData<string> Examples() => new(Directory.GetDirectories(Path.Combine(Repo.Root, "examples")).Select(Path.GetFileName).OfType<string>().Order());

    private static string[] MeshFiles(string example) => Directory.GetFiles(Repo.Example(example), "*.yaml").Order(StringComparer.Ordinal).ToArray();

    [NativeAotTheory]
    [MemberData(nameof(Examples))]
    public void Every_example_renders_the_same_bytes_as_the_JIT_build(string example)
    {
        using var dir = new TempDir();
        var (code, _, err) = Native(["render", .. MeshFiles(example), "-o", dir.Combine("aot")]);
        Assert.True(code == 0, err);
        Assert.Equal(0, Linkerd2Gen.Cli.Cli.Run(["render", .. MeshFiles(example), "-o", dir.Combine("jit")], TextWriter.Null, TextWriter.Null));
        AssertSameTree(dir.Combine("jit"), dir.Combine("aot"));
        // And the committed bundles are what the binary renders (their paths are relative to out/, so --check there).
        var check = Native(["render", "--check", .. MeshFiles(example), "-o", Path.Combine(Repo.Root, "out")]);
        Assert.True(check.Code == 0, check.Err);
    }

    [NativeAotTheory]
    [MemberData(nameof(Examples))]
    public void Every_example_streams_explains_and_checks_the_same_as_the_JIT_build(string example)
    {
        string[][] runs = [["render", "--stdout", .. MeshFiles(example)], ["explain", .. MeshFiles(example)], ["validate", "--format", "json", .. MeshFiles(example)]];
        foreach (var args in runs)
        {
            var native = Native(args);
            var jit = InProcess.Cli(args);
            Assert.Equal(jit, native);
        }
    }

    [NativeAotFact]
    public void Bad_input_help_and_usage_errors_are_the_same_as_the_JIT_build()
    {
        using var dir = new TempDir();
        var bad = dir.Write("bad.yaml", "apiVersion: linkerd2gen.io/v1alpha1\nkind: Mesh\nmetadata: {name: bad}\nnamespaces:\n  - name: Bad_Name\n    services: [{name: web, image: nginx, ports: [{containerPort: 99999}]}]\n");
        string[][] runs =
        [
            ["validate", bad], ["validate", "--format", "json", bad], ["render", bad, "-o", dir.Combine("out")],
            ["--version"], ["--help"], ["render", "--help"], ["rendr"], ["render", "--chek"], ["schema"],
        ];
        foreach (var args in runs)
        {
            var native = Native(args);
            var jit = InProcess.Cli(args);
            Assert.Equal(jit, native);
        }
        Assert.False(Directory.Exists(dir.Combine("out", "bad")));
    }

    [NativeAotFact]
    public void Every_baseline_case_validates_with_the_same_findings_as_the_JIT_build()
    {
        // The baselines are the suite's corpus of good and bad meshes (YAML, schema, rules, bases): the binary must find
        // in each what the JIT build finds, word for word. (In the binary, JsonSchema.Net's module initializer runs when
        // the schema is first built, not before Main; and every reflection the JIT build may use is trimmed there.)
        var cases = Directory.GetDirectories(Baselines.BaselineTests.Root).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(cases);
        foreach (var dir in cases)
        {
            string[] args = ["validate", "--format", "json", .. Directory.GetFiles(dir, "*.yaml").Order(StringComparer.Ordinal)];
            Assert.Equal((Path.GetFileName(dir), InProcess.Cli(args)), (Path.GetFileName(dir), Native(args)));
        }
    }

    [NativeAotFact(needsConformance: true)]
    public void Inject_gives_the_same_bytes_as_the_JIT_build_on_Linkerds_own_inputs()
    {
        var inputs = Directory.GetFiles(Path.Combine(Repo.Conformance, "linkerd", "inject"), "*.input.yml").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(inputs);
        foreach (var input in inputs)
        {
            string[][] runs = [["inject", input], ["inject", "--manual", input], ["inject", "-o", "json", input]];
            foreach (var args in runs)
            {
                Assert.Equal(InProcess.Cli(args), Native(args));
            }
        }
    }

    [NativeAotFact]
    public void The_binary_with_standard_output_closed_says_so_and_does_not_print_to_standard_error_instead()
    {
        // Regression: descriptor 1 left free was taken by the runtime's copy of standard error, and the schema went there
        // with exit 0 (the JIT build failed to open it instead).
        Assert.True(aot.ExitCode == 0, $"the NativeAOT publish failed:\n{aot.Log}");
        var (code, stdout, stderr) = Processes.Run("bash", ["-c", $"exec '{aot.Binary}' schema >&-"]);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("standard output: error L2G0522: could not write to it: the descriptor is closed", stderr);
    }

    [NativeAotFact(needsHugePages: true)]
    public void The_binary_asks_for_huge_pages_for_its_heap()
    {
        Assert.True(aot.ExitCode == 0, $"the NativeAOT publish failed:\n{aot.Log}");
        var mappings = Smaps.WhileInjectWaits(aot.Binary, [], Smaps.HasHugePageHeap);
        Assert.True(Smaps.HasHugePageHeap(mappings), $"{Smaps.HugePageHeapBytes(mappings) >> 20} MiB read-write with huge pages advised and kept in core dumps (the collector's heap is 544 MiB of it)");
    }

    [NativeAotFact]
    public void The_binary_carries_its_type_data_ready_to_use_at_a_fixed_address()
    {
        Assert.True(aot.ExitCode == 0, $"the NativeAOT publish failed:\n{aot.Log}");
        var elf = Elf.Read(aot.Binary);
        // Dehydrated, the type data would be a ".hydrated" section, rebuilt in fresh memory at every start; position
        // independent, each of its pointers would be relocated at every start instead.
        Assert.DoesNotContain(".hydrated", elf.Sections);
        Assert.Equal(Elf.Executable, elf.Type);
        // A dynamic relocation is 24 bytes: the libraries' few hundred, not one per pointer of the type data.
        Assert.True(elf.SectionSize(".rela.dyn") < 64 << 10, $".rela.dyn is {elf.SectionSize(".rela.dyn")} bytes");
    }

    [NativeAotFact]
    public void The_binary_collects_with_a_16_MiB_gen0_budget_not_the_default_of_a_few()
    {
        using var dir = new TempDir();
        var mesh = dir.Write("mesh.yaml", Mesh.Fleet(1_000));
        int Collections(params (string, string)[] env)
        {
            var (code, _, err) = Processes.Run(aot.Binary, ["render", mesh, "-o", dir.Combine("out"), "--timings"], env: env.ToDictionary());
            Assert.True(code == 0, err);
            return Regex.Matches(Regex.Match(err, "collections:.*").Value, @"gen\d (\d+)").Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        // 1,000 services allocate some 110 MiB: with the default budget (DOTNET_GCgen0size=0 restores it) 30 and more
        // collections, with the binary's own about 10.
        var own = Collections();
        var defaults = Collections(("DOTNET_GCgen0size", "0"));
        Assert.True(own * 2 < defaults, $"{own} collections with the binary's budget, {defaults} with the default");
    }

    private static void AssertSameTree(string expected, string actual)
    {
        static List<string> Files(string root) => Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Files(expected), Files(actual));
        foreach (var file in Files(expected))
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), $"{file} differs between {expected} and {actual}");
        }
    }
}

/// <summary>Needs a NativeAOT publish: the .NET SDK's ILCompiler links with clang. Without clang the tests skip with the
/// reason on a user's machine; in CI (CI=true) they run and fail, so the gate is never skipped there.</summary>
public sealed class NativeAotFactAttribute : FactAttribute
{
    public static bool CanPublish => OperatingSystem.IsLinux() && Repo.Which("clang") is not null;

    public static string? Why(bool needsConformance) =>
        Repo.IsCi ? null
        : !CanPublish ? "needs a NativeAOT publish: Linux with clang on PATH (apt-get install clang zlib1g-dev)"
        : needsConformance && !Repo.HasConformance ? "needs ../shared/conformance (third-party test data beside the repository); not present in this clone"
        : null;

    public NativeAotFactAttribute(bool needsConformance = false, bool needsHugePages = false) =>
        Skip = Why(needsConformance) ?? (needsHugePages ? HugePagesFactAttribute.Why() : null);
}

public sealed class NativeAotTheoryAttribute : TheoryAttribute
{
    public NativeAotTheoryAttribute() => Skip = NativeAotFactAttribute.Why(needsConformance: false);
}
