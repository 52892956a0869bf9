using System.Text.Json.Nodes;
using Linkerd2Gen.Inject;
using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Yaml;
using Linkerd2Gen.Kubernetes;

namespace Linkerd2Gen.Tests.Inject;

/// <summary>linkerd inject's semantics beyond the golden files: passes, kinds, streams, flags.</summary>
public class InjectBehaviourTests
{
    private static (int Code, string Out, string Err) Run(string stdin, params string[] args) => InProcess.Cli(["inject", .. args], stdin);

    private const string Deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      annotations:\n        linkerd.io/created-by: linkerd/cli stable-2.1\n        config.linkerd.io/proxy-cpu-limit: \"1\"\n      labels:\n        linkerd.io/proxy-deployment: web\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: web:1\n      - name: linkerd-proxy\n        image: proxy\n      initContainers:\n      - name: linkerd-init\n        image: init\n";

    [Fact]
    public void Regression_a_string_with_a_tab_is_double_quoted_as_go_yaml_writes_it()
    {
        // libyaml's emitter finds a tab unprintable: plain "x<TAB>y" would not even parse under PyYAML. (go-yaml escapes
        // it as \t inside the quotes; YamlDotNet's emitter keeps the tab itself, which reads back the same.)
        var (code, stdout, _) = Run("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: \"a\\tb\"\n---\n" + Workload("w", "      containers:\n      - name: c\n        image: i\n", "      annotations:\n        note: \"x\\ty\"\n"), "-");
        Assert.Equal(0, code);
        Assert.Contains("        note: \"x\ty\"\n", stdout);
    }

    private const string Pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n";

    [Fact]
    public void A_byte_order_mark_on_standard_input_starts_no_document()
    {
        var (code, stdout, stderr) = Run("\uFEFF" + Pod, "-");
        Assert.Equal(0, code);
        Assert.StartsWith("apiVersion: v1\nkind: Pod\n", stdout);
        Assert.Equal("\npod \"p\" injected\n\n", stderr);
    }

    [Theory]
    [InlineData("{a: 1}: x\n", 1)]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - image: {{ .Values.image }}\n", 7)]
    public void A_key_json_cannot_hold_is_a_located_parse_error(string input, int line)
    {
        var (code, stdout, stderr) = Run(input, "-");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"Error transforming resources:\nfailed to parse YAML: line {line}: invalid map key: a mapping or a sequence cannot be a key", stderr);
    }

    [Fact]
    public void Null_items_of_a_list_are_reported_as_documents_without_kind()
    {
        var (_, stdout, stderr) = Run("apiVersion: v1\nkind: List\nitems:\n- null\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n", "-");
        Assert.Contains("items:\n- null\n- apiVersion: v1\n", stdout);
        Assert.Equal("\ndocument missing \"kind\" field, skipped\npod \"p\" injected\n\n", stderr);
    }

    [Fact]
    public void Automount_service_account_token_false_is_injected_as_token_projection_is_on_by_default()
    {
        var (code, stdout, _) = Run(Pod + "spec:\n  automountServiceAccountToken: false\n  containers: [{name: c, image: i}]\n", "-");
        Assert.Equal(0, code);
        Assert.Contains("linkerd.io/inject: enabled", stdout);
    }

    [Fact]
    public void Output_json_writes_one_compact_document_a_line_with_sorted_keys()
    {
        var (code, stdout, _) = Run(Pod + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {b: \"1\", a: x}\n", "-o", "json", "-");
        Assert.Equal(0, code);
        Assert.Equal("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{\"linkerd.io/inject\":\"enabled\"},\"name\":\"p\"}}\n"
            + "{\"apiVersion\":\"v1\",\"data\":{\"a\":\"x\",\"b\":\"1\"},\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}\n", stdout);
    }

    [Fact]
    public void The_flags_users_type_from_linkerd_are_understood()
    {
        var (code, stdout, stderr) = Run(Pod, "--ignore-cluster", "--proxy-cpu", "100m", "--proxy-memory", "64Mi", "-");
        Assert.Equal(0, code);
        Assert.Contains("config.linkerd.io/proxy-cpu-request: 100m\n", stdout);
        Assert.Contains("config.linkerd.io/proxy-memory-request: 64Mi\n", stdout);
        Assert.StartsWith("Flag --proxy-cpu has been deprecated, use --proxy-cpu-request instead\nFlag --proxy-memory has been deprecated, use --proxy-memory-request instead\n", stderr);
        var (refused, _, err) = Run(Pod, "-v", "-");
        Assert.Equal(2, refused);
        Assert.StartsWith("linkerd2gen inject: error L2G0604: unknown shorthand flag: 'v' in -v (hint: ", err);
    }

    [Fact]
    public void A_symlink_loop_in_a_folder_is_followed_once()
    {
        using var dir = new TempDir();
        dir.Write("p.yaml", Pod);
        Directory.CreateDirectory(dir.Combine("sub"));
        Directory.CreateSymbolicLink(dir.Combine("sub", "up"), dir.Path);
        var (code, stdout, _) = Run("", dir.Path);
        Assert.Equal(0, code);
        Assert.Equal(1, stdout.Split('\n').Count(l => l == "kind: Pod"));
    }

    [Fact]
    public void An_unreadable_file_in_a_folder_is_a_located_diagnostic()
    {
        using var dir = new TempDir();
        dir.Write("p.yaml", Pod);
        File.CreateSymbolicLink(dir.Combine("gone.yaml"), dir.Combine("no-such-target.yaml"));
        var (code, stdout, stderr) = Run("", dir.Path);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.StartsWith($"{dir.Path}: error L2G0605: could not read it: ", stderr);
    }

    [Fact]
    public void The_uninject_pass_strips_linkerd_io_metadata_and_the_proxy_but_keeps_config_annotations()
    {
        var (code, stdout, _) = Run(Deployment, "-");
        Assert.Equal(0, code);
        Assert.Equal("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              template:
                metadata:
                  annotations:
                    config.linkerd.io/proxy-cpu-limit: "1"
                    linkerd.io/inject: enabled
                  labels:
                    app: web
                spec:
                  containers:
                  - image: web:1
                    name: web
            ---

            """.Replace("\r\n", "\n"), stdout);
    }

    [Fact]
    public void Other_kinds_pass_through_byte_for_byte_comments_and_all()
    {
        const string mapping = "# the route\napiVersion: getambassador.io/v3alpha1\nkind: Mapping\nmetadata: {name: m}   # inline\nspec:\n  prefix: /x/\n  service: \"s:80\"\n";
        var (code, stdout, stderr) = Run(mapping + "---\n" + "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n", "-");
        Assert.Equal(0, code);
        Assert.StartsWith(mapping + "---\napiVersion: v1\nkind: Namespace\n", stdout);
        Assert.Equal("\nmapping \"m\" skipped\nnamespace \"ns\" annotated\n\n", stderr);
    }

    [Fact]
    public void Only_unsupported_kinds_say_so()
    {
        var (_, _, stderr) = Run("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n", "-");
        Assert.Equal("\n\u203C no supported objects found\n\nconfigmap \"c\" skipped\n\n", stderr);
    }

    [Fact]
    public void Services_are_reserialised_and_annotated_only_with_opaque_ports()
    {
        const string service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  labels: {linkerd.io/control-plane-ns: linkerd}\nspec:\n  ports:\n  - port: 80\n";
        var (_, plain, report) = Run(service, "-");
        Assert.Equal("apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n---\n", plain);
        Assert.Contains("service \"s\" skipped", report);
        var (_, opaque, report2) = Run(service, "--opaque-ports", "5432", "-");
        Assert.Contains("annotations:\n    config.linkerd.io/opaque-ports: \"5432\"\n", opaque);
        Assert.Contains("service \"s\" annotated", report2);
    }

    [Fact]
    public void A_list_is_transformed_item_by_item_and_remarshalled()
    {
        const string list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec: {containers: [{name: c, image: i}]}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n";
        var (_, stdout, stderr) = Run(list, "-");
        Assert.Equal("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    annotations:\n      linkerd.io/inject: enabled\n    name: p\n  spec:\n    containers:\n    - image: i\n      name: c\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\nkind: List\nmetadata: {}\n---\n", stdout);
        Assert.Equal("\npod \"p\" injected\nconfigmap \"c\" skipped\n\n", stderr);
    }

    [Fact]
    public void Empty_documents_are_echoed_and_a_leading_separator_dropped()
    {
        var (_, stdout, stderr) = Run("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n\n---\n# just a comment\n", "-");
        Assert.Equal("apiVersion: v1\nkind: Namespace\nmetadata:\n  annotations:\n    linkerd.io/inject: enabled\n  name: a\n---\n\n---\n# just a comment\n---\n", stdout);
        Assert.Equal("\nnamespace \"a\" annotated\ndocument missing \"kind\" field, skipped\ndocument missing \"kind\" field, skipped\n\n", stderr);
    }

    [Fact]
    public void Re_serialising_drops_what_the_go_types_drop()
    {
        const string d = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\n  creationTimestamp: null\nspec:\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n    spec:\n      hostNetwork: false\n      containers:\n      - name: c\n        image: i\n        resources:\n          limits: {cpu: 0.1, memory: 1024Mi}\n          requests: {cpu: 1000m}\n        volumeMounts: []\n      volumes:\n      - name: tmp\n        emptyDir: {}\nstatus: {}\n";
        var (_, stdout, _) = Run(d, "-");
        Assert.Equal("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: w\nspec:\n  template:\n    metadata:\n      annotations:\n        linkerd.io/inject: enabled\n    spec:\n      containers:\n      - image: i\n        name: c\n        resources:\n          limits:\n            cpu: 100m\n            memory: 1Gi\n          requests:\n            cpu: \"1\"\n      volumes:\n      - emptyDir: {}\n        name: tmp\n---\n", stdout);
    }

    [Fact]
    public void Folders_are_read_recursively_in_lexical_order_as_one_stream()
    {
        using var dir = new TempDir();
        dir.Write("b/two.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: two\n");
        dir.Write("a.yml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: one\n");
        dir.Write("notes.txt", "not a manifest\n");
        var (code, _, stderr) = Run("", dir.Path);
        Assert.Equal(0, code);
        Assert.Equal("\nnamespace \"one\" annotated\nnamespace \"two\" annotated\n\n", stderr);
    }

    private static string Workload(string name, string podSpec, string podMeta = "") =>
        $"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  template:\n    metadata:\n      labels:\n        app: {name}\n{podMeta}    spec:\n{podSpec}---\n";

    [Theory]
    [InlineData("      containers:\n      - name: c\n        image: i\n      - name: istio-proxy\n        image: proxy\n", "pod has a sidecar injected already")]
    [InlineData("      hostNetwork: true\n      containers:\n      - name: c\n        image: i\n        ports:\n        - containerPort: 53\n          protocol: UDP\n", "hostNetwork is enabled, UDP port(s) configured on pod spec")]
    public void Workloads_linkerd_cannot_inject_fail_the_run_with_its_reasons(string podSpec, string reasons)
    {
        var (code, stdout, stderr) = Run(Workload("web", podSpec), "-");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"Error transforming resources:\nfailed to inject deployment/web: {reasons}", stderr);
    }

    [Fact]
    public void Control_plane_components_need_manual_mode()
    {
        var (code, _, stderr) = Run(Workload("destination", "      containers:\n      - name: c\n        image: i\n").Replace("        app: destination\n", "        app: destination\n        linkerd.io/control-plane-component: destination\n"), "-");
        Assert.Equal(1, code);
        Assert.Equal("Error transforming resources:\n--manual must be set when injecting control plane components", stderr);
    }

    [Fact]
    public void Warnings_name_every_resource_on_one_line()
    {
        const string udp = "      containers:\n      - name: c\n        image: i\n        ports:\n        - containerPort: 53\n          protocol: UDP\n";
        const string disabled = "      annotations:\n        linkerd.io/inject: disabled\n";
        var (_, _, stderr) = Run(Workload("a", udp) + Workload("b", udp) + Workload("c", udp, disabled) + Workload("d", udp, disabled), "-");
        Assert.Equal("\n\u203C \"linkerd.io/inject: disabled\" annotation set on deployment/c, deployment/d\n\u203C deployment/a, deployment/b, deployment/c, deployment/d use \"protocol: UDP\"\n\ndeployment \"a\" injected\ndeployment \"b\" injected\ndeployment \"c\" skipped\ndeployment \"d\" skipped\n\n", stderr);
    }

    // Regression: text YamlDotNet gives up on without a YamlException was an internal error (L2G0999), or told as an
    // unclosed flow collection without a line. A key left empty below another (`- env:` then `  :`), or an indented `: x`,
    // makes its parser end the mapping after the key (its loader then throws an ArgumentException); text after a
    // document's end marker, or `>-` in a flow mapping, stops its scanner (an InvalidOperationException).
    private const string LostValue = "a mapping ends after a key without its value (unexpected MappingEnd)";
    private const string Stopped = "the YAML cannot be read past here (a flow collection {…} or […] left open, or text after a document's end marker `...`)";

    [Theory]
    [InlineData("- env:\n  :\n", 3, LostValue)]
    [InlineData("     : null\n", 2, LostValue)]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - env:\n    :\n", 9, LostValue)]
    [InlineData("...\n..\n", 1, Stopped)]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {a>-\nb: c}}\n", 3, Stopped)]
    public void Text_the_yaml_reader_gives_up_on_is_a_located_parse_error_not_an_internal_error(string input, int line, string problem)
    {
        var (code, stdout, stderr) = Run(input, "-");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"Error transforming resources:\nfailed to parse YAML: line {line}: {problem}", stderr);
    }

    // Regression: keys YamlDotNet tells apart by their tags are one key to JSON; building the object threw, an internal error.
    [Fact]
    public void A_key_written_twice_under_two_tags_is_a_located_parse_error()
    {
        var (code, stdout, stderr) = Run("a: 1\n!!str a: 2\n", "-");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal("Error transforming resources:\nfailed to parse YAML: line 2: duplicate key a", stderr);
    }

    [Fact]
    public void Invalid_yaml_fails_the_whole_run_with_nothing_on_stdout()
    {
        var (code, stdout, stderr) = Run("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n---\na: [\n", "-");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("Error transforming resources:\nfailed to parse YAML: line 2:", stderr);
    }

    [Theory]
    [InlineData("--skip-inbound-ports", "80,x", "--skip-inbound-ports: 'x' is not a port or a range lo-hi")]
    [InlineData("--skip-outbound-ports", "90-80", "--skip-outbound-ports: '90-80' is not a port or a range lo-hi within 0-65535")]
    [InlineData("--admin-port", "70000", "--admin-port: '70000' is not a port (0-65535)")]
    [InlineData("--proxy-memory-limit", "lots", "--proxy-memory-limit: 'lots' is not a Kubernetes quantity (e.g. 100m, 0.5, 64Mi)")]
    [InlineData("--default-inbound-policy", "open", "--default-inbound-policy: 'open' is not one of all-unauthenticated, all-authenticated, cluster-unauthenticated, cluster-authenticated, deny, audit")]
    [InlineData("--close-wait-timeout", "soon", "--close-wait-timeout: 'soon' is not a duration (e.g. 90s, 1m30s)")]
    public void Bad_flag_values_are_usage_errors(string flag, string value, string message)
    {
        var (code, stdout, stderr) = Run("", flag, value, "-");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith($"linkerd2gen inject: error L2G0600: {message} (hint: ", stderr.Replace("\r\n", "\n"));
    }

    [Fact]
    public void Flags_become_annotations_as_linkerd_writes_them_and_defaults_add_nothing()
    {
        var (_, stdout, _) = Run("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n", "--skip-inbound-ports", "22,8100-8102", "--skip-outbound-ports", "5432",
            "--admin-port", "4191", "--close-wait-timeout", "90s", "--proxy-cpu-request", "100m", "--enable-debug-sidecar", "--wait-before-exit-seconds", "5", "--ingress", "-");
        var annotations = GoYaml.Read(stdout.Split("---\n")[0])!["metadata"]!["annotations"]!.AsObject();
        Assert.Equal(new Dictionary<string, string>
        {
            ["config.alpha.linkerd.io/proxy-wait-before-exit-seconds"] = "5",
            ["config.linkerd.io/close-wait-timeout"] = "1m30s",
            ["config.linkerd.io/enable-debug-sidecar"] = "true",
            ["config.linkerd.io/proxy-cpu-request"] = "100m",
            ["config.linkerd.io/skip-inbound-ports"] = "22,8100-8102",
            ["config.linkerd.io/skip-outbound-ports"] = "5432",
            ["linkerd.io/inject"] = "ingress",
        }, annotations.ToDictionary(kv => kv.Key, kv => kv.Value!.ToString()));
        Assert.Contains("    config.linkerd.io/skip-outbound-ports: \"5432\"\n", stdout); // quoted as linkerd quotes it
    }

    [Fact]
    public void A_registry_moves_the_proxy_init_and_debug_images()
    {
        var (_, stdout, _) = Run("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n", "--linkerd-version", "2.18", "--registry", "registry.example/l5d/", "--init-image-version", "v2.4.0", "-");
        Assert.Contains("    config.linkerd.io/debug-image: registry.example/l5d/debug\n    config.linkerd.io/init-image: registry.example/l5d/proxy-init\n    config.linkerd.io/init-image-version: v2.4.0\n    config.linkerd.io/proxy-image: registry.example/l5d/proxy\n", stdout);
    }

    [Fact]
    public void On_2_20_a_registry_moves_only_the_proxy_and_debug_images()
    {
        // 2.20's linkerd-init runs the proxy image: --registry no longer rewrites a proxy-init image (#14577).
        var (_, stdout, _) = Run("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n", "--registry", "registry.example/l5d", "-");
        Assert.Contains("    config.linkerd.io/debug-image: registry.example/l5d/debug\n    config.linkerd.io/proxy-image: registry.example/l5d/proxy\n    linkerd.io/inject: enabled\n", stdout);
        Assert.DoesNotContain("init-image", stdout);
    }

    [Theory]
    [InlineData("2.18", "--native-sidecar", "config.alpha.linkerd.io/proxy-enable-native-sidecar: \"true\"")]
    [InlineData("2.18", "--native-sidecar=false", null)]
    [InlineData("2.19", "--native-sidecar", "config.beta.linkerd.io/proxy-enable-native-sidecar: \"true\"")]
    [InlineData("2.19", "--native-sidecar=false", null)]
    [InlineData("2.20", "--native-sidecar", null)] // true is 2.20's default: no override
    [InlineData("2.20", "--native-sidecar=false", "config.linkerd.io/proxy-enable-native-sidecar: \"false\"")]
    public void Native_sidecar_writes_the_key_of_each_version(string version, string flag, string? expected)
    {
        var (code, stdout, _) = Run("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n", "--linkerd-version", version, flag, "-");
        Assert.Equal(0, code);
        var written = stdout.Split('\n').Where(l => l.Contains("native-sidecar")).Select(l => l.Trim()).ToList();
        Assert.Equal(expected is null ? [] : [expected], written);
    }

    [Theory]
    [InlineData("--init-image", "cr.example/init")]
    [InlineData("--init-image-version", "v2.4.0")]
    public void On_2_20_the_removed_init_image_flags_are_unknown_flags(string flag, string value)
    {
        var (code, stdout, stderr) = Run("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n", "--linkerd-version", "2.20", flag, value, "-");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.StartsWith($"linkerd2gen inject: error L2G0602: unknown flag: {flag} (hint: ", stderr);
        Assert.Equal(0, Run("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n", "--linkerd-version", "2.19", flag, value, "-").Code);
    }

    [Theory]
    [InlineData("2.17")]
    [InlineData("2.21")]
    [InlineData("3.0")]
    public void Inject_reproduces_only_the_versions_it_knows(string version)
    {
        var (code, _, stderr) = Run("", "--linkerd-version", version, "-");
        Assert.Equal(2, code);
        Assert.StartsWith($"linkerd2gen inject: error L2G0603: --linkerd-version {version} is not supported (hint: inject reproduces the CLI of Linkerd 2.18 … 2.20)", stderr);
    }

    [Theory]
    [InlineData("0.1", "100m")]
    [InlineData("1", "1")]
    [InlineData("1000m", "1")]
    [InlineData("1.5", "1500m")]
    [InlineData("1000", "1k")]
    [InlineData("1500", "1500")]
    [InlineData("100Mi", "100Mi")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("0.5Gi", "512Mi")]
    [InlineData("1536Mi", "1536Mi")]
    [InlineData("0.0000000001", "1n")]
    [InlineData("1e3", "1e3")]
    public void Quantities_print_in_kubernetes_canonical_form(string input, string canonical) =>
        Assert.Equal(canonical, Quantity.Canonical(input));

    [Theory]
    [InlineData("1m", "1m0s")]
    [InlineData("90s", "1m30s")]
    [InlineData("1h2m3s", "1h2m3s")]
    [InlineData("100ms", "100ms")]
    [InlineData("1.5s", "1.5s")]
    public void Durations_print_as_go_prints_them(string input, string expected) =>
        Assert.Equal(expected, GoDuration.Format(GoDuration.Parse(input)!.Value));

    [Theory]
    [InlineData("yes", false)]
    [InlineData("on", false)]
    [InlineData("0x1F", false)]
    [InlineData("017", false)]
    [InlineData("08", false)]
    [InlineData("1_000", false)]
    [InlineData("2024-01-02", false)]
    [InlineData("1:20", false)]
    [InlineData(".inf", false)]
    [InlineData("", false)]
    [InlineData("80,443", true)]
    [InlineData("enabled", true)]
    [InlineData("warn,linkerd=info", true)]
    [InlineData("1.2.3", true)]
    [InlineData("0.1", false)]
    [InlineData("0o17", false)]
    public void Go_yaml_v2_scalar_resolution(string plain, bool isString) =>
        Assert.Equal(isString, GoYaml.ResolvesToString(plain));

    [Theory]
    [InlineData(new[] { "b", "a", "B", "_x", "a10", "a9", "a09" }, new[] { "_x", "B", "a", "a9", "a09", "a10", "b" })]
    public void Keys_sort_as_go_yaml_sorts_them(string[] keys, string[] sorted) =>
        Assert.Equal(sorted, keys.Order(GoYaml.KeyOrder.Instance));
}
