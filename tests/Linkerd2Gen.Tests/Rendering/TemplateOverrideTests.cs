using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Render;
using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Rendering;

/// <summary>--templates DIR replaces built-in templates by file name; what an override breaks is reported, not written.</summary>
public class TemplateOverrideTests
{
    private static readonly string Example = Path.Combine(Repo.Root, "examples", "qotm", "mesh.yaml");

    private static CompileResult CompileWith(TempDir dir, string name, string text)
    {
        dir.Write($"templates/{name}", text);
        return Compiler.Compile([Example], dir.Combine("templates"));
    }

    [Fact]
    public void An_override_that_cannot_be_read_or_never_ends_is_named_not_an_internal_error()
    {
        // Regression: a template override that is a link that loops was an internal error (L2G0999); one that is a link to
        // /dev/zero was read until memory ran out.
        foreach (var target in new[] { "loop", "/dev/zero" })
        {
            if (target.StartsWith('/') && !File.Exists(target)) continue; // no such device on this system
            using var dir = new TempDir();
            var templates = Directory.CreateDirectory(dir.Combine("templates")).FullName;
            var file = Path.Combine(templates, "workload.yaml.sbn");
            File.CreateSymbolicLink(file, target == "loop" ? file : target);
            var (code, _, err) = InProcess.Cli(["render", Example, "--templates", templates, "-o", dir.Combine("out")]);
            Assert.Equal(1, code);
            Assert.Contains($"{file}: error L2G0523: the template override cannot be read: ", err);
            Assert.DoesNotContain("L2G0999", err);
            Assert.False(Directory.Exists(dir.Combine("out")));
        }
    }

    [Fact]
    public void Every_built_in_template_is_embedded_from_the_templates_folder()
    {
        var onDisk = Directory.GetFiles(Path.Combine(Repo.Root, "templates")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(onDisk, TemplateSource.BuiltInNames);
    }

    [Fact]
    public void An_override_replaces_only_its_own_template()
    {
        using var dir = new TempDir();
        var result = CompileWith(dir, "_header.sbn", "# ours: {{ source }}\n");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var files = result.Bundles.Single().Files;
        Assert.StartsWith("# ours: mesh.yaml\n---\n", files["namespaces.yaml"]);
        Assert.Equal(Examples.Qotm.Files["patches/gateway-deployment.json"], files["patches/gateway-deployment.json"]);
    }

    [Fact]
    public void A_template_syntax_error_is_located_in_the_override()
    {
        using var dir = new TempDir();
        var result = CompileWith(dir, "hosts.yaml.sbn", "line one\n{{ if }}\n");
        Assert.Empty(result.Bundles);
        var d = result.Diagnostics.First();
        Assert.Equal("L2G0900", d.Code);
        Assert.Equal((dir.Combine("templates", "hosts.yaml.sbn"), 2, 7), (d.Location.File, d.Location.Line, d.Location.Column));
        Assert.Contains("Expecting <expression>", d.Message);
    }

    [Fact]
    public void A_misnamed_override_is_a_warning_with_a_suggestion()
    {
        using var dir = new TempDir();
        var result = CompileWith(dir, "host.yaml.sbn", "x\n");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("L2G0504", "did you mean 'hosts.yaml.sbn'?"), (d.Code, d.Hint));
        Assert.Single(result.Bundles);
    }

    [Fact]
    public void An_unknown_variable_is_an_error_not_an_empty_string()
    {
        using var dir = new TempDir();
        var result = CompileWith(dir, "_labels.sbn", "    team: {{ mesh.no_such_thing.x }}\n");
        Assert.Contains(result.Diagnostics, d => d.Code == "L2G0900");
        Assert.Empty(result.Bundles);
    }

    [Fact]
    public void An_override_that_renders_broken_yaml_is_caught_by_verify()
    {
        using var dir = new TempDir();
        var result = CompileWith(dir, "namespaces.yaml.sbn", "---\nkind: Namespace\nmetadata: {name: [unclosed\n");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("L2G0901", d.Code);
        Assert.Equal(dir.Combine("templates", "namespaces.yaml.sbn"), d.Location.File);
        Assert.Equal(3, d.Location.Line); // the template line that wrote the broken flow sequence
    }

    // Regression: the user's patch of a workload is applied to the document the templates rendered, read back first; an
    // override that broke that document made the reading throw, an internal error (L2G0999). The file stays as the
    // templates wrote it, and verify reports it at the line of the template that broke it.
    [Fact]
    public void An_override_that_breaks_a_patched_workload_is_caught_by_verify_not_an_internal_error()
    {
        using var dir = new TempDir();
        dir.Write("templates/_labels.sbn", "    app.kubernetes.io/managed-by: linkerd2gen\n   broken: [unclosed\n");
        var result = Compiler.Compile([Path.Combine(Repo.Root, "examples", "emojivoto", "mesh.yaml")], dir.Combine("templates"));
        Assert.Contains(result.Diagnostics, d => d.Location.File.EndsWith("vote-bot.yaml", StringComparison.Ordinal) || d.Message.Contains("vote-bot.yaml", StringComparison.Ordinal));
        Assert.All(result.Diagnostics, d => Assert.Equal(("L2G0901", dir.Combine("templates", "_labels.sbn"), 2), (d.Code, d.Location.File, d.Location.Line)));
        Assert.Empty(result.Bundles);
    }

    // Regression: Scriban renders an included template into a string of its own, written back as one value, so a broken
    // line of an overridden partial was blamed on the line of every include of it.
    [Fact]
    public void A_broken_line_of_an_overridden_partial_is_reported_at_the_partials_line()
    {
        using var dir = new TempDir();
        var result = CompileWith(dir, "_labels.sbn", "    app.kubernetes.io/managed-by: linkerd2gen\n   broken: [unclosed\n");
        Assert.NotEmpty(result.Diagnostics);
        Assert.All(result.Diagnostics, d => Assert.Equal(("L2G0901", dir.Combine("templates", "_labels.sbn"), 2), (d.Code, d.Location.File, d.Location.Line)));
    }

    [Fact]
    public void An_include_used_as_a_value_renders_as_scribans_own_include_does()
    {
        // Assigned, piped or indented by its line, an include's text is a value: Scriban's include renders it, as before.
        using var dir = new TempDir();
        dir.Write("templates/_labels.sbn", "    team: shop\n");
        var text = File.ReadAllText(Path.Combine(Repo.Root, "templates", "namespaces.yaml.sbn"))
            .Replace("{{ include '_labels.sbn' ~}}", "{{~ labels = include '_labels.sbn' ~}}\n{{ labels | string.replace 'shop' 'store' ~}}");
        Assert.NotEqual(File.ReadAllText(Path.Combine(Repo.Root, "templates", "namespaces.yaml.sbn")), text);
        dir.Write("templates/namespaces.yaml.sbn", text);
        var result = Compiler.Compile([Example], dir.Combine("templates"));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        var ns = ReadBack.Object(Examples.Objects(result.Bundles.Single()), "Namespace", "default");
        Assert.Equal("store", ns.Str("metadata", "labels", "team"));
    }

    [Fact]
    public void Regression_every_line_of_a_bundle_is_traced_to_a_template_file_that_exists()
    {
        // Built-in templates were shown as templates/templates/NAME: their display path was taken for a bare name.
        using var dir = new TempDir();
        var overridden = CompileWith(dir, "_header.sbn", "# ours: {{ source }}\n");
        foreach (var result in new[] { Compiler.Compile([Example]), overridden })
        {
            var bundle = Assert.Single(result.Bundles);
            var located = bundle.Files.Where(f => f.Key.EndsWith(".yaml", StringComparison.Ordinal))
                .SelectMany(f => Enumerable.Range(1, f.Value.Count(c => c == '\n')).Select(line => bundle.SourceOf(f.Key, line, "untraced").File))
                .Where(f => f != "untraced").Distinct().ToList();
            Assert.Contains("templates/workload.yaml.sbn", located);
            Assert.All(located, f => Assert.True(File.Exists(Path.IsPathRooted(f) ? f : Path.Combine(Repo.Root, f)), $"{f} is no template file"));
        }
    }

    [Fact]
    public void A_patched_workloads_lines_are_traced_to_no_template_line_but_to_the_template_as_a_whole()
    {
        // The file is written as go-yaml writes the merged object, not as the template wrote it: a line number there would
        // point at the wrong template line. (A finding in it, as verify reports one, is located the same way.)
        var bundle = Compiler.Compile([Path.Combine(Repo.Root, "examples", "emojivoto", "mesh.yaml")]).Bundles.Single();
        var patched = "namespaces/emojivoto/vote-bot.yaml";
        Assert.Contains("runAsNonRoot: true", bundle.Files[patched]);
        Assert.Equal(SourceLocation.WholeFile("templates/workload.yaml.sbn"), bundle.SourceOf(patched, 3, "templates/workload.yaml.sbn"));
        // The workloads rendered as the template wrote them are traced to its lines.
        Assert.Equal("templates/workload.yaml.sbn", bundle.SourceOf("namespaces/emojivoto/web-svc.yaml", 3, "untraced").File);
        Assert.NotEqual(0, bundle.SourceOf("namespaces/emojivoto/web-svc.yaml", 3, "untraced").Line);
    }

    [Fact]
    public void An_override_that_drops_kind_is_caught_by_verify()
    {
        using var dir = new TempDir();
        var result = CompileWith(dir, "namespaces.yaml.sbn", "{{ for ns in namespaces }}\n---\napiVersion: v1\nmetadata:\n  name: {{ ns.name }}\n{{ end }}\n");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("L2G0902", d.Code);
        // The object starts at the template's line 3, inside the loop, whatever output line it lands on.
        Assert.Equal((dir.Combine("templates", "namespaces.yaml.sbn"), 3), (d.Location.File, d.Location.Line));
    }

    [Fact]
    public void A_patch_that_does_not_apply_to_the_known_gateway_is_caught()
    {
        using var dir = new TempDir();
        var result = CompileWith(dir, "patch.json.sbn", "[{\"op\": \"test\", \"path\": \"/spec/template/metadata/annotations/sidecar.istio.io~1inject\", \"value\": \"true\"}]\n");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("L2G0903", d.Code);
        Assert.Contains("gateway-deployment.json", d.Message);
    }

    [Theory]
    [InlineData("../../secret.txt")]
    [InlineData("/absolute/path.sbn")]
    [InlineData("sub/_labels.sbn")]
    [InlineData("no-such-template.sbn")]
    public void Include_reaches_templates_only(string name)
    {
        using var dir = new TempDir();
        dir.Write("secret.txt", "must not be read\n");
        var result = CompileWith(dir, "_header.sbn", $"{{{{ include '{name}' }}}}\n");
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("L2G0905", dir.Combine("templates", "_header.sbn"), 1), (d.Code, d.Location.File, d.Location.Line));
        Assert.Empty(result.Bundles);
    }

    /// <summary>Scriban's function groups are set up for a context only when a template names one: every group an override
    /// may use is there, as Scriban's own builtins have it (the output below is what they give).</summary>
    [Fact]
    public void An_override_reaches_every_builtin_group()
    {
        using var dir = new TempDir();
        var result = CompileWith(dir, "_header.sbn", "# {{ array.size [1, 2] }} {{ -3 | math.abs }} {{ html.escape '<b>' }} {{ object.typeof 1.5 }} "
            + "{{ regex.escape 'a.b' }} {{ timespan.from_days 2 }} {{ string.upcase 'up' }} {{ [] == empty }} {{ [] == blank }}\n");
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        Assert.Equal("# 2 3 &lt;b&gt; number a\\.b 2.00:00:00 UP true true", result.Bundles.Single().Files["namespaces.yaml"].Split("\n")[0]);
        // Scriban's groups, but the clock: a group a later Scriban adds is not left out unseen.
        var scribans = new Scriban.Functions.BuiltinFunctions();
        Assert.Equal(scribans.Keys.Where(k => scribans[k] is Scriban.Runtime.ScriptObject && k != "date").Order(StringComparer.Ordinal),
            TemplateBuiltins.GroupNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Templates_have_no_clock()
    {
        using var dir = new TempDir();
        var result = CompileWith(dir, "_header.sbn", "# {{ date.now }}\n");
        Assert.Equal("L2G0900", Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void One_time_budget_bounds_the_whole_render()
    {
        using var dir = new TempDir();
        dir.Write("templates/_header.sbn", "{{ for i in 1..90000 }}{{ i | string.pad_left 40 }}{{ end }}\n");
        var mesh = Examples.Render("qotm/mesh.yaml"); // warm up the built-in templates
        var templates = new TemplateSource(dir.Combine("templates"));
        var resolved = Compiler.Compile([Example]).Meshes.Single().Resolved;
        var diagnostics = new Diagnostics.DiagnosticBag();
        Assert.Null(new BundleRenderer(templates, TimeSpan.FromMilliseconds(1)).Render(resolved, diagnostics));
        var d = Assert.Single(diagnostics.Items);
        // Where it stops depends on the clock (the include of the loop, or the loop itself); that it stops, once, does not.
        Assert.Equal("L2G0904", d.Code);
        Assert.EndsWith(".sbn", d.Location.File);
        Assert.NotEmpty(mesh);
    }

    [Fact]
    public void Regression_an_override_whose_output_yaml_ends_inside_a_flow_collection_is_a_diagnostic_not_an_internal_error()
    {
        using var dir = new TempDir();
        var result = CompileWith(dir, "namespaces.yaml.sbn", "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: \n");
        Assert.Equal("L2G0901", Assert.Single(result.Diagnostics).Code);
    }

    [Theory]
    [InlineData("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  name: b\n", "Duplicate key", 6)]
    [InlineData("---\napiVersion: v1\nkind: Namespace\nkind: Namespace\nmetadata: {name: a}\n", "Duplicate key", 4)]
    [InlineData("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: *nowhere\n", "Anchor 'nowhere' not found", 6)]
    // Written by expressions: the file is checked through its shape first, which must not let these through.
    [InlineData("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  {{ 'name' }}: b\n", "Duplicate key", 6)]
    [InlineData("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels:\n    {{ 'x' | y }}: a\n    {{ 'x' | y }}: b\n", "Duplicate key", 8)]
    [InlineData("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: &{{ 'l' }} {}\n  annotations: *{{ 'm' }}\n", "Anchor 'm' not found", 7)]
    public void An_override_that_writes_what_yaml_readers_refuse_is_caught_by_verify(string template, string problem, int line)
    {
        // kubectl refuses a key written twice and an alias without its anchor: verify reads the files as strictly.
        using var dir = new TempDir();
        var result = CompileWith(dir, "namespaces.yaml.sbn", template);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("L2G0901", d.Code);
        Assert.Contains(problem, d.Message);
        Assert.Equal(line, d.Location.Line);
    }

    [Theory]
    [InlineData("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n labels: {}\n", 6)]
    [InlineData("---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a\n---\napiVersion: v1\n", 5)]
    [InlineData("---\napiVersion: v1\nkind: \"Namespace\nmetadata: {name: a}\n", 3)] // where the open quote is
    public void A_syntax_error_in_an_override_is_reported_at_its_line_in_the_readers_words(string template, int line)
    {
        using var dir = new TempDir();
        var result = CompileWith(dir, "namespaces.yaml.sbn", template);
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(("L2G0901", line), (d.Code, d.Location.Line));
        Assert.Contains($": line {line}: ", d.Message);
        Assert.DoesNotContain("(Lin:", d.Message); // the reader's own 0-based position would contradict the line
    }

    [Fact]
    public void An_override_with_anchors_and_aliases_of_its_own_passes_verify()
    {
        using var dir = new TempDir();
        var result = CompileWith(dir, "namespaces.yaml.sbn", "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: &l {team: x}\n  annotations: *l\n");
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
    }

    [Fact]
    public void A_missing_templates_folder_is_a_diagnostic()
    {
        var result = Compiler.Compile([Example], "/no/such/templates");
        Assert.Equal("L2G0503", Assert.Single(result.Diagnostics).Code);
    }
}
