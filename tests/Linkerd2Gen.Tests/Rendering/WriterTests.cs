using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Write;

namespace Linkerd2Gen.Tests.Rendering;

/// <summary>The writer replaces and prunes only what it wrote, and never writes over a folder it does not own.</summary>
public class WriterTests
{
    private static Render.Bundle Bundle(string yaml) => Mesh.Compile(yaml).Bundles.Single();

    [Fact]
    public void Files_no_longer_rendered_are_pruned_and_foreign_files_kept()
    {
        using var dir = new TempDir();
        var two = Bundle(Mesh.Header + "namespaces:\n  - name: a\n    services:\n      - {name: s, image: i, ports: [{containerPort: 80}]}\n      - {name: t, image: i, ports: [{containerPort: 80}]}\n");
        var one = Bundle(Mesh.Header + "namespaces:\n  - name: a\n    services:\n      - {name: s, image: i, ports: [{containerPort: 80}]}\n");
        var diagnostics = new DiagnosticBag();
        BundleWriter.Write(two, dir.Path, diagnostics);
        dir.Write("test/namespaces/a/NOTES.md", "mine\n");
        BundleWriter.Write(one, dir.Path, diagnostics);
        Assert.Empty(diagnostics.Items);
        Assert.False(File.Exists(dir.Combine("test", "namespaces", "a", "t.yaml")));
        Assert.True(File.Exists(dir.Combine("test", "namespaces", "a", "s.yaml")));
        Assert.Equal("mine\n", File.ReadAllText(dir.Combine("test", "namespaces", "a", "NOTES.md")));
        Assert.Empty(BundleWriter.Drift(one, dir.Path));
    }

    [Fact]
    public void Empty_folders_left_by_pruning_are_removed()
    {
        using var dir = new TempDir();
        var withService = Bundle(Mesh.Header + "namespaces:\n  - name: a\n    services:\n      - {name: s, image: i, ports: [{containerPort: 80}]}\n");
        var without = Bundle(Mesh.Header + "namespaces:\n  - name: a\n");
        BundleWriter.Write(withService, dir.Path, new DiagnosticBag());
        BundleWriter.Write(without, dir.Path, new DiagnosticBag());
        Assert.False(Directory.Exists(dir.Combine("test", "namespaces", "a")));
        Assert.False(Directory.Exists(dir.Combine("test", "namespaces")));
    }

    [Fact]
    public void A_folder_the_tool_did_not_write_is_refused()
    {
        using var dir = new TempDir();
        dir.Write("test/precious.yaml", "keep\n");
        var diagnostics = new DiagnosticBag();
        BundleWriter.Write(Bundle(Mesh.Header), dir.Path, diagnostics);
        Assert.Equal("L2G0502", Assert.Single(diagnostics.Items).Code);
        Assert.Equal(["precious.yaml"], Directory.GetFiles(dir.Combine("test")).Select(Path.GetFileName));
    }

    [Fact]
    public void Unchanged_files_are_not_rewritten()
    {
        using var dir = new TempDir();
        var bundle = Bundle(Mesh.Header + "namespaces:\n  - name: a\n");
        BundleWriter.Write(bundle, dir.Path, new DiagnosticBag());
        var file = dir.Combine("test", "namespaces.yaml");
        var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file, stamp);
        BundleWriter.Write(bundle, dir.Path, new DiagnosticBag());
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(file));
        Assert.False(Directory.Exists(dir.Combine(".test.staging")));
    }

    [Fact]
    public void A_manifest_cannot_make_the_writer_delete_outside_the_bundle_or_a_file_it_would_not_write()
    {
        using var dir = new TempDir();
        var outside = dir.Write("outside.txt", "keep\n");
        var mine = dir.Write("out/test/NOTES.md", "mine\n");
        var absolute = dir.Write("elsewhere/abs.yaml", "keep\n");
        dir.Write("out/test/linkerd2gen-manifest.txt", $"../../outside.txt\n{absolute}\nNOTES.md\nnamespaces/../../outside.txt\nlinkerd2gen-manifest.txt\n");
        var diagnostics = new DiagnosticBag();
        BundleWriter.Write(Bundle(Mesh.Header), dir.Combine("out"), diagnostics);
        Assert.True(File.Exists(outside));
        Assert.True(File.Exists(mine));
        Assert.True(File.Exists(absolute));
        var ignored = diagnostics.Items.Where(d => d.Code == "L2G0514").Select(d => d.Location.Line).ToList();
        Assert.Equal([1, 2, 3, 4], ignored);
    }

    [Fact]
    public void A_file_in_the_way_that_the_tool_did_not_write_is_an_error_naming_it_unless_forced()
    {
        using var dir = new TempDir();
        var one = Bundle(Mesh.Header + "namespaces:\n  - name: a\n");
        BundleWriter.Write(one, dir.Path, new DiagnosticBag());
        // The user keeps a file where the next render will start writing Hosts.
        var hosts = dir.Write("test/gateway/hosts.yaml", "# my own notes\n");
        var two = Bundle(Mesh.Header + "gateway:\n  hosts: [{hostname: a.example.com, insecure: Route}]\nnamespaces:\n  - name: a\n");
        var diagnostics = new DiagnosticBag();
        Assert.Null(BundleWriter.Write(two, dir.Path, diagnostics));
        var d = Assert.Single(diagnostics.Items);
        Assert.Equal(("L2G0511", hosts), (d.Code, d.Location.File));
        Assert.Equal("# my own notes\n", File.ReadAllText(hosts));
        Assert.NotEmpty(BundleWriter.Drift(two, dir.Path));

        Assert.NotNull(BundleWriter.Write(two, dir.Path, new DiagnosticBag(), force: true));
        Assert.Empty(BundleWriter.Drift(two, dir.Path));
    }

    [Fact]
    public void Nothing_is_written_through_a_symlinked_folder_inside_the_bundle()
    {
        using var dir = new TempDir();
        var bundle = Bundle(Mesh.Header + "namespaces:\n  - name: a\n    services:\n      - {name: s, image: i, ports: [{containerPort: 80}]}\n");
        BundleWriter.Write(bundle, dir.Combine("out"), new DiagnosticBag());
        var elsewhere = Directory.CreateDirectory(dir.Combine("elsewhere")).FullName;
        Directory.Delete(dir.Combine("out", "test", "namespaces", "a"), recursive: true);
        Directory.CreateSymbolicLink(dir.Combine("out", "test", "namespaces", "a"), elsewhere);
        var diagnostics = new DiagnosticBag();
        Assert.Null(BundleWriter.Write(bundle, dir.Combine("out"), diagnostics));
        Assert.Contains(diagnostics.Items, d => d.Code == "L2G0513" && d.Location.File == dir.Combine("out", "test", "namespaces", "a"));
        Assert.Empty(Directory.GetFileSystemEntries(elsewhere));
    }

    [Fact]
    public void A_symlinked_bundle_folder_is_refused()
    {
        using var dir = new TempDir();
        var target = Directory.CreateDirectory(dir.Combine("real")).FullName;
        Directory.CreateDirectory(dir.Combine("out"));
        Directory.CreateSymbolicLink(dir.Combine("out", "test"), target);
        var diagnostics = new DiagnosticBag();
        Assert.Null(BundleWriter.Write(Bundle(Mesh.Header), dir.Combine("out"), diagnostics));
        Assert.Equal("L2G0513", Assert.Single(diagnostics.Items).Code);
        Assert.Empty(Directory.GetFileSystemEntries(target));
    }

    [Fact]
    public void A_user_folder_named_like_the_old_staging_folder_is_left_alone()
    {
        using var dir = new TempDir();
        var precious = dir.Write(".test.staging/precious.txt", "keep\n");
        BundleWriter.Write(Bundle(Mesh.Header), dir.Path, new DiagnosticBag());
        Assert.True(File.Exists(precious));
    }

    [Fact]
    public void A_state_folder_the_tool_did_not_create_is_refused_and_kept()
    {
        using var dir = new TempDir();
        var precious = dir.Write(".linkerd2gen/precious.txt", "keep\n");
        var diagnostics = new DiagnosticBag();
        Assert.Null(BundleWriter.Write(Bundle(Mesh.Header), dir.Path, diagnostics));
        Assert.Equal("L2G0507", Assert.Single(diagnostics.Items).Code);
        Assert.True(File.Exists(precious));
        Assert.False(Directory.Exists(dir.Combine("test")));
    }

    [Fact]
    public void An_output_that_is_a_file_is_a_diagnostic()
    {
        using var dir = new TempDir();
        var file = dir.Write("out", "not a folder\n");
        var diagnostics = new DiagnosticBag();
        Assert.Null(BundleWriter.Write(Bundle(Mesh.Header), file, diagnostics));
        Assert.Equal(("L2G0512", file), (Assert.Single(diagnostics.Items).Code, diagnostics.Items[0].Location.File));
        dir.Write("out2/test", "a file where the bundle folder goes\n");
        diagnostics = new DiagnosticBag();
        Assert.Null(BundleWriter.Write(Bundle(Mesh.Header), dir.Combine("out2"), diagnostics));
        Assert.Equal("L2G0512", Assert.Single(diagnostics.Items).Code);
    }

    [Fact]
    public void A_lock_that_cannot_be_opened_is_a_write_failure_at_once_not_an_internal_error()
    {
        // Regression: a lock file the run may not open (another user's, here a folder in its place, which root cannot open
        // either) threw past the lock's wait: an internal error (L2G0999).
        using var dir = new TempDir();
        Assert.NotNull(BundleWriter.Write(Bundle(Mesh.Header), dir.Path, new DiagnosticBag()));
        var lockFile = dir.Combine(".linkerd2gen", "test.lock");
        File.Delete(lockFile);
        Directory.CreateDirectory(lockFile);
        var diagnostics = new DiagnosticBag();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Null(WriteTransaction.Open(dir.Path, "test", diagnostics, TimeSpan.FromSeconds(30)));
        Assert.Equal(("L2G0501", dir.Combine("test")), (Assert.Single(diagnostics.Items).Code, diagnostics.Items[0].Location.File));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "not waited for as if another run held it");
    }

    [Fact]
    public void A_second_writer_waits_for_the_lock_then_fails_clearly()
    {
        using var dir = new TempDir();
        var diagnostics = new DiagnosticBag();
        using (var first = WriteTransaction.Open(dir.Path, "test", diagnostics))
        {
            Assert.NotNull(first);
            var second = new DiagnosticBag();
            Assert.Null(WriteTransaction.Open(dir.Path, "test", second, TimeSpan.FromMilliseconds(200)));
            Assert.Equal("L2G0506", Assert.Single(second.Items).Code);
        }
        Assert.NotNull(BundleWriter.Write(Bundle(Mesh.Header), dir.Path, diagnostics));
        Assert.Empty(diagnostics.Items);
    }

    [Fact]
    public void An_io_error_at_any_step_keeps_the_old_bundle_and_leaves_nothing_behind()
    {
        using var dir = new TempDir();
        var old = Bundle(Mesh.Header + "namespaces:\n  - name: a\n    services:\n      - {name: s, image: i, ports: [{containerPort: 80}]}\n      - {name: t, image: i, ports: [{containerPort: 80}]}\n");
        var next = Bundle(Mesh.Header + "namespaces:\n  - name: a\n    services:\n      - {name: s, image: j, ports: [{containerPort: 80}]}\n      - {name: u, image: i, ports: [{containerPort: 80}]}\n");
        BundleWriter.Write(old, dir.Path, new DiagnosticBag());
        var before = Hashes(dir.Combine("test"));
        try
        {
            for (var step = 1; ; step++)
            {
                var failAt = step;
                WriteTransaction.Faults.OnStep = n => { if (n == failAt) throw new IOException($"injected failure at step {n}"); };
                var diagnostics = new DiagnosticBag();
                var report = BundleWriter.Write(next, dir.Path, diagnostics);
                if (report is not null)
                {
                    Assert.True(step > 3, "a write that fails at every step must not pass");
                    break; // past the last step: the write went through
                }
                Assert.Equal("L2G0501", Assert.Single(diagnostics.Items).Code);
                Assert.Equal(before, Hashes(dir.Combine("test")));
                Assert.Equal([".gitignore", "test.lock"], Directory.GetFileSystemEntries(dir.Combine(".linkerd2gen")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            }
        }
        finally
        {
            WriteTransaction.Faults.OnStep = null;
        }
        Assert.Empty(BundleWriter.Drift(next, dir.Path));
    }

    [Fact]
    public void A_first_write_moves_the_staged_folder_in_whole_and_an_io_error_at_any_step_leaves_no_bundle()
    {
        using var dir = new TempDir();
        var bundle = Bundle(Mesh.Header + "namespaces:\n  - name: a\n    services:\n      - {name: s, image: i, ports: [{containerPort: 80}]}\n      - {name: t, image: i, ports: [{containerPort: 80}]}\n");
        var steps = 0;
        try
        {
            for (var step = 1; ; step++)
            {
                var failAt = step;
                var seen = 0;
                WriteTransaction.Faults.OnStep = n => { seen = n; if (n == failAt) throw new IOException($"injected failure at step {n}"); };
                var diagnostics = new DiagnosticBag();
                var report = BundleWriter.Write(bundle, dir.Path, diagnostics);
                if (report is not null)
                {
                    steps = seen;
                    break; // past the last step: the write went through
                }
                Assert.Equal("L2G0501", Assert.Single(diagnostics.Items).Code);
                Assert.False(Directory.Exists(dir.Combine("test")), $"a failure at step {step} left a bundle folder");
                Assert.Equal([".gitignore", "test.lock"], Directory.GetFileSystemEntries(dir.Combine(".linkerd2gen")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            }
        }
        finally
        {
            WriteTransaction.Faults.OnStep = null;
        }
        // Each staged file, the journal, the commit point and one move of the whole folder (not one per file).
        Assert.Equal(BundleWriter.WithManifest(bundle, dir.Path).Count + 3, steps);
        Assert.Empty(BundleWriter.Drift(bundle, dir.Path));
    }

    /// <summary>Every file below a folder, by relative path, with its SHA-256.</summary>
    public static SortedDictionary<string, string> Hashes(string folder) => new(
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))
            : [],
        StringComparer.Ordinal);
}
