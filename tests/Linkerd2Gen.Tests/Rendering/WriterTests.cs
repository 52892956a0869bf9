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
    public void A_manifest_cannot_make_the_writer_delete_outside_the_bundle()
    {
        using var dir = new TempDir();
        var outside = dir.Write("outside.txt", "keep\n");
        dir.Write("out/test/linkerd2gen-manifest.txt", "../../outside.txt\n/etc/hostname\n");
        BundleWriter.Write(Bundle(Mesh.Header), dir.Combine("out"), new DiagnosticBag());
        Assert.True(File.Exists(outside));
    }
}
