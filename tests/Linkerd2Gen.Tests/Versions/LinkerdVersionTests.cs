using System.Text.Json.Nodes;
using Linkerd2Gen.Linkerd;
using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Versions;

/// <summary>Linkerd 2.8 … 2.20 from one table: the schema, the defaults and every version difference that reaches a bundle.
/// (The per-version proxy keys and refusals are baselines: tests/baselines/proxy-keys-*, bad-*-version*, bad-init-image-on-2.20 …)</summary>
public class LinkerdVersionTests
{
    [Fact]
    public void The_schema_accepts_exactly_the_versions_of_the_table()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "schemas", "mesh.schema.json")))!;
        var versions = schema["properties"]!["linkerd"]!["properties"]!["version"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>());
        Assert.Equal(LinkerdReleases.All.Select(r => r.Version.ToString()), versions);
    }

    [Fact]
    public void The_default_version_is_the_newest_supported()
    {
        Assert.Equal("2.20", LinkerdReleases.Latest.ToString());
        var bundle = Mesh.Compile(Mesh.Header).Bundles.Single();
        Assert.Contains("- the Linkerd 2.20 control plane runs", bundle.Files["APPLY.md"]);
    }

    [Theory]
    [InlineData("2.12", "v1beta1")]
    [InlineData("2.14", "v1beta1")]
    [InlineData("2.15", "v1beta2")]
    [InlineData("2.16", "v1beta3")]
    [InlineData("2.20", "v1beta3")]
    public void Policy_server_api_versions_follow_linkerds_crds(string version, string server) =>
        Assert.Equal(server, LinkerdReleases.Find(version)!.ServerApiVersion);

    public static TheoryData<string, string> ExamplesAndVersions()
    {
        var data = new TheoryData<string, string>();
        foreach (var example in new[] { "qotm", "multicluster" })
        {
            foreach (var version in new[] { "2.18", "2.19", "2.20" }) data.Add(example, version);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ExamplesAndVersions))]
    public void The_examples_render_for_each_current_version(string example, string version)
    {
        var files = Directory.GetFiles(Repo.Example(example), "*.yaml").Order(StringComparer.Ordinal).ToList();
        var texts = files.ToDictionary(f => f, f => File.ReadAllText(f).Replace("version: \"2.20\"", $"version: \"{version}\""));
        Assert.All(texts.Values, t => Assert.Contains($"version: \"{version}\"", t));
        var result = Compiler.Compile(files, texts: texts);
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        var kubernetes = version == "2.20" ? "1.31" : "1.23";
        foreach (var bundle in result.Bundles)
        {
            Assert.Contains($"- the cluster runs Kubernetes {kubernetes} or later, as Linkerd {version} requires;", bundle.Files["APPLY.md"]);
            Assert.Contains($"- the Linkerd {version} control plane", bundle.Files["APPLY.md"]);
        }
        if (example == "multicluster")
        {
            var west = result.Bundles.Single(b => b.Cluster == "west").Files["APPLY.md"];
            Assert.Contains("linkerd --context=east multicluster link-gen --cluster-name=east", west);
        }
    }
}
