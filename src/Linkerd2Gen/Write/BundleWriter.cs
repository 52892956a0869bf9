using System.Text;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Render;

namespace Linkerd2Gen.Write;

/// <summary>
/// Writes bundles to &lt;out&gt;/&lt;cluster&gt;/. Only files listed in the bundle's manifest are ever replaced or
/// pruned; unchanged files are not touched; each changed file is staged and moved into place.
/// </summary>
public static class BundleWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The files of the bundle, plus its manifest (every file the tool wrote, sorted).</summary>
    public static IReadOnlyDictionary<string, string> WithManifest(Bundle bundle)
    {
        var files = new SortedDictionary<string, string>(bundle.Files.ToDictionary(), StringComparer.Ordinal);
        var manifest = new StringBuilder();
        manifest.Append("# Files written by linkerd2gen; `render` replaces and prunes only these.\n");
        foreach (var path in files.Keys.Append(Bundle.ManifestFile).Order(StringComparer.Ordinal))
        {
            manifest.Append(path).Append('\n');
        }
        files[Bundle.ManifestFile] = manifest.ToString();
        return files;
    }

    /// <summary>Differences between the bundle and what is on disk: (path, what is wrong).</summary>
    public static IReadOnlyList<(string Path, string Problem)> Drift(Bundle bundle, string outRoot)
    {
        var dir = Path.Combine(outRoot, bundle.Cluster);
        var expected = WithManifest(bundle);
        var drift = new List<(string, string)>();
        foreach (var (path, content) in expected)
        {
            var full = Path.Combine(dir, path);
            if (!File.Exists(full)) drift.Add((path, "missing"));
            else if (File.ReadAllText(full, Utf8) != content) drift.Add((path, "differs"));
        }
        foreach (var path in PreviousFiles(dir).Where(p => !expected.ContainsKey(p)))
        {
            drift.Add((path, "no longer rendered"));
        }
        return drift;
    }

    public static void Write(Bundle bundle, string outRoot, DiagnosticBag diagnostics)
    {
        var dir = Path.Combine(outRoot, bundle.Cluster);
        var at = SourceLocation.WholeFile(dir);
        try
        {
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any() && !File.Exists(Path.Combine(dir, Bundle.ManifestFile)))
            {
                diagnostics.Add(DiagnosticCatalog.OutputNotOurs(at));
                return;
            }
            var files = WithManifest(bundle);
            var previous = PreviousFiles(dir);
            var staging = Path.Combine(outRoot, $".{bundle.Cluster}.staging");
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);

            // Stage every changed file first: a failure here leaves the bundle as it was.
            var changed = new List<string>();
            foreach (var (path, content) in files)
            {
                var target = Path.Combine(dir, path);
                if (File.Exists(target) && File.ReadAllText(target, Utf8) == content) continue;
                var staged = Path.Combine(staging, path);
                Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
                File.WriteAllText(staged, content, Utf8);
                changed.Add(path);
            }
            foreach (var path in changed.Where(p => p != Bundle.ManifestFile).Append(Bundle.ManifestFile).Where(changed.Contains))
            {
                var target = Path.Combine(dir, path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(Path.Combine(staging, path), target, overwrite: true);
            }
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);

            foreach (var stale in previous.Where(p => !files.ContainsKey(p)))
            {
                var full = Path.Combine(dir, stale);
                if (File.Exists(full)) File.Delete(full);
                RemoveEmptyParents(Path.GetDirectoryName(full)!, dir);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(DiagnosticCatalog.OutputWriteFailed(at, e.Message));
        }
    }

    /// <summary>Paths listed in the manifest on disk; only safe relative paths are believed.</summary>
    private static IReadOnlyList<string> PreviousFiles(string dir)
    {
        var manifest = Path.Combine(dir, Bundle.ManifestFile);
        if (!File.Exists(manifest)) return [];
        return File.ReadAllLines(manifest)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Where(l => !Path.IsPathRooted(l) && !l.Split('/').Contains(".."))
            .ToList();
    }

    private static void RemoveEmptyParents(string folder, string stop)
    {
        var root = Path.GetFullPath(stop);
        for (var f = Path.GetFullPath(folder); f.Length > root.Length && Directory.Exists(f) && !Directory.EnumerateFileSystemEntries(f).Any(); f = Path.GetDirectoryName(f)!)
        {
            Directory.Delete(f);
        }
    }
}
