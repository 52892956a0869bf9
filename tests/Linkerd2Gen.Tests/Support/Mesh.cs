using System.Text;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Pipeline;

namespace Linkerd2Gen.Tests.Support;

/// <summary>Compiles mesh text held in memory, as a file named mesh.yaml.</summary>
public static class Mesh
{
    public const string Header = "apiVersion: linkerd2gen.io/v1alpha1\nkind: Mesh\nmetadata:\n  name: test\n";

    public static CompileResult Compile(string text, string file = "mesh.yaml") =>
        Compiler.Compile([file], texts: new Dictionary<string, string> { [file] = text });

    /// <summary>The fleet of the whole-process benchmark: namespaces of 100 services, each with a route, every fourth
    /// exported, a target cluster; with <paramref name="calls"/>, each service also calls two of its namespace and its
    /// namesake in the next namespace, under zero trust.</summary>
    public static string Fleet(int services, bool calls = false)
    {
        var text = new StringBuilder(Header + (calls ? "policy:\n  mode: calls\n" : "") + "namespaces:\n");
        for (var n = 0; n < services / 100; n++)
        {
            text.Append($"  - name: ns{n}\n    services:\n");
            for (var s = 0; s < 100; s++)
            {
                text.Append($"      - name: svc{s}\n        image: ghcr.io/example/svc:{s}\n        ports: [{{name: http, containerPort: 8080, servicePort: 80}}]\n");
                text.Append($"        routes: [{{prefix: /ns{n}/svc{s}/}}]\n");
                if (s % 4 == 0) text.Append("        export: true\n");
                if (calls) text.Append($"        calls: [svc{(s + 1) % 100}, svc{(s + 7) % 100}, ns{(n + 1) % (services / 100)}/svc{s}]\n");
            }
        }
        return text.Append("multicluster:\n  role: target\n").ToString();
    }

    public static IReadOnlyList<Diagnostic> Diagnostics(string text) => Compile(text).Diagnostics;

    /// <summary>The single diagnostic with <paramref name="code"/>; fails listing all findings otherwise.</summary>
    public static Diagnostic Single(string text, string code)
    {
        var all = Diagnostics(text);
        var matching = all.Where(d => d.Code == code).ToList();
        Assert.True(matching.Count == 1, $"expected one {code}, got:\n{string.Join("\n", all)}");
        return matching[0];
    }
}
