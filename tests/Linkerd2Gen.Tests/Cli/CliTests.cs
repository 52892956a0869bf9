using System.Text.Json;
using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Cli;

/// <summary>The command line, run in-process: exit codes, messages, and what lands on disk.</summary>
public class CliTests
{
    private static readonly string Example = Path.Combine(Repo.Root, "examples", "qotm", "mesh.yaml");

    private static (int Code, string Out, string Err) Run(params string[] args) => InProcess.Cli(args);

    [Fact]
    public void Render_writes_the_bundle_and_exits_0()
    {
        using var dir = new TempDir();
        var (code, _, err) = Run("render", Example, "-o", dir.Path);
        Assert.Equal(0, code);
        Assert.Contains($"{dir.Combine("qotm")}: 9 added, 0 changed, 0 removed\n  added    APPLY.md\n", err.Replace("\r\n", "\n"));
        Assert.True(File.Exists(dir.Combine("qotm", "kustomization.yaml")));
        var (again, _, err2) = Run("render", Example, "-o", dir.Path);
        Assert.Equal(0, again);
        Assert.Contains($"{dir.Combine("qotm")}: unchanged", err2);
    }

    [Fact]
    public void Bad_input_exits_1_with_located_diagnostics_no_stack_trace_and_nothing_written()
    {
        using var dir = new TempDir();
        var mesh = dir.Write("mesh.yaml", Mesh.Header + "namespaces:\n  - name: a\n    inject: enable\n");
        var (code, _, err) = Run("render", mesh, "-o", dir.Combine("out"));
        Assert.Equal(1, code);
        Assert.Contains($"{mesh}:7:13: error L2G0103:", err);
        Assert.Contains("1 error(s), 0 warning(s)", err);
        Assert.DoesNotContain("   at ", err);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    [Fact]
    public void One_bad_file_stops_every_bundle_of_the_run()
    {
        using var dir = new TempDir();
        var good = dir.Write("good.yaml", Mesh.Header.Replace("name: test", "name: good"));
        var bad = dir.Write("bad.yaml", "apiVersion: v1\n");
        var (code, _, _) = Run("render", good, bad, "-o", dir.Combine("out"));
        Assert.Equal(1, code);
        Assert.False(Directory.Exists(dir.Combine("out", "good")));
    }

    [Fact]
    public void Two_files_naming_the_same_cluster_are_an_error()
    {
        using var dir = new TempDir();
        var a = dir.Write("a.yaml", Mesh.Header);
        var b = dir.Write("b.yaml", Mesh.Header);
        var (code, _, err) = Run("validate", a, b);
        Assert.Equal(1, code);
        Assert.Contains($"{b}:4:9: error L2G0013: cluster 'test' is also defined in {a}", err);
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        Assert.Equal(2, Run("render").Code);
        Assert.Equal(2, Run("frobnicate").Code);
        Assert.Equal(2, Run("validate", Example, "--format", "xml").Code);
        Assert.Equal(0, Run("--help").Code);
    }

    [Fact]
    public void Json_format_gives_machine_readable_diagnostics()
    {
        using var dir = new TempDir();
        var mesh = dir.Write("mesh.yaml", Mesh.Header + "gateway:\n  namepsace: x\n");
        var (code, stdout, _) = Run("validate", mesh, "--format", "json");
        Assert.Equal(1, code);
        var d = JsonDocument.Parse(stdout).RootElement.EnumerateArray().Single();
        Assert.Equal("L2G0100", d.GetProperty("code").GetString());
        Assert.Equal("error", d.GetProperty("severity").GetString());
        Assert.Equal(6, d.GetProperty("line").GetInt32());
        Assert.Equal(3, d.GetProperty("column").GetInt32());
        Assert.Equal("did you mean 'namespace'?", d.GetProperty("hint").GetString());
    }

    [Fact]
    public void Warnings_are_printed_but_do_not_fail()
    {
        using var dir = new TempDir();
        var mesh = dir.Write("mesh.yaml", Mesh.Header + "gateway:\n  skipInboundPorts: [80, 443]\n");
        var (code, _, err) = Run("render", mesh, "-o", dir.Combine("out"));
        Assert.Equal(0, code);
        Assert.Contains($"{mesh}:6:21: warning L2G0301: skipping inbound ports 80/443 has no effect: the gateway's pods listen on 8080,8443", err);
        Assert.Contains("80,443", File.ReadAllText(dir.Combine("out", "test", "patches", "gateway-deployment.json")));
    }

    [Fact]
    public void Check_reports_drift_and_exits_1()
    {
        using var dir = new TempDir();
        Assert.Equal(0, Run("render", Example, "-o", dir.Path).Code);
        Assert.Equal(0, Run("render", Example, "-o", dir.Path, "--check").Code);
        File.AppendAllText(dir.Combine("qotm", "namespaces.yaml"), "# edited by hand\n");
        File.Delete(dir.Combine("qotm", "APPLY.md"));
        var (code, _, err) = Run("render", Example, "-o", dir.Path, "--check");
        Assert.Equal(1, code);
        Assert.Contains("error L2G0500: the committed bundle is out of date: differs", err);
        Assert.Contains("error L2G0500: the committed bundle is out of date: missing", err);
        Assert.True(File.ReadAllText(dir.Combine("qotm", "namespaces.yaml")).EndsWith("# edited by hand\n", StringComparison.Ordinal), "--check must not write");
    }

    [Fact]
    public void Diff_shows_the_change_and_exits_1_only_when_there_is_one()
    {
        using var dir = new TempDir();
        Assert.Equal(0, Run("render", Example, "-o", dir.Path).Code);
        Assert.Equal(0, Run("diff", Example, "-o", dir.Path).Code);
        var ns = dir.Combine("qotm", "namespaces.yaml");
        File.WriteAllText(ns, File.ReadAllText(ns).Replace("linkerd.io/inject: enabled", "linkerd.io/inject: disabled"));
        var (code, stdout, _) = Run("diff", Example, "-o", dir.Path);
        Assert.Equal(1, code);
        Assert.Contains("-    linkerd.io/inject: disabled\n+    linkerd.io/inject: enabled\n", stdout);
    }

    [Fact]
    public void Diff_prints_hunks_with_three_lines_of_context_and_dev_null_for_added_and_removed_files()
    {
        using var dir = new TempDir();
        Assert.Equal(0, Run("render", Example, "-o", dir.Path).Code);
        var apply = dir.Combine("qotm", "APPLY.md");
        var lines = File.ReadAllLines(apply).ToList();
        lines[20] = "an edited line";
        File.WriteAllLines(apply, lines);
        File.Delete(dir.Combine("qotm", "gateway", "listeners.yaml"));
        var (code, stdout, _) = Run("diff", Example, "-o", dir.Path);
        Assert.Equal(1, code);
        var expectedHunk = $"--- a/{dir.Combine("qotm")}/APPLY.md\n+++ b/{dir.Combine("qotm")}/APPLY.md\n@@ -18,7 +18,7 @@\n"
            + $" {lines[17]}\n {lines[18]}\n {lines[19]}\n-an edited line\n";
        Assert.Contains(expectedHunk, stdout);
        Assert.Contains($"--- /dev/null\n+++ b/{dir.Combine("qotm")}/gateway/listeners.yaml\n@@ -0,0 +1,", stdout);
    }

    [Fact]
    public void A_renamed_cluster_leaves_a_bundle_that_is_warned_of_and_pruned_on_request()
    {
        using var dir = new TempDir();
        var mesh = dir.Write("mesh.yaml", Mesh.Header.Replace("name: test", "name: before"));
        var other = dir.Write("other.yaml", Mesh.Header.Replace("name: test", "name: other"));
        Assert.Equal(0, Run("render", other, "-o", dir.Combine("out")).Code);
        Assert.Equal(0, Run("render", mesh, "-o", dir.Combine("out")).Code);
        File.WriteAllText(mesh, Mesh.Header.Replace("name: test", "name: after"));
        var (code, _, err) = Run("render", mesh, "-o", dir.Combine("out"));
        Assert.Equal(0, code);
        Assert.Contains($"{dir.Combine("out", "before")}: warning L2G0515:", err);
        Assert.DoesNotContain("other", err); // another mesh file's bundle is not this run's business
        Assert.True(Directory.Exists(dir.Combine("out", "before")));
        (code, _, err) = Run("render", mesh, "-o", dir.Combine("out"), "--prune-clusters");
        Assert.Equal(0, code);
        Assert.False(Directory.Exists(dir.Combine("out", "before")), err);
        Assert.True(Directory.Exists(dir.Combine("out", "other")));
        Assert.True(Directory.Exists(dir.Combine("out", "after")));
    }

    [Fact]
    public void A_folder_given_as_a_mesh_file_is_named_as_such()
    {
        using var dir = new TempDir();
        var (code, _, err) = Run("validate", dir.Path);
        Assert.Equal(1, code);
        Assert.Contains($"{dir.Path}: error L2G0015: this is a folder, not a mesh file", err);
    }

    [Fact]
    public void A_mesh_file_that_is_there_but_cannot_be_read_is_a_diagnostic_not_an_internal_error()
    {
        // Regression: a link that loops, or leads nowhere, passes the existence check (.NET falls back to the link
        // itself) and then failed the read: an internal error (L2G0999).
        using var dir = new TempDir();
        var loop = dir.Combine("loop.yaml");
        File.CreateSymbolicLink(loop, loop);
        var dangling = dir.Combine("dangling.yaml");
        File.CreateSymbolicLink(dangling, dir.Combine("gone.yaml"));
        foreach (var link in new[] { loop, dangling })
        {
            var (code, _, err) = Run("render", link, "-o", dir.Combine("out"));
            Assert.Equal(1, code);
            Assert.Contains($"{link}: error L2G0017: the file cannot be read: ", err);
            Assert.DoesNotContain("L2G0999", err);
            Assert.False(Directory.Exists(dir.Combine("out")));
        }
    }

    [Fact]
    public void A_stream_without_end_is_read_only_up_to_the_cap()
    {
        // Regression: a device or a pipe has no length to check before reading; /dev/zero was read until memory ran out
        // (an internal error, L2G0999, or the machine's memory).
        if (!File.Exists("/dev/zero")) return; // not on this system
        var (code, _, err) = Run("validate", "/dev/zero");
        Assert.Equal(1, code);
        Assert.Contains("/dev/zero: error L2G0006: the file holds more than the limit of 16777216 bytes", err);
        // inject's inputs too (a larger cap: linkerd sets none), given as a file and as standard input.
        (code, _, err) = Run("inject", "/dev/zero");
        Assert.Equal(1, code);
        Assert.Contains("/dev/zero: error L2G0605: could not read it: it holds more than the limit of 256 MiB", err);
        using var zeros = File.OpenRead("/dev/zero");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(1, Linkerd2Gen.Cli.Cli.Run(["inject", "-"], new StreamReader(zeros), stdout, stderr));
        Assert.Contains("-: error L2G0605: could not read it: it holds more than the limit of 256 MiB", stderr.ToString());
    }

    [Fact]
    public void A_mesh_file_is_decoded_as_its_byte_order_mark_says()
    {
        using var dir = new TempDir();
        var text = Mesh.Header.Replace("name: test", "name: utf");
        foreach (var (name, encoding) in new (string, System.Text.Encoding)[] { ("utf8.yaml", new System.Text.UTF8Encoding(true)), ("utf16.yaml", System.Text.Encoding.Unicode), ("utf16be.yaml", System.Text.Encoding.BigEndianUnicode) })
        {
            var file = dir.Combine(name);
            File.WriteAllText(file, text, encoding);
            var (code, _, err) = Run("validate", file);
            Assert.True(code == 0, err);
            Assert.Contains("valid (cluster utf)", err);
        }
    }

    [Fact]
    public void An_empty_argument_as_a_mesh_file_is_named_not_an_internal_error()
    {
        // Regression: `linkerd2gen render "$MESH"` with MESH unset; the path had no full path to compare: L2G0999.
        var (code, _, err) = Run("validate", Example, "");
        Assert.Equal(1, code);
        Assert.Contains("'': error L2G0001: file not found or not readable", err);
        Assert.DoesNotContain("L2G0999", err);
    }

    [Fact]
    public void The_same_file_given_twice_is_read_once()
    {
        var (code, _, err) = Run("validate", Example, Example);
        Assert.Equal(0, code);
        Assert.Contains("warning L2G0016: this file is given twice; it is read once", err);
        Assert.DoesNotContain("L2G0013", err);
    }

    [Fact]
    public void Explain_prints_the_plan_and_writes_nothing()
    {
        var (code, stdout, _) = Run("explain", Example);
        Assert.Equal(0, code);
        Assert.StartsWith("# Applying the bundle of cluster `qotm`", stdout);
    }

    [Fact]
    public void Schema_prints_the_committed_schema()
    {
        var (code, stdout, _) = Run("schema");
        Assert.Equal(0, code);
        Assert.Equal(File.ReadAllText(Path.Combine(Repo.Root, "schemas", "mesh.schema.json")), stdout);
    }

    [Fact]
    public void Init_writes_a_starter_that_renders_and_never_overwrites()
    {
        using var dir = new TempDir();
        var file = dir.Combine("new", "mesh.yaml");
        Assert.Equal(0, Run("init", file, "--cluster", "east").Code);
        Assert.Equal(0, Run("render", file, "-o", dir.Combine("out")).Code);
        Assert.True(File.Exists(dir.Combine("out", "east", "namespaces", "demo", "web.yaml")));
        var (code, _, err) = Run("init", file);
        Assert.Equal(1, code);
        Assert.Contains("exists already", err);
    }

    [Fact]
    public void Init_where_no_file_can_be_written_says_why_and_leaves_nothing()
    {
        // Regression: each of these was an internal error (L2G0999): a folder at the path, a file where the path needs a
        // folder, the root.
        using var dir = new TempDir();
        var file = dir.Write("file.txt", "kept");
        foreach (var (path, why) in new[] { (dir.Path, "it is a folder"), (Path.Combine(file, "mesh.yaml"), ""), ("/", "it is a folder") })
        {
            var (code, _, err) = Run("init", path);
            Assert.Equal(1, code);
            Assert.Contains($"{path}: error L2G0521: could not write the starter mesh file: {why}", err);
            Assert.DoesNotContain("L2G0999", err);
        }
        Assert.Equal("kept", File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFileSystemEntries(dir.Path));
        var (empty, _, emptyErr) = Run("init", "");
        Assert.Equal(2, empty);
        Assert.Contains("'': error L2G0521: could not write the starter mesh file: the path is empty", emptyErr);
    }
}
