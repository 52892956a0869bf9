using System.Diagnostics;
using System.Text;
using Linkerd2Gen.Tests.Rendering;
using Linkerd2Gen.Tests.Support;
using Xunit.Abstractions;

namespace Linkerd2Gen.Tests.Faults;

/// <summary>
/// Faults injected into real `linkerd2gen render` processes: killed at every kind of point of a write, two renders at
/// once, a full disk, a folder that refuses writes. After each, the bundle folder is the whole old bundle or the whole
/// new one by the time anything reads it, `render --check` says which, and nothing of the tool's state is left behind.
/// LINKERD2GEN_FAULT_RUN=long kills at every step (the short slice here runs in CI).
/// </summary>
[Collection("processes")]
public class WriteFaultTests(ITestOutputHelper output)
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "linkerd2gen.dll");
    private static bool Long => Environment.GetEnvironmentVariable("LINKERD2GEN_FAULT_RUN") == "long";

    /// <summary>A mesh of <paramref name="services"/> services in two namespaces; <paramref name="tag"/> changes every workload,
    /// <paramref name="skip"/> drops the first services (so files are pruned) and <paramref name="extra"/> adds new ones.</summary>
    private static string Mesh(int services, string tag, int skip = 0, int extra = 0)
    {
        var text = new StringBuilder("apiVersion: linkerd2gen.io/v1alpha1\nkind: Mesh\nmetadata:\n  name: fault\nnamespaces:\n");
        for (var n = 0; n < 2; n++)
        {
            text.Append($"  - name: ns{n}\n    inject: enabled\n    services:\n");
            for (var s = skip; s < services + extra; s++)
            {
                text.Append($"      - {{name: svc{s}, image: \"example/svc:{tag}\", ports: [{{containerPort: 8080, servicePort: 80}}], routes: [{{prefix: /ns{n}/svc{s}/}}]}}\n");
            }
        }
        return text.ToString();
    }

    private static (int Code, string Err) Run(string workdir, IDictionary<string, string>? env, params string[] args)
    {
        using var process = Start(workdir, env, args);
        var err = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, err.Result);
    }

    private static Process Start(string workdir, IDictionary<string, string>? env, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Cli, .. args])
        {
            WorkingDirectory = workdir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in env ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return Process.Start(start)!;
    }

    /// <summary>A folder holding old.yaml and new.yaml (same cluster) and out/ with the old bundle rendered; the hashes of both bundles.</summary>
    private sealed class Scene : IDisposable
    {
        public TempDir Dir { get; } = new();
        public SortedDictionary<string, string> Old { get; }
        public SortedDictionary<string, string> New { get; }
        public string Bundle => Dir.Combine("out", "fault");

        public Scene(string oldMesh, string newMesh)
        {
            Dir.Write("old.yaml", oldMesh);
            Dir.Write("new.yaml", newMesh);
            Assert.Equal(0, Run(Dir.Path, null, "render", "new.yaml", "-o", "out").Code);
            New = WriterTests.Hashes(Bundle);
            Reset();
            Old = WriterTests.Hashes(Bundle);
            Assert.NotEqual(Old, New);
        }

        public void Reset()
        {
            if (Directory.Exists(Dir.Combine("out"))) Directory.Delete(Dir.Combine("out"), recursive: true);
            Assert.Equal(0, Run(Dir.Path, null, "render", "old.yaml", "-o", "out").Code);
        }

        /// <summary>After a fault: --check of the new mesh recovers first, then tells whether the folder is the new bundle.</summary>
        public string AssertOldOrNew(string trial)
        {
            var (code, err) = Run(Dir.Path, null, "render", "--check", "new.yaml", "-o", "out");
            var now = WriterTests.Hashes(Bundle);
            var state = Directory.GetFileSystemEntries(Dir.Combine("out", ".linkerd2gen")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
            Assert.True(state.SequenceEqual([".gitignore", "fault.lock"]), $"{trial}: left behind: {string.Join(", ", state)}");
            if (now.SequenceEqual(New))
            {
                Assert.True(code == 0, $"{trial}: the new bundle is whole but --check failed:\n{err}");
                return "new";
            }
            Assert.True(now.SequenceEqual(Old), $"{trial}: the folder is neither the old nor the new bundle:\n{string.Join("\n", now.Keys)}");
            Assert.True(code == 1 && err.Contains("L2G0500"), $"{trial}: the old bundle is on disk but --check said:\n{err}");
            return "old";
        }

        public void Dispose() => Dir.Dispose();
    }

    [Fact]
    public void Killed_at_any_step_of_a_write_the_bundle_is_old_or_new_and_check_tells_which()
    {
        using var scene = new Scene(Mesh(12, "v1", extra: 0), Mesh(12, "v2", skip: 3, extra: 4));
        // Steps: each staged file, the journal, the commit, each move or delete; past the last one the write completes.
        var steps = Long ? Enumerable.Range(1, 200) : new[] { 1, 2, 10, 20, 30, 31, 32, 33, 34, 40, 50, 60, 70, 200 };
        var outcomes = new Dictionary<string, int>();
        foreach (var step in steps)
        {
            scene.Reset();
            var (code, _) = Run(scene.Dir.Path, new Dictionary<string, string> { ["LINKERD2GEN_KILL_AT"] = step.ToString() }, "render", "new.yaml", "-o", "out");
            var outcome = scene.AssertOldOrNew($"killed at step {step} (exit {code})");
            var key = $"{(code == 0 ? "finished" : "killed")} → {outcome}";
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        }
        output.WriteLine($"{steps.Count()} trials: " + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}")));
        Assert.True(outcomes.Keys.Any(k => k.StartsWith("killed → old")) && outcomes.Keys.Any(k => k.StartsWith("killed → new")), "kills before and after the commit point were both tried");
    }

    [Fact]
    public void Killed_at_any_step_of_a_first_write_there_is_no_bundle_or_the_whole_one()
    {
        using var dir = new TempDir();
        dir.Write("new.yaml", Mesh(12, "v1"));
        Assert.Equal(0, Run(dir.Path, null, "render", "new.yaml", "-o", "whole").Code);
        var whole = WriterTests.Hashes(dir.Combine("whole", "fault"));
        // Steps: each staged file, the journal, the commit point, the one move of the folder; past it the write completes.
        var last = whole.Count + 3;
        var steps = Long ? Enumerable.Range(1, last + 1) : new[] { 1, 2, whole.Count, last - 2, last - 1, last, last + 1 };
        var outcomes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            var outDir = $"out{step}";
            var bundle = dir.Combine(outDir, "fault");
            var (code, _) = Run(dir.Path, new Dictionary<string, string> { ["LINKERD2GEN_KILL_AT"] = step.ToString() }, "render", "new.yaml", "-o", outDir);
            // What reads the folder next (here --check) completes or discards the interrupted write first.
            var (check, err) = Run(dir.Path, null, "render", "--check", "new.yaml", "-o", outDir);
            var state = Directory.GetFileSystemEntries(dir.Combine(outDir, ".linkerd2gen")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
            Assert.True(state.SequenceEqual([".gitignore", "fault.lock"]), $"step {step}: left behind: {string.Join(", ", state)}");
            if (Directory.Exists(bundle))
            {
                Assert.True(WriterTests.Hashes(bundle).SequenceEqual(whole), $"step {step}: the bundle folder is there but not whole");
                Assert.True(check == 0, $"step {step}: the bundle is whole but --check failed:\n{err}");
                outcomes.Add(code == 0 ? "finished" : "killed → whole");
            }
            else
            {
                Assert.True(check == 1 && err.Contains("L2G0500"), $"step {step}: no bundle, but --check said:\n{err}");
                outcomes.Add("killed → none");
            }
        }
        output.WriteLine(string.Join(", ", outcomes));
        Assert.Equal(["finished", "killed → none", "killed → whole"], outcomes);
    }

    [Fact]
    public void Killed_from_outside_at_a_random_moment_the_bundle_is_old_or_new()
    {
        using var scene = new Scene(Mesh(150, "v1"), Mesh(150, "v2", skip: 20, extra: 20));
        var random = new Random(Long ? Environment.TickCount : 20261201);
        var trials = Long ? 40 : 4;
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < trials; i++)
        {
            scene.Reset();
            using (var process = Start(scene.Dir.Path, null, "render", "new.yaml", "-o", "out"))
            {
                Thread.Sleep(random.Next(100, 1500));
                try { process.Kill(); } catch (InvalidOperationException) { }
                process.WaitForExit();
            }
            var outcome = scene.AssertOldOrNew($"trial {i}");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        output.WriteLine($"{trials} trials: " + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}")));
    }

    [Fact]
    public async Task Two_renders_into_one_folder_take_turns()
    {
        using var scene = new Scene(Mesh(40, "v1"), Mesh(40, "v2", skip: 5, extra: 5));
        for (var i = 0; i < (Long ? 20 : 3); i++)
        {
            scene.Reset();
            using var a = Start(scene.Dir.Path, null, "render", "old.yaml", "-o", "out");
            using var b = Start(scene.Dir.Path, null, "render", "new.yaml", "-o", "out");
            var errA = a.StandardError.ReadToEndAsync();
            var errB = b.StandardError.ReadToEndAsync();
            await a.WaitForExitAsync();
            await b.WaitForExitAsync();
            Assert.True(a.ExitCode == 0 && b.ExitCode == 0, $"both renders wait their turn:\n{await errA}\n{await errB}");
            var now = WriterTests.Hashes(scene.Bundle);
            Assert.True(now.SequenceEqual(scene.Old) || now.SequenceEqual(scene.New), "the folder is one render's bundle, whole");
        }
    }

    [Fact]
    public void A_folder_that_refuses_writes_keeps_the_old_bundle()
    {
        using var scene = new Scene(Mesh(6, "v1"), Mesh(6, "v2"));
        var locked = Path.Combine(scene.Bundle, "namespaces", "ns1");
        if (!Chattr("+i", locked))
        {
            output.WriteLine("skipped: chattr +i is not available here (a read-only folder does not stop root)");
            return;
        }
        try
        {
            var (code, err) = Run(scene.Dir.Path, null, "render", "new.yaml", "-o", "out");
            Assert.Equal(1, code);
            Assert.Contains("L2G0501", err);
        }
        finally
        {
            Chattr("-i", locked);
        }
        Assert.Equal("old", scene.AssertOldOrNew("read-only folder"));
    }

    [Fact]
    public void An_output_folder_on_a_read_only_file_system_is_a_write_failure_not_an_internal_error()
    {
        // Regression: the tool's state folder could not be created there and that threw: an internal error (L2G0999).
        using var dir = new TempDir();
        OnTmpfs(dir, "ro,size=64k", "a read-only tmpfs", mount =>
        {
            dir.Write("mesh.yaml", Mesh(2, "v1"));
            var (code, err) = Run(dir.Path, null, "render", "mesh.yaml", "-o", Path.Combine(mount, "out"));
            Assert.Equal(1, code);
            Assert.Contains($"{Path.Combine(mount, "out", "fault")}: error L2G0501: could not write the bundle: ", err);
            Assert.DoesNotContain("L2G0999", err);
        });
    }

    [Fact]
    public void A_full_disk_keeps_the_old_bundle_and_cleans_up()
    {
        using var dir = new TempDir();
        OnTmpfs(dir, "size=160k", "a small tmpfs", mount =>
        {
            File.WriteAllText(Path.Combine(mount, "old.yaml"), Mesh(2, "v1"));
            File.WriteAllText(Path.Combine(mount, "new.yaml"), Mesh(120, "v2"));
            Assert.Equal(0, Run(mount, null, "render", "old.yaml", "-o", "out").Code);
            var old = WriterTests.Hashes(Path.Combine(mount, "out", "fault"));
            var (code, err) = Run(mount, null, "render", "new.yaml", "-o", "out");
            Assert.Equal(1, code);
            Assert.Contains("L2G0501", err);
            Assert.Equal(old, WriterTests.Hashes(Path.Combine(mount, "out", "fault")));
            Assert.Equal([".gitignore", "fault.lock"], Directory.GetFileSystemEntries(Path.Combine(mount, "out", ".linkerd2gen")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        });
    }

    /// <summary>Runs <paramref name="test"/> on a tmpfs mounted with <paramref name="options"/> in a folder of
    /// <paramref name="dir"/>, unmounted after; skipped, with the reason, where mounting is not permitted.</summary>
    private void OnTmpfs(TempDir dir, string options, string what, Action<string> test)
    {
        var mount = Directory.CreateDirectory(dir.Combine("mount")).FullName;
        if (!Shell("mount", "-t", "tmpfs", "-o", options, "tmpfs", mount))
        {
            output.WriteLine($"skipped: mounting {what} is not permitted here");
            return;
        }
        try
        {
            test(mount);
        }
        finally
        {
            Shell("umount", mount);
        }
    }

    [Fact]
    public void Inject_with_standard_input_closed_ends_at_once()
    {
        using var dir = new TempDir();
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", $"exec dotnet '{Cli}' inject - <&-"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var finished = process.WaitForExit(TimeSpan.FromSeconds(30));
        if (!finished) process.Kill();
        Assert.True(finished, "inject waited on a closed standard input");
        Assert.Equal(0, process.ExitCode);
        Assert.Equal("", process.StandardOutput.ReadToEnd());
    }

    [Theory]
    [InlineData("> /dev/full", "No space left on device")]
    [InlineData(">&-", "the descriptor is closed")]
    public void Standard_output_that_cannot_be_written_is_a_diagnostic_not_an_internal_error(string redirect, string reason)
    {
        // Regression: a full device was an internal error (L2G0999); a closed descriptor crashed the process with a stack
        // trace (exit 134), the runtime refusing to open it (the runtime's own pipe had taken it).
        var example = Path.Combine(Repo.Root, "examples", "qotm", "mesh.yaml");
        foreach (var args in new[] { "schema", $"render --stdout '{example}'", $"explain '{example}'" })
        {
            var (code, stdout, stderr) = Processes.Run("bash", ["-c", $"exec dotnet '{Cli}' {args} {redirect}"]);
            Assert.Equal(1, code);
            Assert.Equal("", stdout);
            Assert.Equal($"standard output: error L2G0522: could not write to it: {reason} (hint: check where standard output goes: a full disk or device, a descriptor that is closed)\n", stderr);
        }
        // A render that writes files prints nothing there: it does not fail for it.
        using var dir = new TempDir();
        var (rendered, _, err) = Processes.Run("bash", ["-c", $"exec dotnet '{Cli}' render '{example}' -o '{dir.Path}' {redirect}"]);
        Assert.True(rendered == 0, err);
        Assert.True(File.Exists(Path.Combine(dir.Path, "qotm", "kustomization.yaml")));
    }

    [Fact]
    public void Standard_error_that_cannot_be_written_is_not_success_and_never_goes_to_standard_output()
    {
        // Regression: standard error on a full device crashed the process (exit 134): the internal error it then wanted to
        // report failed too. Closed, standard output's copy took its descriptor, and the findings went to standard output.
        var example = Path.Combine(Repo.Root, "examples", "qotm", "mesh.yaml");
        var missing = Path.Combine(Repo.Root, "examples", "none.yaml");
        foreach (var redirect in new[] { "2> /dev/full", "2>&-" })
        {
            Assert.Equal((1, ""), Shell($"validate '{missing}' {redirect}"));
            // A run that succeeded but could not say so: not 0.
            Assert.Equal((1, ""), Shell($"validate '{example}' {redirect}"));
            var (code, stdout) = Shell($"schema {redirect}");
            Assert.Equal(0, code);
            Assert.StartsWith("{", stdout);
        }

        static (int, string) Shell(string args)
        {
            var (code, stdout, _) = Processes.Run("bash", ["-c", $"exec dotnet '{Cli}' {args}"]);
            return (code, stdout);
        }
    }

    private static bool Chattr(string flag, string path) => Shell("chattr", flag, path) && (flag != "+i" || !CanWrite(path));

    private static bool CanWrite(string folder)
    {
        try
        {
            File.WriteAllText(Path.Combine(folder, ".probe"), "");
            File.Delete(Path.Combine(folder, ".probe"));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool Shell(string command, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

[CollectionDefinition("processes", DisableParallelization = true)]
public sealed class ProcessCollection;
