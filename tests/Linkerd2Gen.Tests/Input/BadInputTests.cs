using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Input;

/// <summary>Every kind of bad input yields a coded diagnostic at the exact line and column, with a hint.</summary>
public class BadInputTests
{
    private const string H = Mesh.Header;

    public static TheoryData<string, string, string, int, int> Cases => new()
    {
        // name, yaml, code, line, column
        { "empty file", "", "L2G0002", 1, 1 },
        { "comments only", "# nothing here\n", "L2G0002", 1, 1 },
        { "unclosed quote", H + "linkerd:\n  version: \"2.18\n", "L2G0003", 6, 12 },
        { "bad indentation", H + "gateway:\n  name: a\n    namespace: b\n", "L2G0003", 7, 14 },
        { "duplicate key", H + "gateway:\n  name: a\n  name: b\n", "L2G0004", 7, 3 },
        { "alias", H + "gateway:\n  name: &n a\n  serviceAccount: *n\n", "L2G0005", 7, 19 },
        { "two documents", H + "---\n" + H, "L2G0007", 5, 1 },
        { "not a mapping", "- a\n- b\n", "L2G0008", 1, 1 },
        { "wrong apiVersion", "apiVersion: v1\nkind: Mesh\nmetadata:\n  name: test\n", "L2G0010", 1, 13 },
        { "wrong kind", "apiVersion: linkerd2gen.io/v1alpha1\nkind: Deployment\nmetadata:\n  name: test\n", "L2G0011", 2, 7 },
        { "unknown field", H + "namespaces:\n  - name: a\n    services:\n      - name: s\n        image: i\n        replica: 2\n        ports: [{containerPort: 80}]\n", "L2G0100", 10, 9 },
        { "wrong type", H + "namespaces:\n  - name: a\n    create: maybe\n", "L2G0101", 7, 13 },
        { "unquoted version", H + "linkerd:\n  version: 2.10\n", "L2G0101", 6, 12 },
        { "missing required field", H + "namespaces:\n  - name: a\n    services:\n      - name: s\n        image: i\n        ports: [{containerPort: 80}]\n        routes:\n          - hostname: a.example.com\n", "L2G0102", 12, 13 },
        { "value not allowed", H + "namespaces:\n  - name: a\n    inject: enable\n", "L2G0103", 7, 13 },
        { "port out of range", H + "gateway:\n  adminPort: 70000\n", "L2G0105", 6, 14 },
        { "invalid namespace name", H + "namespaces:\n  - name: Default\n", "L2G0200", 6, 11 },
        { "duplicate service", H + "namespaces:\n  - name: a\n    services:\n      - {name: s, image: i, ports: [{containerPort: 80}]}\n      - {name: s, image: j, workload: t, ports: [{containerPort: 80}]}\n", "L2G0201", 9, 16 },
        { "prefix without slash", H + "namespaces:\n  - name: a\n    services:\n      - name: s\n        image: i\n        ports: [{containerPort: 80}]\n        routes: [{prefix: api/}]\n", "L2G0202", 11, 27 },
        { "readiness port unknown", H + "namespaces:\n  - name: a\n    services:\n      - name: s\n        image: i\n        ports: [{name: http, containerPort: 80}]\n        readiness: {path: /health, port: htp}\n", "L2G0203", 11, 42 },
        { "port clash", H + "namespaces:\n  - name: a\n    services:\n      - name: s\n        image: i\n        ports:\n          - {name: a, containerPort: 80, servicePort: 80}\n          - {name: b, containerPort: 81, servicePort: 80}\n", "L2G0204", 12, 55 },
        { "target host redirects", H + "gateway:\n  hosts:\n    - {hostname: a.example.com, insecure: Redirect}\n multicluster:\n  role: target\n".Replace("\n multicluster", "\nmulticluster"), "L2G0205", 7, 43 },
        { "no image", H + "namespaces:\n  - name: a\n    services:\n      - name: s\n        ports: [{containerPort: 80}]\n", "L2G0206", 8, 9 },
        { "duplicate route", H + "namespaces:\n  - name: a\n    services:\n      - name: s\n        image: i\n        ports: [{containerPort: 80}]\n        routes: [{name: r1, prefix: /x/}, {name: r2, prefix: /x/}]\n", "L2G0208", 11, 62 },
        { "setting too new for version", H + "linkerd:\n  version: \"2.9\"\nnamespaces:\n  - name: a\n    services:\n      - name: s\n        image: i\n        ports: [{containerPort: 80}]\n        proxy: {opaquePorts: [3306]}\n", "L2G0209", 13, 17 },
        { "reserved proxy port", H + "namespaces:\n  - name: a\n    services:\n      - name: s\n        image: i\n        ports: [{containerPort: 4143}]\n", "L2G0214", 10, 33 },
        { "reversed port range", H + "gateway:\n  skipInboundPorts: [\"90-80\"]\n", "L2G0211", 6, 22 },
        { "port zero in a list", H + "multicluster:\n  role: source\n  requireIdentityOnInboundPorts: [\"0\"]\n", "L2G0211", 7, 35 },
        { "bad hostname", H + "gateway:\n  hosts:\n    - hostname: \"a b\"\n", "L2G0215", 7, 17 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reports_code_line_and_column(string name, string yaml, string code, int line, int column)
    {
        var d = Mesh.Single(yaml, code);
        Assert.True((line, column) == (d.Location.Line, d.Location.Column), $"{name}: expected {line}:{column}, got {d}");
        Assert.Equal("mesh.yaml", d.Location.File);
        Assert.False(string.IsNullOrWhiteSpace(d.Hint), $"{name}: no hint in {d}");
    }

    [Fact]
    public void Unknown_field_suggests_the_closest_name()
    {
        var d = Mesh.Single(H + "gateway:\n  namepsace: emissary\n", "L2G0100");
        Assert.Equal("unknown field 'namepsace' in 'gateway'", d.Message);
        Assert.Equal("did you mean 'namespace'?", d.Hint);
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
}
