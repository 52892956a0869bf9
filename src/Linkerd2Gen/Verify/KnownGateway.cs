using System.Text.Json.Nodes;
using Linkerd2Gen.Model;

namespace Linkerd2Gen.Verify;

/// <summary>
/// The installed gateway as the mesh file describes it, in the shape of the flavor's official manifest
/// (emissary-emissaryns.yaml, aes.yaml): the base every gateway patch is verified against when no
/// gateway.base is given. Only the fields the patches touch or test are modelled.
/// </summary>
public static class KnownGateway
{
    public static IReadOnlyList<JsonObject> Objects(ResolvedGateway gateway) =>
    [
        new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = gateway.Name, ["namespace"] = gateway.Namespace },
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    // The official manifests annotate the pod template (sidecar.istio.io/inject: "false").
                    ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["sidecar.istio.io/inject"] = "false" } },
                },
            },
        },
        new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = gateway.Name, ["namespace"] = gateway.Namespace, ["annotations"] = new JsonObject() },
            ["spec"] = new JsonObject
            {
                ["ports"] = new JsonArray(gateway.Ports.Select(p => (JsonNode)new JsonObject
                {
                    ["name"] = p.Name, ["port"] = p.Port, ["targetPort"] = p.TargetPort,
                }).ToArray()),
            },
        },
        new JsonObject
        {
            ["apiVersion"] = "getambassador.io/v3alpha1",
            ["kind"] = "Module",
            ["metadata"] = new JsonObject { ["name"] = "ambassador", ["namespace"] = gateway.Namespace },
            ["spec"] = new JsonObject { ["config"] = new JsonObject { ["diagnostics"] = new JsonObject { ["enabled"] = false } } },
        },
    ];
}
