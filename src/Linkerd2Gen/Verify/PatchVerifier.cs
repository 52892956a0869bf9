using System.Text.Json.Nodes;
using System.Text.Json;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Model;
using Linkerd2Gen.Render;
using Linkerd2Gen.Yaml;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson.Exceptions;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;

namespace Linkerd2Gen.Verify;

/// <summary>
/// Applies every rendered patch to the object it targets in the known base, because Kustomize silently
/// skips a patch whose target matches nothing and a live object of another shape fails only at apply time.
/// </summary>
public static class PatchVerifier
{
    /// <param name="baseObjects">Objects of gateway.base, or null to use the flavor's official shape.</param>
    /// <param name="baseLocation">Where gateway.base is written (for user-facing errors).</param>
    public static void Verify(Bundle bundle, ResolvedMesh mesh, IReadOnlyList<JsonObject>? baseObjects, SourceLocation baseLocation, TemplateSource templates, DiagnosticBag diagnostics)
    {
        var objects = baseObjects ?? KnownGateway.Objects(mesh.Gateway);
        foreach (var patch in mesh.Patches)
        {
            var target = objects.FirstOrDefault(o => Matches(o, patch.Target));
            if (target is null)
            {
                // The gateway's own objects must be in its base; existing objects (the existing Component) are only
                // checked against a base that happens to hold them.
                if (baseObjects is not null && patch.Component == ResolvedPatch.Gateway)
                {
                    diagnostics.Add(DiagnosticCatalog.PatchTargetMissing(baseLocation, patch.File, Describe(patch.Target)));
                }
                continue;
            }
            var text = bundle.Files[patch.Path];
            // A merge patch adds the maps it needs: it fits an object of any shape. What is checked is what was rendered.
            if (text.TrimStart().StartsWith('{')) continue;
            try
            {
                var document = JsonPatches.Parse(text);
                document.ApplyTo(target.DeepClone());
            }
            catch (JsonPatchException e)
            {
                diagnostics.Add(baseObjects is null
                    ? DiagnosticCatalog.PatchDoesNotApply(SourceLocation.WholeFile(templates.DisplayPath(bundle.Templates[patch.Path])), patch.File, e.Message)
                    : DiagnosticCatalog.PatchDoesNotApplyToBase(baseLocation, patch.File, Describe(patch.Target), e.Message));
            }
        }
    }

    private static bool Matches(JsonObject o, ResolvedTarget t) =>
        o["apiVersion"]?.ToString() == t.ApiVersion
        && o["kind"]?.ToString() == t.Kind
        && o["metadata"].Field("name")?.ToString() == t.Name
        && (o["metadata"].Field("namespace") is not { } ns || ns.ToString() == t.Namespace);

    private static string Describe(ResolvedTarget t) => $"{t.Kind} {t.Namespace}/{t.Name}";
}
