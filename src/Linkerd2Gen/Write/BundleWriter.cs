using System.Text;
using System.Text.RegularExpressions;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Render;

namespace Linkerd2Gen.Write;

/// <summary>What a write changed, by path relative to the bundle folder.</summary>
public sealed record WriteReport(IReadOnlyList<string> Added, IReadOnlyList<string> Changed, IReadOnlyList<string> Removed)
{
    public bool IsEmpty => Added.Count + Changed.Count + Removed.Count == 0;
}

/// <summary>
/// Bundles on disk, &lt;out&gt;/&lt;cluster&gt;/. Only files the tool wrote (listed in the bundle's manifest) are replaced or
/// pruned; a file in the way that it did not write is an error (unless forced); nothing is written or deleted through a
/// symbolic link or outside the bundle; every change is one <see cref="WriteTransaction"/>.
/// </summary>
public static partial class BundleWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private const string SourcePrefix = "# source: ";

    /// <summary>The files of the bundle, plus its manifest: the mesh file it came from (relative to <paramref name="outRoot"/>,
    /// so a renamed cluster's old bundle is recognised) and every file the tool wrote, sorted.</summary>
    public static IReadOnlyDictionary<string, string> WithManifest(Bundle bundle, string outRoot)
    {
        var files = new SortedDictionary<string, string>(bundle.Files.ToDictionary(), StringComparer.Ordinal);
        var manifest = new StringBuilder();
        manifest.Append("# Files written by linkerd2gen; `render` replaces and prunes only these.\n");
        manifest.Append(SourcePrefix).Append(Path.GetRelativePath(Path.GetFullPath(outRoot), Path.GetFullPath(bundle.SourceFile)).Replace(Path.DirectorySeparatorChar, '/')).Append('\n');
        foreach (var path in files.Keys.Append(Bundle.ManifestFile).Order(StringComparer.Ordinal))
        {
            manifest.Append(path).Append('\n');
        }
        files[Bundle.ManifestFile] = manifest.ToString();
        return files;
    }

    /// <summary>Differences between the bundle and what is on disk: (path, what is wrong). An interrupted write is
    /// completed (or discarded) first, so a half-written folder is never compared.</summary>
    public static IReadOnlyList<(string Path, string Problem)> Drift(Bundle bundle, string outRoot, DiagnosticBag? diagnostics = null)
    {
        diagnostics ??= new DiagnosticBag();
        var dir = Path.Combine(outRoot, bundle.Cluster);
        if (!CheckFolders(outRoot, dir, diagnostics)) return [("", "not a bundle folder")];
        using var transaction = Directory.Exists(outRoot) ? WriteTransaction.Open(outRoot, bundle.Cluster, diagnostics) : null;
        if (Directory.Exists(outRoot) && transaction is null) return [("", "the bundle folder could not be opened")];
        try
        {
            return Drift(bundle, outRoot, dir, diagnostics);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file of the bundle the run may not read: the bundle cannot be said to be up to date.
            return [("", $"it cannot be read: {e.Message}")];
        }
    }

    private static List<(string Path, string Problem)> Drift(Bundle bundle, string outRoot, string dir, DiagnosticBag diagnostics)
    {
        var expected = WithManifest(bundle, outRoot);
        var drift = new List<(string, string)>();
        foreach (var (path, content) in expected)
        {
            var full = Path.Combine(dir, path);
            if (!File.Exists(full)) drift.Add((path, "missing"));
            else if (File.ReadAllText(full, Utf8) != content) drift.Add((path, "differs"));
        }
        foreach (var path in PreviousFiles(dir, diagnostics).Where(p => !expected.ContainsKey(p) && File.Exists(Path.Combine(dir, p))))
        {
            drift.Add((path, "no longer rendered"));
        }
        return drift;
    }

    /// <summary>Writes the bundle; null (with diagnostics) when nothing could be written.</summary>
    public static WriteReport? Write(Bundle bundle, string outRoot, DiagnosticBag diagnostics, bool force = false)
    {
        var dir = Path.Combine(outRoot, bundle.Cluster);
        if (!CheckFolders(outRoot, dir, diagnostics)) return null;
        // Opening the transaction creates the output folder (with the tool's state folder in it).
        using var transaction = WriteTransaction.Open(outRoot, bundle.Cluster, diagnostics);
        if (transaction is null) return null;
        try
        {
            return Write(bundle, outRoot, dir, transaction, diagnostics, force);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file of the bundle the run may not read, or one that vanished while it was compared (all are compared before
            // any is written; the commit reports its own failures and leaves a journal to complete).
            diagnostics.Add(DiagnosticCatalog.OutputWriteFailed(SourceLocation.WholeFile(dir), e.Message));
            return null;
        }
    }

    private static WriteReport? Write(Bundle bundle, string outRoot, string dir, WriteTransaction transaction, DiagnosticBag diagnostics, bool force)
    {
        using var scope = diagnostics.Scope();
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any() && !File.Exists(Path.Combine(dir, Bundle.ManifestFile)))
        {
            diagnostics.Add(DiagnosticCatalog.OutputNotOurs(SourceLocation.WholeFile(dir)));
            return null;
        }
        var files = WithManifest(bundle, outRoot);
        var previous = PreviousFiles(dir, diagnostics).ToHashSet(StringComparer.Ordinal);
        var writes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var added = new List<string>();
        var changed = new List<string>();
        // A bundle folder that is not there yet holds nothing to compare, keep, refuse or link through: every file is new.
        var fresh = !Directory.Exists(dir);
        foreach (var (path, content) in files)
        {
            var target = Path.Combine(dir, path);
            if (!fresh && !SafeTarget(dir, path, diagnostics)) continue;
            if (fresh || !File.Exists(target))
            {
                writes[path] = content;
                added.Add(path);
                continue;
            }
            if (File.ReadAllText(target, Utf8) == content) continue;
            if (!previous.Contains(path) && !force)
            {
                diagnostics.Add(DiagnosticCatalog.FileNotOurs(SourceLocation.WholeFile(target)));
                continue;
            }
            writes[path] = content;
            changed.Add(path);
        }
        var removed = previous.Where(p => !files.ContainsKey(p) && File.Exists(Path.Combine(dir, p)) && SafeTarget(dir, p, diagnostics))
            .Order(StringComparer.Ordinal).ToList();
        if (scope.HasErrors) return null;
        return transaction.Commit(writes, removed, diagnostics)
            ? new WriteReport(added.Where(p => p != Bundle.ManifestFile).ToList(), changed.Where(p => p != Bundle.ManifestFile).ToList(), removed)
            : null;
    }

    /// <summary>Removes the bundle of a cluster no longer in the run: every file its manifest lists, then the emptied folder.</summary>
    public static WriteReport? Prune(string outRoot, string cluster, DiagnosticBag diagnostics)
    {
        var dir = Path.Combine(outRoot, cluster);
        if (!CheckFolders(outRoot, dir, diagnostics)) return null;
        using var transaction = WriteTransaction.Open(outRoot, cluster, diagnostics);
        if (transaction is null) return null;
        var removed = PreviousFiles(dir, diagnostics).Where(p => File.Exists(Path.Combine(dir, p)) && SafeTarget(dir, p, diagnostics)).ToList();
        if (!transaction.Commit(new Dictionary<string, string>(), removed, diagnostics)) return null;
        if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
        return new WriteReport([], [], removed.Where(p => p != Bundle.ManifestFile).ToList());
    }

    /// <summary>Bundles in <paramref name="outRoot"/> left by a cluster no longer rendered: rendered from one of
    /// <paramref name="meshFiles"/> under another cluster name (a rename), or from a mesh file that is gone. Bundles of
    /// other mesh files that still exist belong to other runs and are not listed.</summary>
    public static IReadOnlyList<string> OrphanBundles(string outRoot, IReadOnlyList<Bundle> bundles, IEnumerable<string> meshFiles)
    {
        if (!Directory.Exists(outRoot)) return [];
        var clusters = bundles.Select(b => b.Cluster).ToHashSet(StringComparer.Ordinal);
        var files = meshFiles.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        return Directory.GetDirectories(outRoot).Select(Path.GetFileName).OfType<string>()
            .Where(name => !clusters.Contains(name) && !name.StartsWith('.'))
            .Where(name => SourceOf(outRoot, name) is { } source && (files.Contains(source) || !File.Exists(source)))
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The mesh file a bundle on disk says it was rendered from (full path), or null.</summary>
    private static string? SourceOf(string outRoot, string cluster)
    {
        var manifest = Path.Combine(outRoot, cluster, Bundle.ManifestFile);
        if (!File.Exists(manifest)) return null;
        var line = File.ReadLines(manifest).Take(5).FirstOrDefault(l => l.StartsWith(SourcePrefix, StringComparison.Ordinal));
        return line is null ? null : Path.GetFullPath(Path.Combine(outRoot, line[SourcePrefix.Length..]));
    }

    /// <summary>-o and its bundle folder must be folders (or absent), and the bundle folder no symbolic link.</summary>
    private static bool CheckFolders(string outRoot, string dir, DiagnosticBag diagnostics)
    {
        foreach (var folder in new[] { outRoot, dir })
        {
            if (File.Exists(folder))
            {
                diagnostics.Add(DiagnosticCatalog.OutputIsAFile(SourceLocation.WholeFile(folder)));
                return false;
            }
        }
        if (Directory.Exists(dir) && new DirectoryInfo(dir).LinkTarget is not null)
        {
            diagnostics.Add(DiagnosticCatalog.SymbolicLinkRefused(SourceLocation.WholeFile(dir)));
            return false;
        }
        return true;
    }

    /// <summary>True when no folder between the bundle and the file, nor the file, is a symbolic link.</summary>
    private static bool SafeTarget(string dir, string path, DiagnosticBag diagnostics)
    {
        var current = dir;
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            current = Path.Combine(current, segments[i]);
            FileSystemInfo info = i < segments.Length - 1 ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                diagnostics.Add(DiagnosticCatalog.SymbolicLinkRefused(SourceLocation.WholeFile(current)));
                return false;
            }
            if (!info.Exists) return true;
        }
        return true;
    }

    /// <summary>The files the manifest on disk says the tool wrote. A line that is no plain relative path inside the bundle,
    /// or names no file the tool could have written, is ignored with a warning: an edited manifest cannot aim a prune.</summary>
    private static IReadOnlyList<string> PreviousFiles(string dir, DiagnosticBag diagnostics)
    {
        var manifest = Path.Combine(dir, Bundle.ManifestFile);
        if (!File.Exists(manifest) || new FileInfo(manifest).LinkTarget is not null) return [];
        var files = new List<string>();
        foreach (var (line, number) in File.ReadAllLines(manifest).Select((l, i) => (l, i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (!BundlePath().IsMatch(line))
            {
                diagnostics.Add(DiagnosticCatalog.ManifestLineIgnored(new SourceLocation(manifest, number, 1), line));
                continue;
            }
            files.Add(line);
        }
        return files;
    }

    /// <summary>Every path a bundle can hold (DNS-1123 names in the layout of Resolve's BundleLayout).</summary>
    [GeneratedRegex(@"^(linkerd2gen-manifest\.txt|APPLY\.md|MESH\.md|kustomization\.yaml|namespaces\.yaml|namespaces/[a-z0-9][a-z0-9.-]*/[a-z0-9][a-z0-9.-]*\.yaml|gateway/[a-z0-9][a-z0-9.-]*\.yaml|(patches|existing|exports)/[a-z0-9][a-z0-9.-]*\.(json|yaml))$")]
    private static partial Regex BundlePath();
}
