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
public sealed class BundleRenderer(TemplateSource templates)
{
    public Bundle? Render(ResolvedMesh mesh, DiagnosticBag diagnostics)
    {
        var bundle = new Bundle(mesh.Cluster, mesh.SourceFile);
        var source = Path.GetFileName(mesh.SourceFile);
        using var scope = diagnostics.Scope();

        void Emit(string path, string template, object model)
        {
            if (RenderTemplate(template, model, mesh, source, diagnostics) is var (text, lines))
            {
                bundle.Add(path, text, template, lines);
            }
        }

        var layout = mesh.Layout;
        if (layout.NamespacesFile is { } namespacesFile)
        {
            Emit(namespacesFile, "namespaces.yaml.sbn", new { Namespaces = mesh.Namespaces.Where(n => n.Create).ToList() });
        }
        var services = mesh.Services.ToDictionary(s => (s.Namespace, s.Name));
        foreach (var workload in mesh.Workloads)
        {
            Emit(workload.File, "workload.yaml.sbn", new { Workload = workload, Service = services[(workload.Namespace, workload.Service)] });
        }
        foreach (var file in layout.MappingFiles)
        {
            Emit(file.Path, "mappings.yaml.sbn", new { file.Mappings });
        }
        if (layout.ListenersFile is { } listenersFile)
        {
            Emit(listenersFile, "listeners.yaml.sbn", new { mesh.Listeners });
        }
        if (layout.HostsFile is { } hostsFile)
        {
            Emit(hostsFile, "hosts.yaml.sbn", new { mesh.Hosts });
        }
        foreach (var patch in mesh.Patches)
        {
            Emit(patch.Path, "patch.json.sbn", new { Patch = patch });
        }
        foreach (var component in mesh.Patches.GroupBy(p => p.Component))
        {
            Emit($"{component.Key}/kustomization.yaml", "component.yaml.sbn", new { Component = component.Key, Patches = component.ToList() });
        }
        Emit("kustomization.yaml", "kustomization.yaml.sbn", new { layout.Resources, layout.GatewayBase });
        Emit("APPLY.md", "apply.md.sbn", new
        {
            layout.Resources,
            Files = bundle.Files.Keys.ToList(),
            mesh.Plan.InstallCommands,
            mesh.Plan.LinkCommands,
            mesh.Plan.PatchCommands,
            Exports = mesh.Plan.HasExports,
            mesh.Plan.ExportCommands,
        });

        return scope.HasErrors ? null : bundle;
    }

    private (string Text, IReadOnlyList<SourceLocation?> Lines)? RenderTemplate(string name, object model, ResolvedMesh mesh, string source, DiagnosticBag diagnostics)
    {
        var template = templates.Get(name, diagnostics);
        if (template is null)
        {
            return null;
        }
        var globals = new ScriptObject();
        globals.Import(model);
        globals.SetValue("mesh", mesh, true);
        globals.SetValue("source", source, true);
        var output = new TracedOutput(_context, templates.DisplayPath);
        _context.PushOutput(output);
        _context.PushGlobal(globals);
        try
        {
            return (template.Render(_context), output.Lines);
        }
        catch (ScriptRuntimeException e)
        {
            diagnostics.Add(DiagnosticCatalog.TemplateError(TemplateSource.Location(e.Span), e.OriginalMessage));
            return null;
        }
        finally
        {
            _context.PopGlobal();
            _context.PopOutput();
        }
    }

    /// <summary>One context for every file: the builtins and the filters are set up once, each model pushed on top.</summary>
    private readonly TemplateContext _context = CreateContext(templates);

    private static TemplateContext CreateContext(TemplateSource templates)
    {
        var filters = new ScriptObject();
        filters.Import("y", new Func<object?, string>(YamlScalar.Format));
        filters.Import("json", new Func<object?, string>(YamlScalar.JsonText));
        var context = new TemplateContext
        {
            TemplateLoader = templates,
            StrictVariables = true,
            LoopLimit = 100_000,
            EnableRelaxedMemberAccess = false,
        };
        context.PushGlobal(filters);
        return context;
    }
}
