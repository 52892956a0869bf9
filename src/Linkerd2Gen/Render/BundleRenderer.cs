using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Model;
using Linkerd2Gen.Yaml;
using Scriban.Runtime;
using Scriban.Syntax;
using Scriban;

namespace Linkerd2Gen.Render;

/// <summary>
/// Resolved model → files, through the Scriban templates. Templates own the shape of the YAML, C# owns the
/// values; the layout of the bundle (which file holds what) is decided here.
/// </summary>
public sealed class BundleRenderer(TemplateSource templates, string outRoot)
{
    public Bundle? Render(ResolvedMesh mesh, DiagnosticBag diagnostics)
    {
        var bundle = new Bundle(mesh.Cluster);
        var source = Path.GetFileName(mesh.SourceFile);
        using var scope = diagnostics.Scope();

        void Emit(string path, string template, object model)
        {
            var text = RenderTemplate(template, model, mesh, source, diagnostics);
            if (text is not null)
            {
                bundle.Add(path, text, template);
            }
        }

        var resources = new List<string>();
        if (mesh.Namespaces.Any(n => n.Create))
        {
            Emit("namespaces.yaml", "namespaces.yaml.sbn", new { Namespaces = mesh.Namespaces.Where(n => n.Create).ToList() });
            resources.Add("namespaces.yaml");
        }
        var services = mesh.Services.ToDictionary(s => (s.Namespace, s.Name));
        foreach (var workload in mesh.Workloads)
        {
            var service = services[(workload.Namespace, workload.Service)];
            var path = $"namespaces/{workload.Namespace}/{workload.Service}.yaml";
            Emit(path, "workload.yaml.sbn", new { Workload = workload, Service = service });
            resources.Add(path);
        }
        foreach (var group in mesh.Mappings.GroupBy(m => m.Namespace).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var path = group.Key == mesh.Gateway.Namespace ? "gateway/mappings.yaml" : $"namespaces/{group.Key}/mappings.yaml";
            Emit(path, "mappings.yaml.sbn", new { Mappings = group.OrderBy(m => m.Name, StringComparer.Ordinal).ToList() });
            resources.Add(path);
        }
        if (mesh.Listeners.Count > 0)
        {
            Emit("gateway/listeners.yaml", "listeners.yaml.sbn", new { mesh.Listeners });
            resources.Add("gateway/listeners.yaml");
        }
        if (mesh.Hosts.Count > 0)
        {
            Emit("gateway/hosts.yaml", "hosts.yaml.sbn", new { mesh.Hosts });
            resources.Add("gateway/hosts.yaml");
        }
        foreach (var patch in mesh.Patches)
        {
            Emit(patch.Path, "patch.json.sbn", new { Patch = patch });
        }
        foreach (var component in mesh.Patches.GroupBy(p => p.Component))
        {
            Emit($"{component.Key}/kustomization.yaml", "component.yaml.sbn", new { Component = component.Key, Patches = component.ToList() });
        }
        // Namespaces before what lives in them; kubectl applies in this order.
        resources = resources.OrderBy(r => r == "namespaces.yaml" ? 0 : r.StartsWith("namespaces/", StringComparison.Ordinal) ? 1 : 2)
            .ThenBy(r => r, StringComparer.Ordinal).ToList();
        // With gateway.base the bundle builds the gateway too, patched by the Component.
        var gatewayBase = mesh.Gateway.Base is { } dir ? Resolve.GatewayBase.RelativeTo(Path.Combine(outRoot, mesh.Cluster), dir) : null;
        Emit("kustomization.yaml", "kustomization.yaml.sbn", new { Resources = resources, GatewayBase = gatewayBase });
        Emit("APPLY.md", "apply.md.sbn", new
        {
            Resources = resources,
            Files = bundle.Files.Keys.ToList(),
            InstallCommands = Resolve.MulticlusterPlan.InstallCommands(mesh),
            LinkCommands = Resolve.MulticlusterPlan.LinkCommands(mesh),
            Exports = mesh.Patches.Any(p => p.Component == ResolvedPatch.Exports),
            // kubectl label/annotate work whatever the live Service looks like; a JSON patch needs its labels map.
            ExportCommands = mesh.Services.Where(s => s.Existing && s.Export is not null).SelectMany(s =>
                s.Labels.Select(l => $"kubectl -n {s.Namespace} label service {s.Name} {l.Key}={l.Value} --overwrite")
                    .Concat(s.Annotations.Select(a => $"kubectl -n {s.Namespace} annotate service {s.Name} {a.Key}={a.Value} --overwrite")))
                .ToList(),
        });

        return scope.HasErrors ? null : bundle;
    }

    private string? RenderTemplate(string name, object model, ResolvedMesh mesh, string source, DiagnosticBag diagnostics)
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
        _context.PushOutput(new StringBuilderOutput());
        _context.PushGlobal(globals);
        try
        {
            return template.Render(_context);
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
