using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Linkerd2Gen.Kubernetes;
using Linkerd2Gen.Linkerd;
using Linkerd2Gen.Yaml;
using YamlDotNet.Core;

namespace Linkerd2Gen.Inject;

/// <summary>The transformed stream (stdout), linkerd's report (stderr) and the exit code, as `linkerd inject` gives them.</summary>
public sealed record InjectResult(string Output, string Report, int ExitCode);

/// <summary>
/// Offline `linkerd inject` in its default (annotation) mode, as of Linkerd 2.18 (cli/cmd/inject.go): the silent
/// uninject pass, then annotations on the pod template of each workload (or on a Pod's or Namespace's own
/// metadata); other kinds pass through byte for byte; output and report formatted as linkerd formats them.
/// </summary>
public static class Injector
{
    private const string Warn = "\u203C";
    private const string Ok = "\u221A";

    private static readonly HashSet<string> Workloads = ["Deployment", "ReplicationController", "ReplicaSet", "Job", "DaemonSet", "StatefulSet", "Pod", "CronJob"];
    private static readonly HashSet<string> ProxyContainers = ["linkerd-proxy", "linkerd-debug"];
    private static readonly HashSet<string> ProxyInitContainers = ["linkerd-init"];
    private static readonly HashSet<string> ProxyVolumes = ["linkerd-identity-end-entity", "linkerd-identity-token", "linkerd-proxy-init-xtables-lock"];

    private sealed class Report(string kind, string name)
    {
        public string Kind { get; } = kind;
        public string Name { get; } = name;
        public bool Injected, Annotated, Disabled, Udp, Supported;
        public string ResName => $"{Kind}/{Name}";
    }

    public static InjectResult Inject(string input, InjectOptions options) => Inject([input], options);

    /// <summary>Transforms the inputs (files in order) as one stream: linkerd's first pass joins them, document by document.</summary>
    /// <param name="json">-o json: each document as one compact JSON line instead of YAML followed by ---.</param>
    public static InjectResult Inject(IEnumerable<string> inputs, InjectOptions options, bool json = false)
    {
        var output = new StringBuilder();
        var reports = new List<Report?>(); // null: a document without kind
        var errors = new List<string>();
        void Emit(JsonNode? node, string? verbatim)
        {
            if (json) output.Append(GoYaml.Json(node)).Append('\n');
            else if (verbatim is not null) output.Append(verbatim.EndsWith('\n') || verbatim.Length == 0 ? verbatim : verbatim + "\n").Append("---\n");
            else output.Append(GoYaml.Write(node)).Append("---\n");
        }
        // A UTF-8 byte order mark starts no document: Go's reader skips it.
        foreach (var document in inputs.SelectMany(i => YamlDocuments.Split(i.TrimStart('\uFEFF').Replace("\r\n", "\n"))))
        {
            JsonNode? parsed;
            try
            {
                parsed = GoYaml.Read(document);
            }
            catch (YamlException e)
            {
                errors.Add($"failed to parse YAML: line {e.Start.Line}: {e.Message}");
                continue;
            }
            var kind = (parsed as JsonObject)?["kind"] is JsonValue k && k.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : null;
            if (kind is null or "")
            {
                if (json) Emit(parsed, null);
                else output.Append(document).Append("---\n");
                reports.Add(null);
                continue;
            }
            var obj = (JsonObject)parsed!;
            if (kind == "List")
            {
                var items = obj["items"] as JsonArray ?? [];
                var transformed = new JsonArray();
                foreach (var item in items)
                {
                    if (item is JsonObject o && o["kind"]?.GetValueKind() == JsonValueKind.String)
                    {
                        transformed.Add(Transform(o, options, reports, errors) ?? item.DeepClone());
                        continue;
                    }
                    transformed.Add(item?.DeepClone());
                    reports.Add(null); // an item without kind (or null) is reported like a document without one
                }
                var list = new JsonObject { ["apiVersion"] = obj["apiVersion"]?.DeepClone(), ["items"] = transformed, ["kind"] = "List", ["metadata"] = new JsonObject() };
                Emit(list, null);
                continue;
            }
            if (Transform(obj, options, reports, errors) is { } result)
            {
                Emit(result, null);
            }
            else
            {
                // Kinds linkerd does not support pass through verbatim, comments included.
                Emit(obj, document);
            }
        }
        if (errors.Count > 0)
        {
            return new InjectResult("", "Error transforming resources:\n" + string.Join("\n", errors), 1);
        }
        return new InjectResult(output.ToString(), GenerateReport(reports, options.Verbose), 0);
    }
    /// <summary>The object after both passes, or null for a kind linkerd passes through untouched.</summary>
    private static JsonObject? Transform(JsonObject original, InjectOptions options, List<Report?> reports, List<string> errors)
    {
        try
        {
            return TransformObject(original, options, reports, errors);
        }
        catch (InvalidOperationException)
        {
            // A field of the wrong shape (metadata: x, spec: [..]): linkerd cannot decode it into its type either.
            errors.Add($"failed to inject {original["kind"]!.GetValue<string>().ToLowerInvariant()}/{Name(original)}: the object does not have the shape of its kind");
            return null;
        }
    }

    private static JsonObject? TransformObject(JsonObject original, InjectOptions options, List<Report?> reports, List<string> errors)
    {
        var kind = original["kind"]!.GetValue<string>();
        if (!Workloads.Contains(kind) && kind is not ("Namespace" or "Service"))
        {
            reports.Add(new Report(kind.ToLowerInvariant(), Name(original)));
            return null;
        }
        var obj = (JsonObject)original.DeepClone();
        // Workloads and Namespaces can always be annotated; a Service only with --opaque-ports.
        var report = new Report(kind.ToLowerInvariant(), Name(obj)) { Supported = kind != "Service" };
        reports.Add(report);
        switch (kind)
        {
            case "Namespace":
                Uninject(Metadata(obj));
                Annotate(Metadata(obj), options.PodAnnotations());
                report.Annotated = true;
                break;
            case "Service":
                Uninject(Metadata(obj));
                if (options.Overrides.TryGetValue(ProxySettings.ForField("opaquePorts").Annotation, out var opaque))
                {
                    Annotate(Metadata(obj), [new KeyValue(ProxySettings.ForField("opaquePorts").Annotation, opaque)]);
                    report.Annotated = report.Supported = true;
                }
                break;
            default:
                var template = PodTemplate(obj, kind);
                var meta = Metadata(template);
                var podSpec = template["spec"] as JsonObject ?? [];
                if (meta["labels"]?[ControlPlaneLabel] is not null)
                {
                    errors.Add("--manual must be set when injecting control plane components");
                    break;
                }
                Uninject(meta);
                UninjectSpec(podSpec);
                report.Udp = Containers(podSpec).Any(c => (c["ports"] as JsonArray ?? []).Any(p => p?["protocol"]?.ToString() == "UDP"));
                report.Disabled = meta["annotations"]?[ProxySettings.InjectAnnotation]?.ToString() == "disabled";
                // pkg/inject/report.go ThrowInjectError: what makes a workload not injectable, in linkerd's order.
                // automountServiceAccountToken: false refuses a pod only without token projection, which 2.18–2.20 enable by default.
                var refusals = InjectRefusals.Of(podSpec).ToList();
                if (refusals.Count > 0)
                {
                    if (report.Udp) refusals.Add("UDP port(s) configured on pod spec");
                    errors.Add($"failed to inject {report.ResName}: {string.Join(", ", refusals)}");
                    break;
                }
                if (report.Disabled)
                {
                    // linkerd 2.11+ still reports a non-injectable workload as annotated when overrides are given.
                    report.Annotated = options.Overrides.Count > 0;
                    break;
                }
                Annotate(meta, options.PodAnnotations());
                report.Injected = true;
                break;
        }
        KubernetesShape.Normalise(obj);
        return obj;
    }

    private static string Name(JsonObject obj) => (obj["metadata"] as JsonObject)?["name"]?.ToString() ?? "";

    private static JsonObject Metadata(JsonObject obj) => Ensure(obj, "metadata");

    /// <summary>The pod template: spec.template, spec.jobTemplate.spec.template for a CronJob, the Pod itself. Go's
    /// types always have one, so a missing one is created (and left out again if it stays empty).</summary>
    private static JsonObject PodTemplate(JsonObject obj, string kind) => kind switch
    {
        "Pod" => obj,
        "CronJob" => Ensure(obj, "spec", "jobTemplate", "spec", "template"),
        _ => Ensure(obj, "spec", "template"),
    };

    private static JsonObject Ensure(JsonObject obj, params string[] path)
    {
        foreach (var key in path)
        {
            if (obj[key] is null) obj[key] = new JsonObject();
            obj = obj[key]!.AsObject(); // a field of another shape throws: reported as such by Transform
        }
        return obj;
    }

    private const string ControlPlaneLabel = "linkerd.io/control-plane-component";

    /// <summary>pkg/healthcheck HasExistingSidecars, after the uninject pass removed linkerd's own: an Istio sidecar.</summary>
    private static IEnumerable<JsonObject> Containers(JsonObject podSpec) =>
        (podSpec["containers"] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>The silent first pass: linkerd.io/* metadata (but inject: disabled) and the proxy's containers and volumes go.</summary>
    private static void Uninject(JsonObject meta)
    {
        foreach (var field in new[] { "annotations", "labels" })
        {
            if (meta[field] is not JsonObject map) continue;
            foreach (var key in map.Select(p => p.Key).ToList())
            {
                var keep = key == ProxySettings.InjectAnnotation && map[key]?.ToString() == "disabled";
                if (key.StartsWith("linkerd.io", StringComparison.Ordinal) && !keep) map.Remove(key);
            }
        }
    }

    private static void UninjectSpec(JsonObject podSpec)
    {
        Remove(podSpec, "containers", ProxyContainers);
        Remove(podSpec, "initContainers", ProxyInitContainers);
        Remove(podSpec, "volumes", ProxyVolumes);
    }

    private static void Remove(JsonObject spec, string list, HashSet<string> names)
    {
        if (spec[list] is not JsonArray items) return;
        foreach (var item in items.Where(i => names.Contains(i?["name"]?.ToString() ?? "")).ToList()) items.Remove(item);
    }

    private static void Annotate(JsonObject meta, IEnumerable<KeyValue> annotations)
    {
        var map = Ensure(meta, "annotations");
        foreach (var a in annotations) map[a.Key] = a.Value;
    }

    /// <summary>linkerd's generateReport: a blank line, the checks (failures always, passes with --verbose), the resources.</summary>
    private static string GenerateReport(List<Report?> reports, bool verbose)
    {
        var text = new StringBuilder("\n");
        var warned = false;
        void Check(IEnumerable<string> warnings, string okMessage)
        {
            var list = warnings.ToList();
            foreach (var w in list) text.Append(Warn).Append(' ').Append(w).Append('\n');
            if (list.Count > 0) warned = true;
            else if (verbose) text.Append(Ok).Append(' ').Append(okMessage).Append('\n');
        }
        var known = reports.OfType<Report>().ToList();
        Check([], "pods do not use host networking");
        Check([], "pods do not have a 3rd party proxy or initContainer already injected");
        var disabled = known.Where(r => r.Disabled).Select(r => r.ResName).ToList();
        Check(disabled.Count == 0 ? [] : [$"\"linkerd.io/inject: disabled\" annotation set on {string.Join(", ", disabled)}"], "pods are not annotated to disable injection");
        Check(known.Any(r => r.Supported) ? [] : ["no supported objects found"], "at least one resource can be injected or annotated");
        var udp = known.Where(r => r.Udp).Select(r => r.ResName).ToList();
        Check(udp.Count == 0 ? [] : [$"{string.Join(", ", udp)} {(udp.Count > 1 ? "use" : "uses")} \"protocol: UDP\""], "pod specs do not include UDP ports");
        Check([], "pods do not have automountServiceAccountToken set to \"false\" or service account token projection is enabled");
        if (warned || verbose) text.Append('\n');
        foreach (var r in reports)
        {
            text.Append(r switch
            {
                null => "document missing \"kind\" field, skipped",
                { Injected: true } => $"{r.Kind} \"{r.Name}\" injected",
                { Annotated: true } => $"{r.Kind} \"{r.Name}\" annotated",
                _ => $"{r.Kind} \"{r.Name}\" skipped",
            }).Append('\n');
        }
        return text.Append('\n').ToString();
    }
}
