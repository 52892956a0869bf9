using System.Text.Json;
using System.Text.Json.Nodes;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Load;
using Linkerd2Gen.Model;
using Linkerd2Gen.Render;
using Linkerd2Gen.Resolve;
using Linkerd2Gen.Rules;
using Linkerd2Gen.Validate;
using Linkerd2Gen.Verify;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Pipeline;

/// <summary>A mesh file read into its input (while its schema check runs; kept when it passes), and where each value came from.</summary>
public sealed record ValidMesh(string File, MeshInput Input, SourceMap Map);

/// <summary>A mesh file with its resolved model (and the objects of its gateway.base, if it has one).</summary>
public sealed record LoadedMesh(string File, ResolvedMesh Resolved, IReadOnlyList<JsonObject>? GatewayBase = null);

public sealed record CompileResult(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<LoadedMesh> Meshes, IReadOnlyList<Bundle> Bundles)
{
    /// <summary>The base folders the run built (gateway and namespace bases), by <see cref="Kubernetes.Kustomization.Key"/>:
    /// what reads the bundles as Kustomize would (render --stdout, check-access) takes them from here, not building them again.</summary>
    public IReadOnlyDictionary<string, Kubernetes.Kustomization.Built> Bases { get; init; } = new Dictionary<string, Kubernetes.Kustomization.Built>();

    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>The pipeline: load → validate (schema) → resolve → rules → render → verify. Writing is the caller's choice.</summary>
public static class Compiler
{
    /// <summary>Load one file as JSON, its schema check running on the other cores (each namespace's from when it is read);
    /// null when it has errors (they are in the bag) before the schema is asked.</summary>
    private static ReadMesh? Read(string file, string? text, DiagnosticBag diagnostics, StageTimings? timings)
    {
        YamlLoader.Loaded? loaded;
        var check = new MeshSchema.Check();
        using (timings?.Measure(StageTimings.Load))
        {
            loaded = text is null ? YamlLoader.LoadFile(file, diagnostics, check.Namespace) : YamlLoader.Load(file, text, diagnostics, check.Namespace);
        }
        if (loaded is not (var utf8, var map, var floats))
        {
            return null;
        }
        using var validating = timings?.Measure(StageTimings.Validate);
        var json = JsonDocument.Parse(utf8);
        if (!CheckHeader(json.RootElement, map, diagnostics))
        {
            json.Dispose();
            return null;
        }
        return new ReadMesh(file, utf8, json, map, floats, check.Finish(json.RootElement));
    }

    /// <summary>A file read as JSON, its schema check under way: the model is read from it before the check ends (see
    /// <see cref="Compile"/>), and kept only when the check passes.</summary>
    private sealed record ReadMesh(string File, ReadOnlyMemory<byte> Utf8, JsonDocument Json, SourceMap Map, bool Floats, Task<bool> SchemaCheck)
    {
        /// <summary>The mesh as the model reads it, before the schema has said yes: on a file it refuses, this may throw.</summary>
        public ValidMesh Speculate() =>
            // A number written as a float where the schema asks for an integer (8080.0) is read as the integer it is.
            new(File, Floats ? MeshInput.FromJson(MeshSchema.CoerceIntegers(JsonNode.Parse(Utf8.Span))!) : MeshInput.FromJson(Json.RootElement), Map);

        /// <summary>Waits for the schema check and adds its findings; true when there are none.</summary>
        public bool Judge(DiagnosticBag diagnostics)
        {
            using var scope = diagnostics.Scope();
            MeshSchema.Report(Json.RootElement, Map, diagnostics, SchemaCheck.GetAwaiter().GetResult());
            return !scope.HasErrors;
        }
    }

    /// <summary>apiVersion and kind first: a file that is not a Mesh gets one clear error, not fifty schema ones.</summary>
    private static bool CheckHeader(JsonElement json, SourceMap map, DiagnosticBag diagnostics)
    {
        var ok = true;
        // (What was written instead is told as JSON nodes tell it.)
        static string? Text(JsonElement? value) => value is { } v ? JsonNode.Parse(v.GetRawText())?.ToString() : null;
        JsonElement? Field(string name) => json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
        var apiVersion = Field("apiVersion");
        if (apiVersion?.ValueKind != JsonValueKind.String || apiVersion.Value.GetString() != MeshInput.ApiVersionValue)
        {
            diagnostics.Add(DiagnosticCatalog.WrongApiVersion(map.Value(apiVersion is null ? "" : "/apiVersion"), Text(apiVersion), MeshInput.ApiVersionValue));
            ok = false;
        }
        var kind = Field("kind");
        if (kind?.ValueKind != JsonValueKind.String || kind.Value.GetString() != MeshInput.KindValue)
        {
            diagnostics.Add(DiagnosticCatalog.WrongKind(map.Value(kind is null ? "" : "/kind"), Text(kind), MeshInput.KindValue));
            ok = false;
        }
        return ok;
    }

    /// <summary>What every compile sets up and no input changes (the schema; Scriban's builtins), on another core; started
    /// once a process, by the first compile or earlier by <see cref="PrepareAhead"/>.</summary>
    private static readonly Lazy<Task> Shared = new(() => Task.Run(() =>
    {
        MeshSchema.Prepare();
        MeshInput.Prepare();
        TemplateBuiltins.Prepare();
    }));

    /// <summary>Starts setting up what every compile needs, for a caller that knows a compile is coming before it can start
    /// one (the command line, before it has parsed its options: a few milliseconds in which the other cores are idle).</summary>
    public static void PrepareAhead() => _ = Shared.Value;

    /// <summary>Services in a run from which memory is worth a full collection between validation and rendering.</summary>
    private const int FleetScale = 2_000;

    /// <summary>Where bundles go when no output folder is named (the command line's -o default).</summary>
    public const string DefaultOutRoot = "out";

    /// <param name="outRoot">Where the bundles will be written: a gateway.base is referenced relative to it.</param>
    /// <param name="timings">When given, the time of each stage is added to it.</param>
    public static CompileResult Compile(IReadOnlyList<string> files, string? templatesDir = null, IReadOnlyDictionary<string, string>? texts = null, string outRoot = DefaultOutRoot, StageTimings? timings = null)
    {
        var diagnostics = new DiagnosticBag();
        // The schema is built (if it is not under way already), and the templates parsed (and Scriban set up), while the
        // mesh files are read: none of it depends on them. Two tasks, not one: on a small mesh the main thread soon waits
        // for both, and each is ~25 ms.
        // A --templates folder that is not there is reported with the rules' findings; the built-in templates stand in.
        var missingTemplates = templatesDir is { } dir && !Directory.Exists(dir) ? dir : null;
        var templates = new TemplateSource(missingTemplates is null ? templatesDir : null);
        var preparing = Task.WhenAll(Shared.Value, Task.Run(() =>
        {
            templates.Prepare();
            BundleRenderer.Prepare(templates);
        }));
        var distinct = new List<string>();
        foreach (var file in files)
        {
            if (distinct.Any(f => FullPath(f) == FullPath(file))) diagnostics.Add(DiagnosticCatalog.FileGivenTwice(SourceLocation.WholeFile(file)));
            else distinct.Add(file);
        }
        // The schema check of each file runs on the other cores while this one reads the model, resolves it and applies
        // the rules to it: a speculation, kept when every file passes the schema. Otherwise (or if it failed on a file
        // the schema refuses) the files that pass are resolved again, as if there had been none.
        var read = distinct.Select(file => Read(file, texts?.GetValueOrDefault(file), diagnostics, timings)).OfType<ReadMesh>().ToList();
        var bases = new Dictionary<string, Kubernetes.Kustomization.Built>(StringComparer.Ordinal);
        var speculation = new DiagnosticBag();
        List<LoadedMesh> meshes = [];
        Exception? failure = null;
        try
        {
            meshes = ResolveAndCheck(read.Select(r => r.Speculate()).ToList(), speculation, bases, outRoot, timings);
        }
        catch (Exception e)
        {
            failure = e;
        }
        List<ReadMesh> passed;
        using (timings?.Measure(StageTimings.Validate))
        {
            passed = read.Where(r => r.Judge(diagnostics)).ToList();
        }
        if (passed.Count < read.Count) meshes = ResolveAndCheck(passed.Select(r => r.Speculate()).ToList(), diagnostics, bases, outRoot, timings);
        else if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        else diagnostics.AddRange(speculation.Items);
        foreach (var r in read) r.Json.Dispose();
        // At fleet scale the schema check leaves tens of MiB of evaluation results behind, old enough that only a full
        // collection frees them: collected now, before the bundle is built, they do not add to the run's peak memory.
        if (meshes.Sum(m => m.Resolved.Services.Count) >= FleetScale) GC.Collect();
        if (missingTemplates is not null)
        {
            diagnostics.Add(DiagnosticCatalog.TemplateFolderMissing(SourceLocation.WholeFile(missingTemplates)));
        }
        if (diagnostics.HasErrors)
        {
            return new CompileResult(diagnostics.Sorted(), meshes, []) { Bases = bases };
        }

        preparing.GetAwaiter().GetResult();
        templates.CheckOverrides(diagnostics);
        if (diagnostics.HasErrors)
        {
            return new CompileResult(diagnostics.Sorted(), meshes, []) { Bases = bases };
        }
        var renderer = new BundleRenderer(templates);
        var check = BundleVerifier.ForRender();
        var bundles = new List<Bundle>();
        foreach (var mesh in meshes)
        {
            Bundle? bundle;
            // Each file is verified (read back) by the worker that rendered it, as soon as it is rendered (see
            // BundleRenderer.RenderAll); the patches are applied to their targets once all are rendered.
            using (timings?.Measure(StageTimings.Render))
            {
                bundle = renderer.Render(mesh.Resolved, diagnostics, check);
            }
            if (bundle is null) continue;
            using (timings?.Measure(StageTimings.Verify))
            {
                PatchVerifier.Verify(bundle, mesh.Resolved, mesh.GatewayBase, mesh.Resolved.Gateway.Origin.At("/base"), templates, diagnostics);
            }
            bundles.Add(bundle);
        }
        // What of the render stage was verifying, as verify's.
        timings?.Move(StageTimings.Render, StageTimings.Verify, renderer.CheckShare);
        return new CompileResult(diagnostics.Sorted(), meshes, diagnostics.HasErrors ? [] : bundles) { Bases = bases };
    }

    /// <summary>Where a file named on the command line is; an empty name (which has no full path) stays empty, for the
    /// loader to report.</summary>
    private static string FullPath(string file) => file.Length == 0 ? file : Path.GetFullPath(file);

    /// <summary>Resolves the meshes that passed the schema, each against the others (exports, calls across clusters), and
    /// applies the semantic rules to them.</summary>
    private static List<LoadedMesh> ResolveAndCheck(List<ValidMesh> valid, DiagnosticBag diagnostics, Dictionary<string, Kubernetes.Kustomization.Built> bases, string outRoot, StageTimings? timings)
    {
        var resolving = timings?.Measure(StageTimings.Resolve);
        var clusters = valid.GroupBy(m => m.Input.Metadata.Name).ToDictionary(g => g.Key, g => ClusterExports.Of(g.First().Input, g.First().File));
        // Each namespace's base is read once: existing services are looked up in it, its workloads meshed by patches.
        var namespaceBases = valid.Select(m => (m.Input.Namespaces ?? []).Select((ns, n) => ns.Base is not { } nsDir ? null : BaseObjects.Of(
            GatewayBase.FullPath(m.File, nsDir) is var nsPath && GatewayBase.KustomizationIn(nsPath) is not null
                ? ReadBase(nsPath, m.Map.Value($"/namespaces/{n}/base"), diagnostics, bases)
                : null, ns.Name)).ToList()).ToList();
        // Calls across clusters: a remote-discovery export admits its callers' own identities (an existing caller's, its base's).
        var remoteCalls = valid.SelectMany((m, i) => PolicyResolver.RemoteCalls(m.Input, m.Map, namespaceBases[i])).ToList();
        var meshes = valid.Select((m, i) =>
        {
            // gateway.base is read once too: its shape decides how patches add to its maps, and every patch is verified on it.
            // (A base that is no kustomization folder is the rules' to report.)
            var objects = m.Input.Gateway?.Base is { } dir && GatewayBase.FullPath(m.File, dir) is var path && GatewayBase.KustomizationIn(path) is not null
                ? ReadBase(path, m.Map.Value("/gateway/base"), diagnostics, bases)
                : null;
            var others = clusters.Where(c => c.Key != m.Input.Metadata.Name).ToDictionary();
            var resolved = Resolver.Resolve(m.Input, m.File, m.Map, others, objects, outRoot, namespaceBases[i], remoteCalls);
            return new LoadedMesh(m.File, resolved, objects);
        }).ToList();
        resolving?.Dispose();
        // The semantic rules read the resolved model; they are part of validation.
        using (timings?.Measure(StageTimings.Validate))
        {
            foreach (var mesh in meshes) SemanticRules.Check(mesh.Resolved, diagnostics);
            CrossClusterRules.Check(meshes.Select(m => m.Resolved).ToList(), clusters, diagnostics);
        }
        return meshes;
    }

    /// <summary>A base folder as Kustomize builds it (once a run, kept in <paramref name="bases"/>); a file that cannot be read
    /// is an error, what is not built a warning, at each place that names the folder.</summary>
    private static List<JsonObject> ReadBase(string dir, SourceLocation at, DiagnosticBag diagnostics, Dictionary<string, Kubernetes.Kustomization.Built> bases)
    {
        var key = Kubernetes.Kustomization.Key(dir);
        if (!bases.TryGetValue(key, out var built)) bases[key] = built = Kubernetes.Kustomization.Build(dir);
        var (objects, findings) = built;
        foreach (var finding in findings)
        {
            var file = Path.GetRelativePath(dir, finding.File);
            diagnostics.Add(finding.IsError ? DiagnosticCatalog.BaseUnreadable(at, file, finding.Problem) : DiagnosticCatalog.BaseNotBuilt(at, file, finding.Problem));
        }
        return objects;
    }
}
