using System.Text.Json.Nodes;
using Linkerd2Gen.Inject;

namespace Linkerd2Gen.Load;

/// <summary>Reads Kubernetes manifests (multi-document YAML) into JSON objects, as kubectl reads them (go-yaml v2).</summary>
public static class ManifestReader
{
    public static List<JsonObject> Read(string text) =>
        Injector.SplitDocuments(text.Replace("\r\n", "\n")).Select(GoYaml.Read).OfType<JsonObject>().ToList();
}
