using System.Text.Json;
using Linkerd2Gen.Render;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Tests.Rendering;

/// <summary>The one quoting filter: every string reads back as the same string, under YAML 1.2 and 1.1 readers alike.</summary>
public class QuotingTests
{
    // Plain scalars that go-yaml v2 (YAML 1.1, used by kubectl) would read as something else than a string.
    private static readonly HashSet<string> Yaml11NonStrings = ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "true", "false", "null", "~"];

    [Theory]
    [InlineData("1e999")]
    [InlineData("-1E+400")]
    [InlineData("+1e999")]
    public void Regression_a_number_too_large_for_a_float64_is_text_to_go_yaml_and_is_quoted(string value)
    {
        // Go's ParseFloat fails with ErrRange there, so go-yaml v2 keeps the text; YAML 1.2 reads an infinity. (Found by
        // the PyYAML oracle's generated strings: it was an internal error.)
        Assert.Equal(JsonValueKind.String, GoYaml.Resolve(value)!.GetValueKind());
        Assert.Equal(value, GoYaml.Resolve(value)!.GetValue<string>());
        Assert.Equal(YamlScalar.DoubleQuoted(value), YamlScalar.Quote(value));
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("no")]
    [InlineData("on")]
    [InlineData("y")]
    [InlineData("0x10")]
    [InlineData("0o17")]
    [InlineData("017")]
    [InlineData("1e3")]
    [InlineData("1_000")]
    [InlineData(".5")]
    [InlineData("190:20:30")]
    [InlineData("0.1")]
    [InlineData("8080")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData(": ")]
    [InlineData("a: b")]
    [InlineData("#comment")]
    [InlineData("value # not a comment")]
    [InlineData("line1\nline2")]
    [InlineData("tab\there")]
    [InlineData("*")]
    [InlineData("&anchor")]
    [InlineData("- item")]
    [InlineData("{flow}")]
    [InlineData("[flow]")]
    [InlineData("'single'")]
    [InlineData("\"double\"")]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    [InlineData("ünïcode ✓")]
    [InlineData("80,443")]
    [InlineData("/qotm-linkerd2/")]
    [InlineData("docker.io/datawire/qotm:1.7")]
    public void A_string_round_trips_as_the_same_string(string value)
    {
        var scalar = YamlScalar.Format(value);
        var parsed = Parse(scalar);
        Assert.Equal(value, parsed.Value);
        if (parsed.Style == ScalarStyle.Plain)
        {
            Assert.DoesNotContain(value, Yaml11NonStrings);
            var core = Yaml12.Resolve(new YScalar(default, value, true, null));
            Assert.Equal(System.Text.Json.JsonValueKind.String, core!.GetValueKind());
        }
    }

    [Theory]
    [InlineData("enabled", "enabled")]
    [InlineData("100Mi", "100Mi")]
    [InlineData("80,443", "80,443")]
    [InlineData("0.1", "\"0.1\"")]
    [InlineData("*", "'*'")]
    [InlineData("2024-01-02", "\"2024-01-02\"")] // a YAML 1.1 timestamp: YamlDotNet left it plain
    [InlineData("<<", "\"<<\"")] // the YAML 1.1 merge key
    [InlineData("=", "\"=\"")] // the YAML 1.1 value key, which PyYAML refuses
    [InlineData("", "\"\"")]
    public void Plain_where_safe_quoted_where_needed(string value, string expected) =>
        Assert.Equal(expected, YamlScalar.Format(value));

    [Fact]
    public void The_fast_path_writes_what_the_emitter_would()
    {
        // Every string of up to five characters over an alphabet of the fast path's characters and its traps (colons,
        // a YAML 1.1 sexagesimal's digits, a space, a '#'), and some whole values: each decided with and without it.
        const string alphabet = "a1:./-0 #";
        var strings = new List<string> { "svc0.ns0:80", "ghcr.io/example/svc:0", "http://svc.ns:8080/", "1:30", "190:20:30", "-1:30", "0:59", "a:", "/", "/api/v1/", "/a:b" };
        void Grow(string prefix)
        {
            if (prefix.Length > 0) strings.Add(prefix);
            if (prefix.Length < 5) foreach (var c in alphabet) Grow(prefix + c);
        }
        Grow("");
        var fast = 0;
        foreach (var s in strings)
        {
            var decided = YamlScalar.Decide(s);
            Assert.True(YamlScalar.Decide(s, fastPath: false) == decided, $"'{s}': the fast path gives {decided}, the emitter {YamlScalar.Decide(s, fastPath: false)}");
            if (decided == s) fast++;
        }
        Assert.True(fast > 1_000, $"only {fast} strings came out plain: the corpus does not exercise the fast path");
    }

    [Fact]
    public void Numbers_and_booleans_stay_typed()
    {
        Assert.Equal("5000", YamlScalar.Format(5000));
        Assert.Equal("true", YamlScalar.Format(true));
        Assert.Equal("null", YamlScalar.Format(null));
    }

    private static YamlScalarNode Parse(string scalar)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader("key: " + scalar + "\n"));
        return (YamlScalarNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("key")];
    }
}
