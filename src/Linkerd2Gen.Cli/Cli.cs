using System.Text.Json;
using System.Text.Json.Serialization;
using CommandLine;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Render;
using Linkerd2Gen.Write;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Validate;
using Linkerd2Gen.Verify;

namespace Linkerd2Gen.Cli;

/// <summary>The command line: one method per verb. Exit codes: 0 ok, 1 findings or drift, 2 usage.</summary>
public static class Cli
{
    public const int Ok = 0, Findings = 1, Usage = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, Console.In, stdout, stderr);

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            // A verb that compiles mesh files: what every compile sets up starts now, on another core, while the options
            // are parsed.
            if (args is ["render" or "validate" or "diff" or "explain" or "check-access", ..]) Compiler.PrepareAhead();
            // Help is written here, not by the parser: asked for, it goes to stdout; after a usage error, to stderr.
            using var parser = new Parser(s =>
            {
                s.HelpWriter = null;
                s.CaseInsensitiveEnumValues = true;
            });
            var parsed = parser.ParseArguments<RenderOptions, ValidateOptions, DiffOptions, ExplainOptions, CheckAccessOptions, SchemaOptions, InitOptions, InjectVerbOptions>(InjectVerbOptions.Normalise(args));
            return parsed.MapResult(
                    (RenderOptions o) => Render(o, stdout, stderr),
                    (ValidateOptions o) => Validate(o, stdout, stderr),
                    (DiffOptions o) => Diff(o, stdout, stderr),
                    (ExplainOptions o) => Explain(o, stdout, stderr),
                    (CheckAccessOptions o) => CheckAccess(o, stdout, stderr),
                    (SchemaOptions _) => Schema(stdout),
                    (InitOptions o) => Init(o, stdout, stderr),
                    (InjectVerbOptions o) => InjectCommand.Run(o, stdin, stdout, stderr),
                    errors => Help.Write(parsed, errors.ToList(), stdout, stderr));
        }
        catch (StandardStream.WriteFailedException e)
        {
            stderr.WriteLine(DiagnosticCatalog.StandardOutputFailed(e.Message));
            return Findings;
        }
        catch (Exception e)
        {
            // Never a stack trace: say what happened and where to report it.
            stderr.WriteLine(DiagnosticCatalog.InternalError(e.Message));
            return Findings;
        }
    }

    private static int Render(RenderOptions o, TextWriter stdout, TextWriter stderr)
    {
        if (!KnownFormat(o, stderr)) return Usage;
        if (o.Stdout && (o.Check || o.PruneClusters || o.Force || o.Format != "text"))
        {
            stderr.WriteLine(DiagnosticCatalog.OptionsConflict("--stdout", "--check, --prune-clusters, --force and --format json"));
            return Usage;
        }
        if (o.Cluster is not null && !o.Stdout)
        {
            stderr.WriteLine(DiagnosticCatalog.OptionsConflict("--cluster", "a render that writes (it picks the bundle --stdout prints)"));
            return Usage;
        }
        var timings = o.Timings ? new StageTimings() : null;
        var result = Compiler.Compile(o.Files.ToList(), o.Templates, outRoot: o.Out, timings: timings);
        if (o.Stdout)
        {
            // Nothing is written: the bundles go to stdout as one stream, the findings to stderr.
            Report(result.Diagnostics, o.Format, stdout, stderr);
            timings?.WriteTo(stderr);
            if (result.HasErrors) return Findings;
            var printed = result.Bundles.Where(b => o.Cluster is null || b.Cluster == o.Cluster).ToList();
            if (printed.Count == 0)
            {
                stderr.WriteLine(DiagnosticCatalog.ClusterNotInRun(o.Cluster!, result.Bundles.Select(b => b.Cluster)));
                return Usage;
            }
            // Printed whole or not at all: a stream that lacks what a base generates would deploy a broken app.
            var notBuilt = new List<Kubernetes.Kustomization.Finding>();
            var streams = printed.Select(b => BundleStream.Build(b, Path.Combine(o.Out, b.Cluster), notBuilt, result.Bases)).ToList();
            if (notBuilt.Count > 0)
            {
                foreach (var finding in notBuilt) stderr.WriteLine(DiagnosticCatalog.StreamIncomplete(finding.File, finding.Problem));
                return Findings;
            }
            stdout.Write(string.Join("---\n", streams));
            return Ok;
        }
        var diagnostics = new DiagnosticBag();
        diagnostics.AddRange(result.Diagnostics);
        var reports = new List<(string Dir, WriteReport Report)>();
        var writing = timings?.Measure(StageTimings.Write);
        if (!result.HasErrors)
        {
            foreach (var bundle in result.Bundles)
            {
                var dir = Path.Combine(o.Out, bundle.Cluster);
                if (o.Check)
                {
                    foreach (var (path, problem) in BundleWriter.Drift(bundle, o.Out, diagnostics))
                    {
                        diagnostics.Add(DiagnosticCatalog.OutputDrift(SourceLocation.WholeFile(Path.Combine(dir, path)), problem));
                    }
                }
                else if (BundleWriter.Write(bundle, o.Out, diagnostics, o.Force) is { } report)
                {
                    reports.Add((dir, report));
                }
            }
            foreach (var other in BundleWriter.OrphanBundles(o.Out, result.Bundles, o.Files.ToList()))
            {
                var dir = Path.Combine(o.Out, other);
                if (o.PruneClusters && !o.Check)
                {
                    if (BundleWriter.Prune(o.Out, other, diagnostics) is { } report) reports.Add((dir, report));
                }
                else
                {
                    diagnostics.Add(DiagnosticCatalog.OtherClusterBundle(SourceLocation.WholeFile(dir), other));
                }
            }
        }
        writing?.Dispose();
        Report(diagnostics.Sorted(), o.Format, stdout, stderr);
        timings?.WriteTo(stderr);
        if (diagnostics.HasErrors) return Findings;
        if (o.Format == "text")
        {
            foreach (var bundle in result.Bundles.Where(_ => o.Check))
            {
                stderr.WriteLine($"{Path.Combine(o.Out, bundle.Cluster)}: is up to date ({bundle.Files.Count} files)");
            }
            foreach (var (dir, report) in reports)
            {
                var summary = report.IsEmpty ? "unchanged" : $"{report.Added.Count} added, {report.Changed.Count} changed, {report.Removed.Count} removed";
                // One write for the whole list: the console's writer flushes every line, a system call each.
                var text = new System.Text.StringBuilder($"{dir}: {summary}").Append(stderr.NewLine);
                foreach (var path in report.Added) text.Append("  added    ").Append(path).Append(stderr.NewLine);
                foreach (var path in report.Changed) text.Append("  changed  ").Append(path).Append(stderr.NewLine);
                foreach (var path in report.Removed) text.Append("  removed  ").Append(path).Append(stderr.NewLine);
                stderr.Write(text.ToString());
            }
        }
        return Ok;
    }

    private static int Validate(ValidateOptions o, TextWriter stdout, TextWriter stderr)
    {
        if (!KnownFormat(o, stderr)) return Usage;
        var timings = o.Timings ? new StageTimings() : null;
        var result = Compiler.Compile(o.Files.ToList(), timings: timings);
        Report(result.Diagnostics, o.Format, stdout, stderr);
        timings?.WriteTo(stderr);
        if (!result.HasErrors && o.Format == "text")
        {
            foreach (var mesh in result.Meshes) stderr.WriteLine($"{mesh.File}: valid (cluster {mesh.Resolved.Cluster})");
        }
        return result.HasErrors ? Findings : Ok;
    }

    private static int Diff(DiffOptions o, TextWriter stdout, TextWriter stderr)
    {
        if (!KnownFormat(o, stderr)) return Usage;
        var timings = o.Timings ? new StageTimings() : null;
        var result = Compiler.Compile(o.Files.ToList(), o.Templates, outRoot: o.Out, timings: timings);
        var diagnostics = new DiagnosticBag();
        diagnostics.AddRange(result.Diagnostics);
        var text = new System.Text.StringBuilder();
        if (!result.HasErrors)
        {
            foreach (var bundle in result.Bundles)
            {
                var dir = Path.Combine(o.Out, bundle.Cluster);
                var files = BundleWriter.WithManifest(bundle, o.Out);
                foreach (var (path, _) in BundleWriter.Drift(bundle, o.Out, diagnostics).Where(d => d.Path.Length > 0))
                {
                    var full = Path.Combine(dir, path);
                    text.Append(LineDiff.Unified($"{dir}/{path}", File.Exists(full) ? File.ReadAllText(full) : null, files.GetValueOrDefault(path)));
                }
            }
        }
        Report(diagnostics.Sorted(), o.Format, stdout, stderr);
        timings?.WriteTo(stderr);
        if (diagnostics.HasErrors) return Findings;
        stdout.Write(text.ToString());
        return text.Length > 0 ? Findings : Ok;
    }

    private static int Explain(ExplainOptions o, TextWriter stdout, TextWriter stderr)
    {
        if (!KnownFormat(o, stderr)) return Usage;
        var result = Compiler.Compile(o.Files.ToList());
        Report(result.Diagnostics, o.Format, stdout, stderr);
        if (result.HasErrors) return Findings;
        foreach (var bundle in result.Bundles)
        {
            stdout.Write(bundle.Files["APPLY.md"]);
            var mesh = bundle.Files["MESH.md"];
            stdout.Write("\n" + mesh[mesh.IndexOf("## Who may call each port", StringComparison.Ordinal)..]);
        }
        return Ok;
    }

    private static int CheckAccess(CheckAccessOptions o, TextWriter stdout, TextWriter stderr)
    {
        if (!KnownFormat(o, stderr)) return Usage;
        if (AccessQuery.Parse(o.From, o.To) is not { } query)
        {
            stderr.WriteLine(DiagnosticCatalog.AccessQueryInvalid(o.From, o.To));
            return Usage;
        }
        var result = Compiler.Compile(o.Files.ToList());
        Report(result.Diagnostics, o.Format, stdout, stderr);
        if (result.HasErrors) return Findings;
        // Each bundle as it would be built where Compile placed it (its bases are named relative to that folder).
        var clusters = result.Bundles.Zip(result.Meshes, (bundle, mesh) =>
            new ClusterObjects(mesh.Resolved, BundleStream.Objects(bundle, Path.Combine(Compiler.DefaultOutRoot, bundle.Cluster), built: result.Bases))).ToList();
        var (answer, unknown) = AccessCheck.Check(clusters, query);
        if (answer is null)
        {
            stderr.WriteLine(DiagnosticCatalog.AccessQueryUnknown(o.From, o.To, unknown));
            return Usage;
        }
        stdout.WriteLine((answer.Allowed ? "allowed: " : "denied: ") + answer.Why);
        return answer.Allowed ? Ok : Findings;
    }

    private static int Schema(TextWriter stdout)
    {
        stdout.Write(MeshSchema.Text);
        return Ok;
    }

    private static int Init(InitOptions o, TextWriter stdout, TextWriter stderr)
    {
        if (File.Exists(o.File))
        {
            stderr.WriteLine(DiagnosticCatalog.FileExists(SourceLocation.WholeFile(o.File)));
            return Findings;
        }
        if (!KubernetesNames.IsDns1123Label(o.Cluster))
        {
            stderr.WriteLine(DiagnosticCatalog.InvalidName(SourceLocation.WholeFile("--cluster"), "cluster name", o.Cluster, 63));
            return Usage;
        }
        if (o.File.Length == 0)
        {
            stderr.WriteLine(DiagnosticCatalog.InitWriteFailed(SourceLocation.WholeFile("''"), "the path is empty"));
            return Usage;
        }
        var created = false;
        try
        {
            // The root has no folder to create (and is one itself: reported below).
            if (Path.GetDirectoryName(Path.GetFullPath(o.File)) is { } folder) Directory.CreateDirectory(folder);
            // CreateNew: a file that appeared since the check above is not overwritten either.
            using var file = new FileStream(o.File, FileMode.CreateNew, FileAccess.Write);
            created = true;
            file.Write(System.Text.Encoding.UTF8.GetBytes(Starter.Text(o.Cluster)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder there, a file where a folder of the path should be, no permission, a full disk (the part written
            // is removed: no half a mesh file).
            if (created) File.Delete(o.File);
            stderr.WriteLine(DiagnosticCatalog.InitWriteFailed(SourceLocation.WholeFile(o.File), Directory.Exists(o.File) ? "it is a folder" : e.Message));
            return Findings;
        }
        stderr.WriteLine($"{o.File}: written; render it with `linkerd2gen render {o.File}`");
        return Ok;
    }

    private static bool KnownFormat(FilesOptions o, TextWriter stderr)
    {
        if (o.Format is "text" or "json") return true;
        stderr.WriteLine($"linkerd2gen: --format must be text or json, not '{o.Format}'");
        return false;
    }

    private static void Report(IReadOnlyList<Diagnostic> diagnostics, string format, TextWriter stdout, TextWriter stderr)
    {
        if (format == "json")
        {
            var items = diagnostics.Select(d => new DiagnosticJson(d.Code, d.Severity.ToString().ToLowerInvariant(), d.Message,
                d.Location.File, d.Location.Line, d.Location.Column, d.Hint)).ToList();
            stdout.WriteLine(JsonSerializer.Serialize(items, ReportJson.Default.ListDiagnosticJson));
            return;
        }
        foreach (var d in diagnostics)
        {
            stderr.WriteLine(d.ToString());
        }
        var errors = diagnostics.Count(d => d.IsError);
        var warnings = diagnostics.Count(d => d.Severity == Severity.Warning);
        if (errors + warnings > 0)
        {
            stderr.WriteLine($"{errors} error(s), {warnings} warning(s)");
        }
    }
}

/// <summary>One diagnostic of `--format json`.</summary>
internal sealed record DiagnosticJson(string Code, string Severity, string Message, string File, int Line, int Column, string? Hint);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<DiagnosticJson>))]
internal sealed partial class ReportJson : JsonSerializerContext;
