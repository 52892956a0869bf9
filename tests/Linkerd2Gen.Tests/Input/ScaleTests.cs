using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Load;
using Linkerd2Gen.Pipeline;
using Linkerd2Gen.Render;
using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Verify;

namespace Linkerd2Gen.Tests.Input;

/// <summary>Fleet-scale input: a 10,000-service mesh is within the cap; a file over the cap is one clear error.</summary>
public class ScaleTests
{
    [Fact]
    public void A_ten_thousand_service_mesh_renders()
    {
        var text = Mesh.Fleet(10_000);
        Assert.True(text.Length > 1 << 20, "the fleet is over the old 1 MiB cap");
        var result = Mesh.Compile(text);
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics.Take(5)));
        var bundle = result.Bundles.Single();
        // One file a service (its Deployment, Service and ServiceAccount), one Mappings file a namespace.
        Assert.Equal(10_000, bundle.Files.Keys.Count(k => k.StartsWith("namespaces/ns", StringComparison.Ordinal) && k.Contains("/svc", StringComparison.Ordinal)));
        Assert.Equal(100, bundle.Files.Keys.Count(k => k.StartsWith("namespaces/ns", StringComparison.Ordinal) && k.EndsWith("/mappings.yaml", StringComparison.Ordinal)));
    }

    [Fact]
    public void Regression_a_ten_thousand_service_mesh_with_calls_gets_each_ports_callers()
    {
        // Every port's callers were found by searching every call and every workload (quadratic: seconds of resolving
        // and checking at this size); they are looked up now. What each port admits must not change with how.
        var result = Mesh.Compile(Mesh.Fleet(10_000, calls: true));
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics.Take(5)));
        var policies = ReadBack.Documents(result.Bundles.Single().Files["namespaces/ns5/policy.yaml"]);
        Assert.Equal(100, policies.Count(d => d.Str("kind") == "Server"));
        var callers = ReadBack.Object(policies, "MeshTLSAuthentication", "svc3-http").At("spec", "identityRefs") as YamlDotNet.RepresentationModel.YamlSequenceNode;
        // The gateway (a route), then the callers in the order the file declares them: svc3 of ns4 (the namesake in the
        // namespace before), svc2 and svc96 of ns5 (their svc(s+1) and svc(s+7)).
        Assert.Equal(["emissary/emissary-ingress", "ns4/svc3", "ns5/svc2", "ns5/svc96"],
            callers!.Children.Select(c => $"{c.Str("namespace")}/{c.Str("name")}"));
    }

    [Fact]
    public void A_file_over_the_cap_is_one_error_naming_its_size_and_the_cap()
    {
        var text = Mesh.Header + "# " + new string('x', (int)YamlLoader.MaxFileBytes) + "\n";
        var diagnostics = Mesh.Diagnostics(text);
        var d = Assert.Single(diagnostics);
        Assert.Equal("L2G0006", d.Code);
        Assert.Contains($"over the limit of {YamlLoader.MaxFileBytes} bytes", d.Message);
    }

    [Fact]
    public void Timings_name_every_stage_and_leave_the_bundle_as_it_was()
    {
        var timings = new StageTimings();
        var timed = Compiler.Compile([Path.Combine(Repo.Root, "examples", "emojivoto", "mesh.yaml")], timings: timings);
        var plain = Compiler.Compile([Path.Combine(Repo.Root, "examples", "emojivoto", "mesh.yaml")]);
        Assert.Equal(plain.Bundles.Single().Files, timed.Bundles.Single().Files);
        var printed = new StringWriter();
        timings.WriteTo(printed);
        var stages = printed.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToList();
        Assert.Equal(["load", "validate", "resolve", "render", "verify", "write", "stages", "process", "gc"], stages);
        Assert.True(timings[StageTimings.Render] > TimeSpan.Zero && timings[StageTimings.Validate] > TimeSpan.Zero, printed.ToString());
        // A stage that ran also says the processor time of its threads, how much memory the process had taken by its end
        // (the peak resident set), how much it allocated meanwhile, and the collector's pauses and collections in it.
        var render = printed.ToString().Split('\n').Single(l => l.StartsWith("timings: render", StringComparison.Ordinal));
        Assert.True(System.Text.RegularExpressions.Regex.Match(render, @"ms  cpu +(\d+\.\d) ms  peak +(\d+) MiB  allocated +(\d+) MiB  gc +\d+\.\d ms \(gen0 \d+ gen1 \d+ gen2 \d+\)$") is { Success: true } m
            && double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0 && int.Parse(m.Groups[2].Value) > 0, render);
        var process = printed.ToString().Split('\n').Single(l => l.StartsWith("timings: process", StringComparison.Ordinal));
        Assert.Matches(@"^timings: process +\d+\.\d ms  cpu +\d+\.\d ms$", process);
        // And what the garbage collector cost: its pauses, what was allocated, the collections of each generation.
        var gc = printed.ToString().Split('\n').Single(l => l.StartsWith("timings: gc", StringComparison.Ordinal));
        Assert.Matches(@"^timings: gc +\d+\.\d ms  paused; \d+ MiB allocated; collections: gen0 \d+ gen1 \d+ gen2 \d+$", gc);
    }

    [Fact]
    public void Each_file_is_checked_once_as_rendered_with_the_text_the_bundle_keeps_and_the_check_is_timed()
    {
        // emojivoto patches a workload: its file is checked after the patch, as it will be written.
        var mesh = Compiler.Compile([Path.Combine(Repo.Root, "examples", "emojivoto", "mesh.yaml")]).Meshes.Single().Resolved;
        Assert.Contains(mesh.Workloads, w => w.Patch is not null);
        var renderer = new BundleRenderer(new TemplateSource());
        var plain = renderer.Render(mesh, new DiagnosticBag())!;
        Assert.Equal(0, renderer.CheckShare);
        var seen = new System.Collections.Concurrent.ConcurrentBag<(string Path, string Content)>();
        var bundle = renderer.Render(mesh, new DiagnosticBag(), (path, content, _, at, diagnostics) =>
        {
            seen.Add((path, content));
            BundleVerifier.VerifyFile(path, content, at, diagnostics);
        })!;
        Assert.Equal(plain.Files, bundle.Files);
        Assert.Equal(bundle.Files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => (f.Key, f.Value)), seen.OrderBy(f => f.Path, StringComparer.Ordinal));
        Assert.InRange(renderer.CheckShare, double.Epsilon, 1);
    }

    [Fact]
    public void Moving_a_share_of_a_stage_keeps_the_sum_and_gives_the_other_stage_that_share()
    {
        var timings = new StageTimings();
        using (timings.Measure(StageTimings.Render))
        {
            _ = Compiler.Compile([Path.Combine(Repo.Root, "examples", "qotm", "mesh.yaml")]);
        }
        var before = timings[StageTimings.Render];
        timings.Move(StageTimings.Render, StageTimings.Verify, 0.25);
        // (Each stage's time is rounded to whole ticks of a TimeSpan on its own.)
        Assert.InRange((timings[StageTimings.Render] + timings[StageTimings.Verify] - before).Ticks, -1, 1);
        Assert.InRange(timings[StageTimings.Verify].Ticks, (long)(before.Ticks * 0.25) - 1, (long)(before.Ticks * 0.25) + 1);
        // The stage moved to is printed with its figures, as a measured one is.
        var printed = new StringWriter();
        timings.WriteTo(printed);
        Assert.Matches(@"timings: verify +\d+\.\d ms  cpu +\d+\.\d ms  peak", printed.ToString());
    }

    [Fact]
    public void Render_with_timings_prints_them_on_stderr_only()
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = InProcess.Cli(["render", "--timings", Path.Combine(Repo.Root, "examples", "qotm", "mesh.yaml"), "-o", dir.Path]);
        Assert.Equal(0, code);
        Assert.Equal("", stdout);
        Assert.Contains("timings: write", stderr);
        Assert.DoesNotContain(Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains("timings", StringComparison.Ordinal));
    }
}
