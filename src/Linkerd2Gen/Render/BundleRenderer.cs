using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Model;
using Linkerd2Gen.Yaml;
using Scriban.Runtime;
using Scriban.Syntax;
using Scriban;

namespace Linkerd2Gen.Render;

/// <summary>
/// Resolved model → files, through the Scriban templates. Templates own the shape of the YAML, C# owns the
/// values; the layout of the bundle and the plan's commands come resolved.
/// </summary>
public sealed class BundleRenderer(TemplateSource templates, TimeSpan? budget = null)
{
    /// <summary>The time all the templates of a run may take together: a template override cannot hang a CI job.</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(60);

    private readonly System.Diagnostics.Stopwatch _clock = new();
    private readonly TimeSpan _budget = budget ?? DefaultBudget;
    private readonly CancellationTokenSource _deadline = new(budget ?? DefaultBudget);

    /// <summary>Checks one file of a bundle, as written (a patched workload's after its patch), on the worker that rendered
    /// it; <paramref name="at"/> locates one of its lines (1-based) in the templates. <paramref name="values"/> are where
    /// the templates' expressions wrote values into the text, in order (read during the call only: the worker reuses the
    /// list); null when that is not known (the file was patched, or normalised after it was written).</summary>
    public delegate void FileCheck(string path, string content, IReadOnlyList<Range>? values, Func<long, SourceLocation> at, DiagnosticBag diagnostics);

    private long _renderTicks, _checkTicks;

    /// <summary>The share of its workers' time this renderer's file checks took (so far): what of the render stage's time
    /// was verifying.</summary>
    public double CheckShare => _renderTicks + _checkTicks == 0 ? 0 : (double)_checkTicks / (_renderTicks + _checkTicks);

    /// <param name="check">Run on each file as soon as it is rendered (see <see cref="FileCheck"/>).</param>
    public Bundle? Render(ResolvedMesh mesh, DiagnosticBag diagnostics, FileCheck? check = null)
    {
        _clock.Start();
        var source = Path.GetFileName(mesh.SourceFile);
        // A file's lines are traced to the templates only when a finding asks: it is rendered again, as it was. A patched
        // workload's lines are no template's: a finding in its file points at the template as a whole.
        var byPath = new Dictionary<string, Job>(StringComparer.Ordinal);
        var bundle = new Bundle(mesh.Cluster, mesh.SourceFile, path => byPath.TryGetValue(path, out var job) && !job.PatchApplied ? Retrace(job, mesh, source) : null);
        using var scope = diagnostics.Scope();
        var jobs = new List<Job>();
        void Emit(string path, string template, ScriptObject model, ResolvedWorkload? patched = null) => jobs.Add(byPath[path] = new(path, template, model, patched));

        var layout = mesh.Layout;
        if (layout.NamespacesFile is { } namespacesFile)
        {
            Emit(namespacesFile, "namespaces.yaml.sbn", Model(("namespaces", mesh.Namespaces.Where(n => n.Create).ToList())));
        }
        var services = mesh.Services.ToDictionary(s => (s.Namespace, s.Name));
        foreach (var workload in mesh.Workloads)
        {
            Emit(workload.File, "workload.yaml.sbn", Model(("workload", workload), ("service", services[(workload.Namespace, workload.Service)])), workload);
        }
        foreach (var file in layout.MappingFiles)
        {
            Emit(file.Path, "mappings.yaml.sbn", Model(("mappings", file.Mappings)));
        }
        foreach (var file in layout.PolicyFiles)
        {
            var ns = file.Split('/')[1];
            Emit(file, "policy.yaml.sbn", Model(("policies", mesh.Policies.Where(p => p.Namespace == ns).ToList())));
        }
        if (layout.ListenersFile is { } listenersFile)
        {
            Emit(listenersFile, "listeners.yaml.sbn", Model(("listeners", mesh.Listeners)));
        }
        if (layout.HostsFile is { } hostsFile)
        {
            Emit(hostsFile, "hosts.yaml.sbn", Model(("hosts", mesh.Hosts)));
        }
        foreach (var patch in mesh.Patches)
        {
            Emit(patch.Path, "patch.json.sbn", Model(("patch", patch)));
        }
        foreach (var component in mesh.Patches.GroupBy(p => p.Component))
        {
            Emit($"{component.Key}/kustomization.yaml", "component.yaml.sbn", Model(("component", component.Key), ("patches", component.ToList())));
        }
        Emit("kustomization.yaml", "kustomization.yaml.sbn", Model(("resources", layout.Resources), ("gateway_base", layout.GatewayBase),
            ("namespace_bases", layout.NamespaceBases), ("existing", mesh.Plan.HasExports)));
        Emit("MESH.md", "mesh.md.sbn", Model());
        // The plan lists every other file of the bundle (in the bundle's order): rendered with them, not after them on one core.
        Emit("APPLY.md", "apply.md.sbn", Model(
            ("resources", layout.Resources),
            ("files", byPath.Keys.Order(StringComparer.Ordinal).ToList()),
            ("install_commands", mesh.Plan.InstallCommands),
            ("link_commands", mesh.Plan.LinkCommands),
            ("patch_commands", mesh.Plan.PatchCommands),
            ("exports", mesh.Plan.HasExports),
            ("export_commands", mesh.Plan.ExportCommands)));
        var rendered = RenderAll(jobs, mesh, source, bundle, check, diagnostics);
        for (var i = 0; i < jobs.Count; i++)
        {
            if (rendered[i] is { } text) bundle.Add(jobs[i].Path, text, jobs[i].Template);
        }

        _clock.Stop();
        return scope.HasErrors ? null : bundle;
    }

    /// <summary>What a render worker keeps from one file to the next: its template context, its output buffer and the list
    /// of where the values written into it are.</summary>
    private sealed record Worker(TemplateContext Context)
    {
        public System.Text.StringBuilder Text { get; } = new(16 * 1024);

        public List<Range> Values { get; } = [];
    }

    /// <summary>One file to render: its path, its template and model, and the workload whose `patch:` applies to it.</summary>
    private sealed record Job(string Path, string Template, ScriptObject Model, ResolvedWorkload? Patched)
    {
        /// <summary>Whether the workload's patch was applied to the rendered file (set by the worker that rendered it).</summary>
        public bool PatchApplied { get; set; }
    }

    /// <summary>Renders the files on every core, each worker contiguous runs of them with its own context (a Scriban
    /// TemplateContext serves one thread; parsed templates are shared), a workload's patch applied and the file checked
    /// there too. Results and findings come back in the jobs' order, so the bundle and its diagnostics do not depend on
    /// how the work was split. A file is checked as soon as it is written, while its text is in the worker's cache: read
    /// back after the whole bundle instead, a 1,000-service render took 15% longer (the text read again from memory, and
    /// two more collections, one of them full).</summary>
    private string?[] RenderAll(IReadOnlyList<Job> jobs, ResolvedMesh mesh, string source, Bundle bundle, FileCheck? check, DiagnosticBag diagnostics)
    {
        var rendered = new string?[jobs.Count];
        var found = new DiagnosticBag[jobs.Count];
        // Small runs, taken from the end of the list: the files listed last (mappings, policies, the mesh picture, the plan)
        // are the largest, and rendered first they do not leave one core working alone at the end.
        var run = Math.Max(8, jobs.Count / (Environment.ProcessorCount * 16));
        // One context per worker, kept across the runs it takes (building one sets up Scriban's builtins), and one
        // text buffer, emptied for each file (a buffer per file was a fifth of what rendering allocated).
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, jobs.Count, run), () => new Worker(CreateContext(templates)), (range, _, worker) =>
        {
            for (var k = range.Item1; k < range.Item2; k++)
            {
                var i = jobs.Count - 1 - k;
                var job = jobs[i];
                found[i] = new DiagnosticBag();
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                // Normalised here, on the worker: the raw text is garbage at once, not held beside the bundle's copy.
                if (RenderTemplate(worker, job.Template, job.Model, mesh, source, found[i], traced: false) is not var (raw, _)) continue;
                var text = Bundle.Normalise(raw);
                // The values' places hold in the text as written only: normalising (rare) or patching moves them.
                var values = ReferenceEquals(text, raw) ? worker.Values : null;
                if (job.Patched is { Patch: { } patch } workload && ApplyPatch(text, workload, patch) is { } merged)
                {
                    text = Bundle.Normalise(merged);
                    job.PatchApplied = true;
                    values = null;
                }
                rendered[i] = text;
                var checking = System.Diagnostics.Stopwatch.GetTimestamp();
                Interlocked.Add(ref _renderTicks, checking - started);
                if (check is null) continue;
                check(job.Path, text, values, line => bundle.SourceOf(job.Path, (int)line, templates.DisplayPath(job.Template)), found[i]);
                Interlocked.Add(ref _checkTicks, System.Diagnostics.Stopwatch.GetTimestamp() - checking);
            }
            return worker;
        }, _ => { });
        foreach (var bag in found)
        {
            diagnostics.AddRange(bag.Items);
        }
        return rendered;
    }

    /// <summary>A template's own variables (besides `mesh` and `source`), named as the templates spell them.</summary>
    private static ScriptObject Model(params (string Name, object? Value)[] members)
    {
        var model = new ScriptObject();
        foreach (var (name, value) in members)
        {
            model.SetValue(name, value, true);
        }
        return model;
    }

    /// <summary>The user's strategic-merge patch, applied to the rendered workload: the committed YAML is the final object
    /// (written as go-yaml writes objects). The other documents of the file stay as the templates wrote them. Null when
    /// the workload's document is not there to patch, as when it does not read as YAML (an overriding template's mistake):
    /// the file stays as rendered, and verify reports it at the template line that wrote it.</summary>
    private static string? ApplyPatch(string rendered, ResolvedWorkload workload, System.Text.Json.Nodes.JsonObject patch)
    {
        var documents = YamlDocuments.Split(rendered).ToList();
        var text = new System.Text.StringBuilder();
        var found = false;
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i];
            if (i > 0) text.Append("---\n");
            if (Readable(document) is System.Text.Json.Nodes.JsonObject obj && obj["kind"]?.ToString() == workload.Kind && obj["metadata"]?["name"]?.ToString() == workload.Name)
            {
                text.Append(GoYaml.Write(Kubernetes.StrategicMerge.Apply(obj, patch)));
                found = true;
            }
            else
            {
                text.Append(document);
            }
        }
        return found ? text.ToString() : null;

        static System.Text.Json.Nodes.JsonNode? Readable(string document)
        {
            try
            {
                return GoYaml.Read(document);
            }
            catch (YamlDotNet.Core.YamlException)
            {
                return null;
            }
        }
    }

    private sealed class BudgetExceeded : Exception;

    /// <summary>Set (to 1) once the budget (or a regex's) is spent: the other files of the run are not rendered, and only
    /// the worker that spent it reports it.</summary>
    private int _exhausted;

    /// <summary>The innermost script exception: where in the templates (an included one, too) it happened.</summary>
    private static ScriptRuntimeException? Innermost(Exception e)
    {
        ScriptRuntimeException? found = null;
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is ScriptRuntimeException s) found = s;
        }
        return found;
    }

    /// <summary>Scriban wraps what a callback throws; the innermost exception says what happened.</summary>
    private static Exception Unwrap(Exception e)
    {
        while (e.InnerException is { } inner) e = inner;
        return e;
    }

    /// <summary>Called as templates write: past the budget, the render stops.</summary>
    private void CheckBudget()
    {
        if (_clock.Elapsed > _budget || _deadline.IsCancellationRequested) throw new BudgetExceeded();
    }

    /// <summary>A file rendered again, traced, for a finding in it: the same template and model write the same text. (What
    /// the first render assigned into the model cannot change the second: with strict variables, a template cannot read
    /// a variable before it assigns it.)</summary>
    private IReadOnlyList<SourceLocation?>? Retrace(Job job, ResolvedMesh mesh, string source) =>
        RenderTemplate(new Worker(NewContext(templates, CancellationToken.None)), job.Template, job.Model, mesh, source, new DiagnosticBag(), traced: true) is var (_, output)
            ? output.Lines
            : null;

    private (string Text, TracedOutput Output)? RenderTemplate(Worker worker, string name, ScriptObject globals, ResolvedMesh mesh, string source, DiagnosticBag diagnostics, bool traced)
    {
        var context = worker.Context;
        var template = Volatile.Read(ref _exhausted) == 1 ? null : templates.Get(name, diagnostics);
        if (template is null)
        {
            return null;
        }
        globals.SetValue("mesh", mesh, true);
        globals.SetValue("source", source, true);
        worker.Values.Clear();
        var output = new TracedOutput(context, worker.Text.Clear(), worker.Values, traced ? templates.DisplayPathOf : null, CheckBudget);
        context.PushOutput(output);
        context.PushGlobal(globals);
        try
        {
            return (template.Render(context), output);
        }
        catch (ScriptRuntimeException e) when (Unwrap(e) is IncludeRefusedException refused)
        {
            diagnostics.Add(DiagnosticCatalog.IncludeRefused(templates.Locate(refused.Span), refused.Name));
            return null;
        }
        catch (Exception e) when (Unwrap(e) is BudgetExceeded or System.Text.RegularExpressions.RegexMatchTimeoutException || _deadline.IsCancellationRequested)
        {
            if (Interlocked.Exchange(ref _exhausted, 1) == 1) return null;
            var at = Innermost(e) is { } inner ? templates.Locate(inner.Span)
                : context.CurrentNode is { } node ? templates.Locate(node.Span) : SourceLocation.WholeFile(templates.DisplayPath(name));
            diagnostics.Add(DiagnosticCatalog.TemplateBudgetExceeded(at, Unwrap(e) is System.Text.RegularExpressions.RegexMatchTimeoutException ? context.RegexTimeOut : _budget));
            return null;
        }
        catch (ScriptRuntimeException e)
        {
            diagnostics.Add(DiagnosticCatalog.TemplateError(templates.Locate(e.Span), e.OriginalMessage));
            return null;
        }
        finally
        {
            context.PopGlobal();
            context.PopOutput();
        }
    }

    private TemplateContext CreateContext(TemplateSource templates) => NewContext(templates, _deadline.Token);

    /// <summary>Sets up, once, the static state a first context builds (Scriban's) and the metadata templates read the model
    /// through, which the first render workers would otherwise all wait for at once. Called while the mesh files load (as
    /// is <see cref="TemplateBuiltins.Prepare"/>).</summary>
    public static void Prepare(TemplateSource templates)
    {
        NewContext(templates, CancellationToken.None);
        JsonMetadata.Prepare(TemplateModelJson.Default, typeof(ResolvedMesh));
    }

    /// <summary>A worker's context: the builtins and the filters are set up once, each file's model pushed on top.
    /// A sandbox: no clock (Scriban's `date`), no file but the templates (the loader), bounded loops and regexes.</summary>
    private static TemplateContext NewContext(TemplateSource templates, CancellationToken deadline)
    {
        var builtins = new TemplateBuiltins();
        var filters = new ScriptObject();
        filters.SetValue("y", new TemplateFilter(1, (_, _, a) => YamlScalar.Format(a[0])), true);
        filters.SetValue("json", new TemplateFilter(1, (_, _, a) => YamlScalar.JsonText(a[0])), true);
        filters.SetValue("yaml", new TemplateFilter(2, (c, at, a) => YamlScalar.Block(a[0] as System.Text.Json.Nodes.JsonNode, c.ToInt(at?.Span ?? default, a[1]))), true);
        var context = new TemplateModelContext(builtins)
        {
            TemplateLoader = templates,
            StrictVariables = true,
            LoopLimit = 100_000,
            RecursiveLimit = 64,
            RegexTimeOut = TimeSpan.FromSeconds(1),
            EnableRelaxedMemberAccess = false,
            // Scriban checks the token at every loop step: a loop that writes nothing is stopped too.
            CancellationToken = deadline,
        };
        context.PushGlobal(filters);
        templates.ShareIncludes(context);
        return context;
    }
}
