using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Input;

/// <summary>Bad input: the messages, hints and limits beyond what the baselines (tests/baselines/bad-*) show.</summary>
public class BadInputTests
{
    private const string H = Mesh.Header;

    // Each kind of bad input, with its code at line:column, is a baseline: tests/baselines/bad-*/.

    [Fact]
    public void Unknown_field_suggests_the_closest_name()
    {
        var d = Mesh.Single(H + "gateway:\n  namepsace: emissary\n", "L2G0100");
        Assert.Equal("unknown field 'namepsace' in 'gateway'", d.Message);
        Assert.Equal("did you mean 'namespace'?", d.Hint);
    }

    /// <summary>Regression: a base path with a control character (NUL here) reached the file system's path functions,
    /// which threw; it is the schema's to refuse, at the value.</summary>
    [Theory]
    [InlineData("gateway:\n  base: \"manifests\\u0000x\"\n", 6)]
    [InlineData("namespaces:\n  - name: a\n    base: \"base\\tdir\"\n", 7)]
    public void A_base_path_with_a_control_character_is_refused_where_it_is_written(string yaml, int line)
    {
        var d = Mesh.Single(H + yaml, "L2G0104");
        Assert.Equal(line, d.Location.Line);
        Assert.Contains("base has an invalid value", d.Message);
        Assert.Contains("without control characters", d.Hint);
    }

    [Fact]
    public void Unquoted_version_hint_explains_why()
    {
        var d = Mesh.Single(H + "linkerd:\n  version: 2.10\n", "L2G0101");
        Assert.Contains("quote the version", d.Hint);
        Assert.Contains("2.10", d.Hint);
    }

    [Fact]
    public void Enum_error_lists_the_allowed_values_and_suggests_one()
    {
        var d = Mesh.Single(H + "namespaces:\n  - name: a\n    inject: enable\n", "L2G0103");
        Assert.Equal("did you mean 'enabled'? allowed: enabled, disabled, ingress", d.Hint);
    }

    [Fact]
    public void Every_finding_is_reported_in_one_run()
    {
        var yaml = H + "namespaces:\n  - name: Bad_Name\n    inject: enable\n  - name: b\n    services:\n      - name: s\n        imgae: x\n";
        var codes = Mesh.Diagnostics(yaml).Select(d => d.Code).ToList();
        // Schema errors (two) are all reported; semantic rules wait for a schema-valid document.
        Assert.Equal(["L2G0103", "L2G0100"], codes);

        var semantic = H + "namespaces:\n  - name: Bad_Name\n  - name: b\n    services:\n      - name: s\n        ports: [{containerPort: 4191}]\n        routes: [{prefix: x}]\n";
        Assert.Equal(["L2G0200", "L2G0206", "L2G0214", "L2G0202"], Mesh.Diagnostics(semantic).Select(d => d.Code).ToList());
    }

    [Fact]
    public void Diagnostics_print_as_file_line_column_severity_code_message_hint()
    {
        var d = Mesh.Single(H + "namespaces:\n  - name: Default\n", "L2G0200");
        Assert.Equal("mesh.yaml:6:11: error L2G0200: namespace 'Default' is not a valid Kubernetes name (hint: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (RFC 1123))", d.ToString());
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var yaml = H + "gateway:\n  base: " + new string('[', 100) + new string(']', 100) + "\n";
        Assert.Equal(Severity.Error, Mesh.Single(yaml, "L2G0009").Severity);
    }

    [Fact]
    public void Regression_an_unterminated_flow_mapping_is_a_syntax_error_not_a_crash()
    {
        // YamlDotNet's parser throws InvalidOperationException here, not a YamlException.
        var d = Mesh.Single(H + "namespaces:\n  - name: a\n    services:\n      - name: s\n        ports:\n          - {name: \n        env:\n          A: b\n", "L2G0003");
        Assert.Equal((10, 11), (d.Location.Line, d.Location.Column));
        Assert.Contains("flow collection", d.Message);
    }

    [Fact]
    public void Regression_integral_floats_where_integers_are_wanted_do_not_crash_and_other_numbers_keep_their_text()
    {
        // 2.0 is an integer to JSON Schema but not to System.Text.Json's int: this used to be an internal error.
        var result = Mesh.Compile(H + "namespaces:\n  - name: a\n    services:\n      - {name: s, image: i, replicas: 2.0, ports: [{containerPort: 80.0}], env: {VERSION: 1.0}}\n");
        Assert.Empty(result.Diagnostics);
        var deployment = result.Bundles.Single().Files["namespaces/a/s.yaml"];
        Assert.Contains("  replicas: 2\n", deployment);
        Assert.Contains("containerPort: 80\n", deployment);
        Assert.Contains("value: \"1.0\"\n", deployment);
    }

    [Fact]
    public void Numbers_too_large_for_their_field_are_out_of_range_not_a_crash()
    {
        var d = Mesh.Single(H + "namespaces:\n  - name: a\n    services:\n      - {name: s, image: i, replicas: 99999999999999999999, ports: [{containerPort: 80}]}\n", "L2G0105");
        Assert.Equal((8, 39), (d.Location.Line, d.Location.Column));
    }

    [Fact]
    public void A_file_that_does_not_exist_is_a_diagnostic()
    {
        var result = Linkerd2Gen.Pipeline.Compiler.Compile(["no/such/mesh.yaml"]);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("L2G0001", d.Code);
        Assert.Equal("no/such/mesh.yaml", d.Location.ToString());
    }
    // The model is read, resolved and judged by the rules while the schema check runs: what a file the schema refuses
    // made of that (a model that could not be read, findings of its own) is dropped, and the other files are judged alone.
    [Fact]
    public void Beside_a_file_the_schema_refuses_the_others_rule_findings_are_reported_once_and_its_own_none()
    {
        const string twice = "namespaces:\n  - name: a\n    services:\n      - {name: s, image: i, ports: [{containerPort: 80}]}\n      - {name: s, image: i, ports: [{containerPort: 81}]}\n";
        var good = H.Replace("name: test", "name: east") + twice;
        // The schema refuses `replicas: many`, and the model cannot be read from it (an integer field holds text).
        var bad = H.Replace("name: test", "name: west") + twice + "      - {name: t, image: i, replicas: many, ports: [{containerPort: 80}]}\n";
        var result = Linkerd2Gen.Pipeline.Compiler.Compile(["east.yaml", "west.yaml"], texts: new Dictionary<string, string> { ["east.yaml"] = good, ["west.yaml"] = bad });
        // east's service and its workload are each declared twice; west's are too, but west is not judged past its schema.
        Assert.Equal(["east.yaml:9:16 L2G0201 service", "east.yaml:9:16 L2G0201 workload", "west.yaml:10:39 L2G0101 namespaces[0].services[2].replicas"],
            result.Diagnostics.Where(d => d.IsError).Select(d => $"{d.Location} {d.Code} {d.Message.Split(' ')[0].TrimEnd(':')}"));
        Assert.Equal(["east.yaml"], result.Meshes.Select(m => m.File));
    }
    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void A_key_written_twice_is_found_in_a_mapping_of_any_size(int keys)
    {
        // The loader looks keys up one by one in a small mapping and in a set in a large one.
        var labels = string.Concat(Enumerable.Range(0, keys).Select(i => $"    k{i}: v\n")) + "    k1: again\n";
        var d = Mesh.Single(H + "gateway:\n  labels:\n" + labels, "L2G0004");
        Assert.Equal((7 + keys, 5), (d.Location.Line, d.Location.Column));
        Assert.Equal("the first 'k1' is at line 8; keep one", d.Hint);
    }
}
