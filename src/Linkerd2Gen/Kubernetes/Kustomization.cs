using System.Text.Json.Nodes;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Kubernetes;

/// <summary>
/// A kustomization folder read as `kubectl kustomize` builds it, for what the bundle reads of a base (its workloads, their
/// pod templates, its Services): its resources (files, and folders built the same way, so an overlay's `../base` is read),
/// components, patches (strategic merge and RFC 6902, by target or by the object a patch names), then its namespace,
/// name prefix and suffix (and the fields that name a renamed object, following it), labels, annotations, images and
/// replacements (<see cref="Replacements"/>). ConfigMap and Secret generators too (<see cref="Generators"/>), and vars,
/// replaced once the whole build is done (<see cref="Vars"/>). What it does not build (generator plugins, Helm charts,
/// remote resources) is named in a finding, not guessed at.
/// </summary>
public static class Kustomization
{
    private static readonly string[] FileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    /// <summary>Fields that make objects or change them in ways not built here.</summary>
    private static readonly string[] NotBuilt =
        ["helmCharts", "helmChartInflationGenerator", "transformers", "generators", "crds", "openapi", "configurations", "buildMetadata"];

    /// <summary>Every field of Kustomize's Kustomization type: Go's strict decoding refuses any other.</summary>
    private static readonly string[] Fields =
    [
        "apiVersion", "kind", "metadata", "openapi", "namePrefix", "nameSuffix", "namespace", "commonLabels", "labels", "commonAnnotations",
        "patchesStrategicMerge", "patchesJson6902", "patches", "images", "imageTags", "replacements", "replicas", "vars", "sortOptions",
        "resources", "components", "crds", "bases", "configMapGenerator", "secretGenerator", "helmGlobals", "helmCharts",
        "helmChartInflationGenerator", "generatorOptions", "configurations", "generators", "transformers", "validators", "buildMetadata",
    ];

    /// <summary>Kinds that live in no namespace: Kustomize's namespace leaves them be.</summary>
    internal static readonly HashSet<string> ClusterScoped =
    [
        "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService", "IngressClass", "RuntimeClass", "CSIDriver", "Node",
        "PodSecurityPolicy", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
    ];

    /// <summary>Something of a kustomization not read as Kustomize would: an unreadable file (an error), or a field or
    /// resource left out (what the bundle then does not see).</summary>
    public sealed record Finding(string File, string Problem, bool IsError);

    /// <summary>The kustomization file of a folder, if it has one.</summary>
    public static string? FileIn(string dir) =>
        Directory.Exists(dir) ? FileNames.Select(n => Path.Combine(dir, n)).FirstOrDefault(File.Exists) : null;

    /// <summary>What a folder builds (as far as this reads it), and what it could not read.</summary>
    public sealed record Built(List<JsonObject> Objects, List<Finding> Findings);

    /// <summary>The folder's key among built folders: its full path, without a trailing separator.</summary>
    public static string Key(string dir) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));

    /// <summary>The objects the folder's kustomization builds (as far as this reads it), and what it could not read.</summary>
    public static Built Build(string dir)
    {
        var findings = new List<Finding>();
        var origins = new Origins();
        var vars = new List<Vars.Var>();
        var objects = Build(Path.GetFullPath(dir), findings, origins, [], vars);
        // Last, the generated ConfigMaps and Secrets take their content's hash, and what names them follows; then, with
        // every name final, the vars are replaced.
        var before = objects.Select(NameReferences.Identity.Of).ToList();
        if (Generators.Hash(objects)) NameReferences.Follow(objects, before);
        Vars.Resolve(vars, objects, findings);
        return new Built(objects, findings);
    }

    /// <param name="inherited">For a Component: what its parent has gathered so far. Its resources join them, and its
    /// patches and other transformers apply to them all (that is how a component patches its parent's Deployments).</param>
    private static List<JsonObject> Build(string dir, List<Finding> findings, Origins origins, HashSet<string> building,
        List<Vars.Var> vars, List<JsonObject>? inherited = null)
    {
        var file = FileIn(dir);
        if (file is null)
        {
            findings.Add(new Finding(dir, "is named as a resource folder but holds no kustomization (Kustomize refuses it)", true));
            return inherited ?? [];
        }
        if (!building.Add(dir))
        {
            findings.Add(new Finding(file, "includes itself (a cycle of resources)", true));
            return inherited ?? [];
        }
        var k = ReadKustomization(file, findings);
        var objects = inherited ?? [];
        bool Local(string entry)
        {
            if (!(entry.Contains("://", StringComparison.Ordinal) || entry.Contains("?ref=", StringComparison.Ordinal) || entry.StartsWith("github.com/", StringComparison.Ordinal))) return true;
            findings.Add(new Finding(file, $"names the remote resource {entry}, which is not read offline", false));
            return false;
        }
        foreach (var entry in Strings(k["resources"]).Concat(Strings(k["bases"])).Where(Local))
        {
            var path = Path.GetFullPath(Path.Combine(dir, entry));
            if (Directory.Exists(path)) objects.AddRange(Build(path, findings, origins, building, vars));
            else if (File.Exists(path)) objects.AddRange(Resources(path, findings));
            else findings.Add(new Finding(file, $"names the resource {entry}, which is not there", true));
        }
        Generators.Generate(dir, file, k, objects, origins, findings);
        // Components after the resources and generators, in order, each on everything gathered so far (Kustomize's order:
        // a component's labels reach what its parent generates).
        foreach (var entry in Strings(k["components"]).Where(Local))
        {
            var path = Path.GetFullPath(Path.Combine(dir, entry));
            if (Directory.Exists(path)) objects = Build(path, findings, origins, building, vars, objects);
            else findings.Add(new Finding(file, $"names the component {entry}, which is no folder", true));
        }
        foreach (var o in objects) origins.Remember(o);
        var before = objects.Select(NameReferences.Identity.Of).ToList();
        foreach (var field in NotBuilt.Where(f => k[f] is not null))
        {
            findings.Add(new Finding(file, $"uses {field}, which is not built here: what it makes or changes is not seen", false));
        }
        // Validators change no object, so what is built here stays right; but they are plugins (Kustomize runs none
        // unless asked to, and refuses the build), and what they would refuse is not refused here.
        if (k["validators"] is not null)
        {
            findings.Add(new Finding(file, "uses validators, which are not run here: what they would refuse is not refused", false));
        }
        Patch(dir, file, k, legacy6902: false, objects, before, findings, origins);
        if (k["namespace"]?.ToString() is { Length: > 0 } ns)
        {
            foreach (var o in objects)
            {
                var kind = o["kind"]?.ToString() ?? "";
                if (kind == "Namespace") Metadata(o)["name"] = ns;
                else if (!ClusterScoped.Contains(kind)) Metadata(o)["namespace"] = ns;
            }
        }
        foreach (var o in objects) origins.Remember(o);
        var (prefix, suffix) = (k["namePrefix"]?.ToString() ?? "", k["nameSuffix"]?.ToString() ?? "");
        if (prefix.Length + suffix.Length > 0)
        {
            // Not the kinds whose names Kubernetes fixes (a CRD's and an APIService's name their group), nor Namespaces.
            var renamed = objects.Where(o => o["kind"]?.ToString() is not ("Namespace" or "CustomResourceDefinition" or "APIService")).ToList();
            foreach (var o in renamed) Metadata(o)["name"] = prefix + Name(o);
            // Kustomize's prefix and suffix are two transformers: the name with the prefix alone is one the object had.
            if (prefix.Length > 0 && suffix.Length > 0) foreach (var o in renamed) origins.Remember(o);
            foreach (var o in renamed) Metadata(o)["name"] = Name(o) + suffix;
        }
        NameReferences.Follow(objects, before);
        Label(k, objects);
        Patch(dir, file, k, legacy6902: true, objects, before, findings, origins);
        Replicas(file, k, objects, before, origins, findings);
        Images(k, objects);
        // Last of its transformers, as Kustomize runs them: a value copied is the value the others left.
        Replacements.Apply(dir, file, k, objects, origins, findings);
        Vars.Declare(file, k, objects, origins, vars, findings);
        building.Remove(dir);
        return objects;
    }

    private static readonly string[] SelectingKinds = ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"];

    /// <summary>`replicas:` entries: the replica count of the Deployments, ReplicaSets, ReplicationControllers and
    /// StatefulSets known by that name at any step (as written, as this kustomization received it, as it leaves it).</summary>
    private static void Replicas(string file, JsonObject k, List<JsonObject> objects, IReadOnlyList<NameReferences.Identity> before,
        Origins origins, List<Finding> findings)
    {
        var counts = (k["replicas"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(r => r["name"] is not null && r["count"] is JsonValue).Select(r => (Name: r["name"]!.ToString(), Count: r["count"]!.DeepClone())).ToList();
        var counted = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < objects.Count; i++)
        {
            var o = objects[i];
            if (o["kind"]?.ToString() is not ("Deployment" or "ReplicaSet" or "ReplicationController" or "StatefulSet")) continue;
            string[] names = [Name(o), before[i].Name, origins.First(o)];
            foreach (var (name, count) in counts.Where(c => names.Contains(c.Name)))
            {
                if (Object(o, "spec") is { } spec) spec["replicas"] = count.DeepClone();
                counted.Add(name);
            }
        }
        foreach (var (name, _) in counts.Where(c => !counted.Contains(c.Name)))
        {
            findings.Add(new Finding(file, $"has a replica count for {name}, which names no Deployment, StatefulSet, ReplicaSet or ReplicationController (Kustomize refuses it)", true));
        }
    }

    /// <summary>commonLabels, labels and commonAnnotations, where Kustomize writes them: every object's own; selectors
    /// (commonLabels, and `labels` with includeSelectors); pod templates (those, and `labels` with includeTemplates).</summary>
    private static void Label(JsonObject k, List<JsonObject> objects)
    {
        static IEnumerable<KeyValuePair<string, string>> Pairs(JsonNode? map) =>
            (map as JsonObject ?? []).Select(p => KeyValuePair.Create(p.Key, p.Value?.ToString() ?? ""));
        var entries = (k["labels"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        bool Flag(JsonObject entry, string name) => entry[name]?.ToString() == "true";
        var common = Pairs(k["commonLabels"]).ToList();
        var everywhere = common.Concat(entries.SelectMany(e => Pairs(e["pairs"]))).ToList();
        var selectors = common.Concat(entries.Where(e => Flag(e, "includeSelectors")).SelectMany(e => Pairs(e["pairs"]))).ToList();
        var templates = selectors.Concat(entries.Where(e => Flag(e, "includeTemplates")).SelectMany(e => Pairs(e["pairs"]))).ToList();
        var annotations = Pairs(k["commonAnnotations"]).ToList();
        if (everywhere.Count + annotations.Count == 0) return;
        foreach (var o in objects)
        {
            var kind = o["kind"]?.ToString() ?? "";
            Add(o, everywhere, "metadata", "labels");
            Add(o, annotations, "metadata", "annotations");
            // Selectors: a Service's (made if missing, as Kustomize does), a workload's; where present, a Job's, a
            // PodDisruptionBudget's and a NetworkPolicy's pod selectors (its own and its peers').
            if (kind == "Service") Add(o, selectors, "spec", "selector");
            if (SelectingKinds.Contains(kind)) Add(o, selectors, "spec", "selector", "matchLabels");
            if (kind is "Job" or "PodDisruptionBudget" && o["spec"].Field("selector") is JsonObject present) Add(present, selectors, "matchLabels");
            if (kind == "NetworkPolicy")
            {
                var peers = new[] { ("ingress", "from"), ("egress", "to") }
                    .SelectMany(d => (o["spec"]?[d.Item1] as JsonArray ?? []).OfType<JsonObject>().SelectMany(rule => (rule[d.Item2] as JsonArray ?? []).OfType<JsonObject>()));
                foreach (var podSelector in new[] { o["spec"] as JsonObject }.Concat(peers).Select(x => x.Field("podSelector")).OfType<JsonObject>())
                {
                    Add(podSelector, selectors, "matchLabels");
                }
            }
            // The pod templates: a CronJob's job template too; a StatefulSet's volume claim templates take the labels.
            string[][] podTemplates = kind == "CronJob" ? [["spec", "jobTemplate"], ["spec", "jobTemplate", "spec", "template"]]
                : SelectingKinds.Contains(kind) || kind == "Job" ? [["spec", "template"]] : [];
            foreach (var template in podTemplates)
            {
                Add(o, templates, [.. template, "metadata", "labels"]);
                Add(o, annotations, [.. template, "metadata", "annotations"]);
            }
            foreach (var claim in (kind == "StatefulSet" ? o["spec"].Field("volumeClaimTemplates") as JsonArray ?? [] : []).OfType<JsonObject>())
            {
                Add(claim, templates, "metadata", "labels");
            }
        }
    }

    /// <summary>images: a container image of a pod template named as an entry gets its new name, tag or digest (a digest
    /// replaces the tag).</summary>
    private static void Images(JsonObject k, List<JsonObject> objects)
    {
        var images = ImageEntries(k).ToList();
        if (images.Count == 0) return;
        // Kustomize's (legacy) image filter: every list named containers or initContainers, at any depth of any object
        // (a bare Pod's, a custom resource's pod template).
        static IEnumerable<JsonObject> Containers(JsonNode? node) => node switch
        {
            JsonObject map => map.SelectMany(field => field.Key is "containers" or "initContainers" && field.Value is JsonArray list
                ? list.OfType<JsonObject>()
                : Containers(field.Value)),
            JsonArray list => list.SelectMany(Containers),
            _ => [],
        };
        var containers = objects.SelectMany(Containers).ToList();
        // One image transformer an entry, in order, as Kustomize runs them: an entry sees what those before it left (an
        // image renamed `web` is `web` to the next entry, and a second entry for the same image changes it again).
        foreach (var entry in images)
        {
            foreach (var container in containers)
            {
                if (container["image"]?.ToString() is not { } image) continue;
                // name[:tag][@digest]: the tag's colon is the last one after the last slash (a registry may have a port).
                var at = image.IndexOf('@');
                var (reference, digest) = at < 0 ? (image, null) : (image[..at], image[(at + 1)..]);
                var colon = reference.LastIndexOf(':');
                var (name, tag) = colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..]) : (reference, null);
                if (entry["name"]?.ToString() != name) continue;
                name = entry["newName"]?.ToString() ?? name;
                if (entry["digest"]?.ToString() is { } newDigest) (tag, digest) = (null, newDigest);
                else if (entry["newTag"]?.ToString() is { } newTag) (tag, digest) = (newTag, null);
                container["image"] = name + (tag is null ? "" : ":" + tag) + (digest is null ? "" : "@" + digest);
            }
        }
    }

    /// <summary>The entries of images and then of imageTags (its old name, which Kustomize still reads after them).</summary>
    private static IEnumerable<JsonObject> ImageEntries(JsonObject k) =>
        (k["images"] as JsonArray ?? []).Concat(k["imageTags"] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>Sets the pairs in the map at a path below <paramref name="o"/>, made if missing (and only when there are pairs).</summary>
    private static void Add(JsonObject o, IReadOnlyCollection<KeyValuePair<string, string>> pairs, params string[] path)
    {
        if (pairs.Count == 0) return;
        if (Object(o, path) is not { } map) return;
        foreach (var (key, value) in pairs) map[key] = value;
    }

    /// <summary>The object at a path below <paramref name="o"/>, each step made if missing; null where a step holds something
    /// else (text where a mapping belongs: left as written, for the API server to refuse).</summary>
    private static JsonObject? Object(JsonObject o, params string[] path)
    {
        foreach (var step in path)
        {
            if (o[step] is { } present && present is not JsonObject) return null;
            o = o[step] as JsonObject ?? (JsonObject)(o[step] = new JsonObject());
        }
        return o;
    }

    /// <summary>patchesStrategicMerge and patches, or (<paramref name="legacy6902"/>) patchesJson6902: each applied to the
    /// objects it targets. An object a patch deletes leaves <paramref name="objects"/> and, index for index,
    /// <paramref name="before"/>.</summary>
    private static void Patch(string dir, string file, JsonObject k, bool legacy6902, List<JsonObject> objects, List<NameReferences.Identity> before,
        List<Finding> findings, Origins origins)
    {
        // Kustomize's order: patchesStrategicMerge, then patches (before the namespace, names and labels), and
        // patchesJson6902 after the labels and annotations (so an operation may add to a map they made).
        var entries = legacy6902
            ? (k["patchesJson6902"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(p => (Target: p["target"] as JsonObject, Path: p["path"]?.ToString(), Inline: p["patch"]?.ToString(), Options: default(SmOptions)))
            : Strings(k["patchesStrategicMerge"]).Select(p => ((JsonObject?)null, p.Contains('\n') ? null : p, p.Contains('\n') ? p : null, default(SmOptions)))
                .Concat((k["patches"] as JsonArray ?? []).OfType<JsonObject>()
                    .Select(p => (p["target"] as JsonObject, p["path"]?.ToString(), p["patch"]?.ToString(), SmOptions.Of(p["options"]))));
        foreach (var (target, path, inline, options) in entries)
        {
            var there = path is not null && File.Exists(Path.Combine(dir, path));
            var text = inline ?? (there ? ReadText(Path.Combine(dir, path!), findings) : null);
            if (text is null)
            {
                if (!there) findings.Add(new Finding(file, $"names the patch {path}, which is not there", true));
                continue;
            }
            // How a finding names the patch: by its file, or as written in the kustomization.
            var patch = path is null ? "an inline patch" : $"a patch {path}";
            if (legacy6902 && target?["name"] is null)
            {
                findings.Add(new Finding(file, $"has {patch} under patchesJson6902 without a target name (Kustomize refuses it there)", true));
                continue;
            }
            string? wrongTarget = null;
            var targets = target is null ? null : PatchTarget.Parse(target, out wrongTarget);
            if (wrongTarget is not null)
            {
                findings.Add(new Finding(file, $"has {patch} that targets nothing Kustomize could build: {wrongTarget}", true));
                continue;
            }
            // A list of operations (RFC 6902, in JSON or YAML), or strategic merge patches: objects, one a document.
            var unreadable = findings.Count;
            var parsed = Parse(text, path ?? file, findings);
            if (findings.Count > unreadable) continue;
            if (parsed is JsonValue)
            {
                findings.Add(new Finding(file, $"has {patch} that is neither RFC 6902 operations nor a strategic merge patch", true));
                continue;
            }
            if (parsed is JsonArray operations)
            {
                if (targets is null) findings.Add(new Finding(file, $"has {patch} of RFC 6902 operations without a target", true));
                else if (Operations(operations, patch, file, findings) is { } document)
                {
                    _ = PatchEach(objects, before, o => targets.Matches(o, Names(o), origins.Namespaces(o)), o => Operated(document, o, patch, file, findings));
                }
                continue;
            }
            var merges = Read(text, path ?? file, findings);
            if (targets is not null && merges.Count > 1)
            {
                findings.Add(new Finding(file, $"has {patch} of {merges.Count} strategic merges with a target (Kustomize refuses a target for several)", true));
                continue;
            }
            // A strategic merge patch without a target patches the one object it names, as Kustomize finds it: by its group,
            // version and kind, and a name with a namespace it had at some step of the build (no namespace being `default`).
            foreach (var named in merges)
            {
                var kind = named["kind"]?.ToString();
                var version = ApiVersion.Split(named["apiVersion"]?.ToString() ?? "");
                var ns = named["metadata"].Field("namespace")?.ToString();
                bool Named(JsonObject o) => ApiVersion.IsKind(o, version, kind)
                    && origins.Had(o, Name(named), ClusterScoped.Contains(kind ?? "") ? null : ns ?? "");
                var count = targets is null ? objects.Count(Named) : 1;
                if (count != 1)
                {
                    findings.Add(new Finding(file, $"has {patch} of the {kind} {Name(named)}" + (count == 0
                        ? $"{(ns is null ? "" : $" in {ns}")}, which no resource makes (Kustomize refuses it)"
                        : $", which names {count} objects (Kustomize refuses it: no unique target)"), true));
                    continue;
                }
                PatchEach(objects, before, o => targets?.Matches(o, Names(o), origins.Namespaces(o)) ?? Named(o),
                    o => named["$patch"]?.ToString() == "delete" ? null : Merged(o, targets is null ? named : For(named, o), options));
            }
        }

        IReadOnlyCollection<string> Names(JsonObject o) => origins.Names(o);
    }

    /// <summary>Each object <paramref name="hit"/> takes, patched (in place: <see cref="Become"/>); one patched to nothing
    /// (`$patch: delete`) leaves <paramref name="objects"/> and, index for index, <paramref name="before"/>. Returns how
    /// many objects the patch hit.</summary>
    private static int PatchEach(List<JsonObject> objects, List<NameReferences.Identity> before, Func<JsonObject, bool> hit, Func<JsonObject, JsonObject?> patch)
    {
        var hits = 0;
        for (var i = 0; i < objects.Count; i++)
        {
            var o = objects[i];
            if (!hit(o)) continue;
            hits++;
            if (patch(o) is not { } patched)
            {
                objects.RemoveAt(i);
                before.RemoveAt(i--);
                continue;
            }
            Become(o, patched);
        }
        return hits;
    }

    /// <summary>An object takes the content of what it was made into (patched, merged), staying the same object: what
    /// remembers it (its first name, a var naming it) still does.</summary>
    internal static void Become(JsonObject o, JsonObject content)
    {
        if (ReferenceEquals(o, content)) return;
        var fields = content.ToList();
        content.Clear();
        o.Clear();
        foreach (var (key, value) in fields) o[key] = value;
    }

    /// <summary>RFC 6902 operations as the patch engine takes them; null, with an error, where they are not operations.</summary>
    private static Microsoft.AspNetCore.JsonPatch.SystemTextJson.JsonPatchDocument? Operations(JsonArray operations, string patch, string file, List<Finding> findings)
    {
        try
        {
            return JsonPatches.Parse(operations.ToJsonString());
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            findings.Add(new Finding(file, $"has {patch} that is no list of RFC 6902 operations: {e.Message}", true));
            return null;
        }
    }

    /// <summary>The object with the operations applied; where one does not apply (a path that is not there), Kustomize
    /// refuses the build: an error, and the object left as it was.</summary>
    private static JsonObject Operated(Microsoft.AspNetCore.JsonPatch.SystemTextJson.JsonPatchDocument document, JsonObject o, string patch, string file,
        List<Finding> findings)
    {
        var patched = (JsonObject)o.DeepClone();
        try
        {
            document.ApplyTo(patched);
            return patched;
        }
        catch (Microsoft.AspNetCore.JsonPatch.SystemTextJson.Exceptions.JsonPatchException e)
        {
            findings.Add(new Finding(file, $"has {patch} whose operations do not apply to the {o["kind"]} {Name(o)}: {e.Message}", true));
            return o;
        }
    }

    /// <summary>A strategic merge patch's options: may it rename the object, or change its kind (Kustomize's allowNameChange
    /// and allowKindChange)?</summary>
    private readonly record struct SmOptions(bool AllowNameChange, bool AllowKindChange)
    {
        public static SmOptions Of(JsonNode? options) =>
            new(options.Field("allowNameChange")?.ToString() == "true", options.Field("allowKindChange")?.ToString() == "true");
    }

    /// <summary>A strategic merge patch given a target, as Kustomize applies it to each object targeted: under that object's
    /// apiVersion, with the patch's own kind and name (which stand only where the options allow them).</summary>
    private static JsonObject For(JsonObject patch, JsonObject target)
    {
        var copy = (JsonObject)patch.DeepClone();
        copy["apiVersion"] = target["apiVersion"]?.DeepClone();
        return copy;
    }

    /// <summary>The object merged with the patch, then given back its kind, name and namespace as Kustomize gives them
    /// back: the patch's name and namespace only found the object ("name: not-important" is what many write with a target).</summary>
    private static JsonObject Merged(JsonObject o, JsonObject patch, SmOptions options)
    {
        var merged = StrategicMerge.Apply(o, patch);
        if (!options.AllowKindChange) merged["kind"] = o["kind"]?.DeepClone();
        var metadata = Metadata(merged);
        if (!options.AllowNameChange) metadata["name"] = o["metadata"].Field("name")?.DeepClone();
        if (o["metadata"].Field("namespace") is { } ns) metadata["namespace"] = ns.DeepClone();
        else metadata.Remove("namespace");
        return merged;
    }

    /// <summary>A patch applied: RFC 6902 operations (as JSON text), or a strategic merge.</summary>
    public static JsonObject Apply(JsonObject target, string? operations, JsonObject? merge)
    {
        if (operations is not null)
        {
            var clone = (JsonObject)target.DeepClone();
            JsonPatches.Parse(operations).ApplyTo(clone);
            return clone;
        }
        return StrategicMerge.Apply(target, merge!);
    }

    /// <summary>A YAML document read as Kustomize reads it; null, with an error finding, where it is no YAML.</summary>
    internal static JsonNode? Parse(string text, string file, List<Finding> findings)
    {
        try
        {
            return GoYaml.ReadAsKustomize(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            findings.Add(new Finding(file, e.Message, true));
            return null;
        }
    }

    /// <summary>The kustomization file as Kustomize reads it (sigs.k8s.io/yaml): YAML 1.1 scalars, so `yes` is a boolean
    /// there; a key written twice takes its last value. A field that holds another kind of value than its Go type (a
    /// boolean or a number where text is wanted) is refused, as Go's decoding refuses it, with the field named.</summary>
    private static JsonObject ReadKustomization(string file, List<Finding> findings)
    {
        JsonNode? read;
        if (ReadText(file, findings) is not { } text) return [];
        try
        {
            read = GoYaml.ReadLastKeyWins(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            findings.Add(new Finding(file, e.Message, true));
            return [];
        }
        if (read is not JsonObject k) return [];
        foreach (var field in k.Select(f => f.Key).Where(f => !Fields.Contains(f)))
        {
            var like = Diagnostics.DidYouMean.Suggest(field, Fields);
            findings.Add(new Finding(file, $"is not a kustomization Kustomize reads: it has no field {field}" + (like is null ? "" : $" (did you mean {like}?)"), true));
        }
        foreach (var (field, got, type) in Mistyped(k))
        {
            findings.Add(new Finding(file, $"is not a kustomization Kustomize reads: {field} holds {got} where it wants {type}"
                + (type == "text" ? " (quote it: unquoted, YAML 1.1 reads it otherwise)" : ""), true));
        }
        return k;
    }

    /// <summary>The fields of the commonest kinds Go's decoding would refuse: text fields holding a boolean or a number, counts
    /// holding text. (Null is no value there: Go leaves the field empty.)</summary>
    private static IEnumerable<(string Field, string Got, string Type)> Mistyped(JsonObject k)
    {
        static string? Got(JsonNode? value, bool count) => value?.GetValueKind() switch
        {
            null or System.Text.Json.JsonValueKind.Null => null,
            System.Text.Json.JsonValueKind.String => count ? "text" : null,
            System.Text.Json.JsonValueKind.Number => count && value.AsValue().TryGetValue<long>(out _) ? null : "a number",
            System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "a boolean",
            System.Text.Json.JsonValueKind.Array => "a list",
            _ => "a mapping",
        };
        IEnumerable<(string, JsonNode?, bool)> Fields()
        {
            foreach (var field in new[] { "namespace", "namePrefix", "nameSuffix" }) yield return (field, k[field], false);
            foreach (var field in new[] { "commonLabels", "commonAnnotations" })
            {
                foreach (var (key, value) in k[field] as JsonObject ?? []) yield return ($"{field}.{key}", value, false);
            }
            foreach (var (label, i) in (k["labels"] as JsonArray ?? []).Select((l, i) => (l as JsonObject, i)))
            {
                foreach (var (key, value) in label?["pairs"] as JsonObject ?? []) yield return ($"labels[{i}].pairs.{key}", value, false);
            }
            foreach (var list in new[] { "images", "imageTags" })
            {
                foreach (var (image, i) in (k[list] as JsonArray ?? []).Select((m, i) => (m as JsonObject, i)))
                {
                    foreach (var field in new[] { "name", "newName", "newTag", "digest" }) yield return ($"{list}[{i}].{field}", image?[field], false);
                }
            }
            foreach (var (replica, i) in (k["replicas"] as JsonArray ?? []).Select((r, i) => (r as JsonObject, i)))
            {
                yield return ($"replicas[{i}].name", replica?["name"], false);
                yield return ($"replicas[{i}].count", replica?["count"], true);
            }
        }
        foreach (var (field, value, count) in Fields())
        {
            if (Got(value, count) is { } got) yield return (field, got, count ? "a whole number" : "text");
        }
    }

    /// <summary>A list of texts (resources, literals, files), the empty ones left out.</summary>
    internal static IEnumerable<string> Strings(JsonNode? list) => (list as JsonArray ?? []).Select(e => e?.ToString() ?? "").Where(e => e.Length > 0);

    private static JsonObject Metadata(JsonObject o) => o["metadata"] as JsonObject ?? (JsonObject)(o["metadata"] = new JsonObject());

    internal static string Name(JsonObject o) => o["metadata"].Field("name")?.ToString() ?? "";

    private static List<JsonObject> Read(string path, List<Finding> findings) => ReadText(path, findings) is { } text ? Read(text, path, findings) : [];

    /// <summary>A file of the base, whole; null, with an error finding, where it cannot be read (its permissions, a link
    /// that loops, a device without end).</summary>
    internal static string? ReadText(string path, List<Finding> findings) => Guarded(path, findings, TextFile.Read);

    /// <inheritdoc cref="ReadText"/>
    internal static byte[]? ReadBytes(string path, List<Finding> findings) => Guarded(path, findings, TextFile.ReadBytes);

    private static T? Guarded<T>(string path, List<Finding> findings, Func<string, T> read) where T : class
    {
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            findings.Add(new Finding(path, e.Message, true));
            return null;
        }
    }

    /// <summary>An object, or the items of a list (any kind named …List that has items, as `kubectl get -o yaml` writes
    /// them), each in turn: Kustomize takes a list's items as resources of their own.</summary>
    private static IEnumerable<JsonObject> Items(JsonObject o) =>
        o["kind"]?.ToString() is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && o["items"] is JsonArray items
            ? items.OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone()).SelectMany(Items)
            : [o];

    /// <summary>A resource file's objects. One with text where Kubernetes wants a mapping (`spec: hello`) is an error, as
    /// the API server (and, for most, Kustomize) refuses it; it is still read, as it is.</summary>
    private static List<JsonObject> Resources(string path, List<Finding> findings)
    {
        var objects = Read(path, findings).Where(o => o["kind"] is not null).ToList();
        foreach (var o in objects)
        {
            foreach (var field in NotMappings(o))
            {
                findings.Add(new Finding(path, $"has the {o["kind"]} {Name(o)} with text where Kubernetes wants a mapping: {field} (the API server refuses it)", true));
            }
        }
        return objects;
    }

    /// <summary>The first field of each path the bundle reads (metadata, a workload's pod template, a binding's role) that
    /// holds something other than a mapping (a path is walked step by step, so `spec: hello` is named as spec).</summary>
    private static IEnumerable<string> NotMappings(JsonObject o)
    {
        var kind = o["kind"]?.ToString();
        var template = string.Join('/', Workloads.PodTemplatePath(kind));
        IEnumerable<string> paths = ["metadata/labels", "metadata/annotations"];
        paths = kind switch
        {
            "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" or "Rollout" => paths.Concat([$"{template}/metadata", $"{template}/spec", "spec/selector"]),
            "CronJob" => paths.Concat([$"{template}/metadata", $"{template}/spec"]),
            "Pod" => paths.Append("spec"),
            "Service" => paths.Append("spec/selector"),
            "RoleBinding" or "ClusterRoleBinding" => paths.Append("roleRef"),
            _ => paths,
        };
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            JsonNode? node = o;
            var walked = "";
            foreach (var step in path.Split('/'))
            {
                walked = walked.Length == 0 ? step : $"{walked}/{step}";
                node = node.Field(step);
                if (node is null) break;
                if (node is JsonObject) continue;
                if (reported.Add(walked)) yield return walked.Replace('/', '.');
                break;
            }
        }
    }

    private static List<JsonObject> Read(string text, string file, List<Finding> findings)
    {
        try
        {
            return ManifestReader.ReadAsKustomize(text).SelectMany(Items).ToList();
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            findings.Add(new Finding(file, e.Message, true));
            return [];
        }
    }
}
