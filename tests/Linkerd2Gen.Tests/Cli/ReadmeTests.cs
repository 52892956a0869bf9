using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Cli;

/// <summary>The README's reference mesh file validates as copied: every field it shows is real and well formed.</summary>
public class ReadmeTests
{
    [Fact]
    public void The_reference_mesh_file_renders_without_a_finding()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var start = readme.IndexOf("```yaml\n# yaml-language-server", StringComparison.Ordinal);
        Assert.True(start >= 0, "the README lost its reference mesh file");
        var yaml = readme[(start + "```yaml\n".Length)..readme.IndexOf("```", start + 7, StringComparison.Ordinal)];
        // Its remote names cluster east: render east too, exporting what west routes to, as a user would.
        const string east = "apiVersion: linkerd2gen.io/v1alpha1\nkind: Mesh\nmetadata:\n  name: east\nnamespaces:\n  - name: default\n"
            + "    services:\n      - {name: qotm-linkerd2, image: i, ports: [{containerPort: 5000, servicePort: 80}], export: remote-discovery}\n"
            + "multicluster:\n  role: target\n";
        var result = Compiler.Compile(["west.yaml", "east.yaml"], texts: new Dictionary<string, string> { ["west.yaml"] = yaml, ["east.yaml"] = east });
        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
        Assert.Equal(2, result.Bundles.Count);
    }
}
