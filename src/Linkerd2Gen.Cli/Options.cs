using CommandLine;
using CommandLine.Text;
using Linkerd2Gen.Pipeline;

namespace Linkerd2Gen.Cli;

/// <summary>How help prints a verb's examples: only what differs from the defaults.</summary>
internal static class ExampleStyle
{
    public static readonly UnParserSettings Quiet = new() { SkipDefault = true };
}

public abstract class FilesOptions
{
    [Value(0, MetaName = "FILE", Required = true, HelpText = "Mesh files, one per cluster.")]
    public IEnumerable<string> Files { get; set; } = [];

    [Option("format", Default = "text", HelpText = "Diagnostics format: text or json.")]
    public string Format { get; set; } = "text";
}

[Verb("render", HelpText = "Validate mesh files and render their bundles into OUT/<cluster>/.")]
public sealed class RenderOptions : FilesOptions
{
    [Usage(ApplicationAlias = "linkerd2gen")]
    public static IEnumerable<Example> Examples =>
    [
        new("Render the bundle of each mesh file into out/<cluster>/", ExampleStyle.Quiet, new RenderOptions { Files = ["examples/emojivoto/mesh.yaml"] }),
        new("In CI: fail when the committed bundles are stale", ExampleStyle.Quiet, new RenderOptions { Files = ["examples/emojivoto/mesh.yaml"], Check = true }),
        new("Print the built bundle, as kubectl kustomize would (an Argo CD plugin's generate)", ExampleStyle.Quiet, new RenderOptions { Files = ["examples/emojivoto/mesh.yaml"], Stdout = true }),
    ];

    [Option('o', "out", Default = Compiler.DefaultOutRoot, HelpText = "Output folder.")]
    public string Out { get; set; } = Compiler.DefaultOutRoot;

    [Option("check", HelpText = "Write nothing; exit 1 if the bundles on disk differ from what would be rendered.")]
    public bool Check { get; set; }

    [Option("stdout", HelpText = "Write nothing; print each bundle as kubectl kustomize would build it, as one YAML stream (for an Argo CD plugin or a pipe to kubectl).")]
    public bool Stdout { get; set; }

    [Option("cluster", HelpText = "With --stdout: print only this cluster's bundle (all mesh files are still checked together).")]
    public string? Cluster { get; set; }

    [Option("force", HelpText = "Replace files in the way of the bundle that linkerd2gen did not write.")]
    public bool Force { get; set; }

    [Option("prune-clusters", HelpText = "Remove the bundles in OUT of clusters that are not in this run.")]
    public bool PruneClusters { get; set; }

    [Option("templates", HelpText = "Folder of template overrides (files named like the built-in templates).")]
    public string? Templates { get; set; }

    [Option("timings", HelpText = "Print the time of each stage (load, validate, resolve, render, verify, write) to stderr.")]
    public bool Timings { get; set; }
}

[Verb("validate", HelpText = "Validate mesh files; write nothing.")]
public sealed class ValidateOptions : FilesOptions
{
    [Usage(ApplicationAlias = "linkerd2gen")]
    public static IEnumerable<Example> Examples =>
    [
        new("Check mesh files, with every finding at file:line:col", ExampleStyle.Quiet, new ValidateOptions { Files = ["east.yaml", "west.yaml"] }),
    ];

    [Option("timings", HelpText = "Print the time of each stage (load, validate, resolve, render, verify, write) to stderr.")]
    public bool Timings { get; set; }
}

[Verb("diff", HelpText = "Show how the bundles on disk would change; write nothing.")]
public sealed class DiffOptions : FilesOptions
{
    [Usage(ApplicationAlias = "linkerd2gen")]
    public static IEnumerable<Example> Examples =>
    [
        new("Review what a change to the mesh file would change in out/", ExampleStyle.Quiet, new DiffOptions { Files = ["examples/emojivoto/mesh.yaml"] }),
    ];

    [Option('o', "out", Default = Compiler.DefaultOutRoot, HelpText = "Output folder holding the current bundles.")]
    public string Out { get; set; } = Compiler.DefaultOutRoot;

    [Option("templates", HelpText = "Folder of template overrides.")]
    public string? Templates { get; set; }

    [Option("timings", HelpText = "Print the time of each stage (load, validate, resolve, render, verify, write) to stderr.")]
    public bool Timings { get; set; }
}

[Verb("explain", HelpText = "Print the apply plan of a mesh file; write nothing.")]
public sealed class ExplainOptions : FilesOptions
{
    [Usage(ApplicationAlias = "linkerd2gen")]
    public static IEnumerable<Example> Examples =>
    [
        new("Print the apply plan and who may call each port", ExampleStyle.Quiet, new ExplainOptions { Files = ["examples/emojivoto/mesh.yaml"] }),
    ];
}

[Verb("check-access", HelpText = "A dry run of the rendered Linkerd policy: may --from call --to? Exit 0 allowed, 1 denied.")]
public sealed class CheckAccessOptions : FilesOptions
{
    [Usage(ApplicationAlias = "linkerd2gen")]
    public static IEnumerable<Example> Examples =>
    [
        new("May vote-bot call emoji-svc's port 8080? (exit 0 allowed, 1 denied)", ExampleStyle.Quiet, new CheckAccessOptions { Files = ["examples/emojivoto/mesh.yaml"], From = "emojivoto/vote-bot", To = "emojivoto/emoji-svc:8080" }),
        new("Across clusters: may west's client call east's catalog? (both files, so the link and the export are known)", ExampleStyle.Quiet,
            new CheckAccessOptions { Files = ["east.yaml", "west.yaml"], From = "west/apps/client", To = "east/shop/catalog:8080" }),
    ];

    [Option("from", Required = true, HelpText = "The calling workload: [CLUSTER/]NAMESPACE/WORKLOAD.")]
    public string From { get; set; } = "";

    [Option("to", Required = true, HelpText = "The called Service port: [CLUSTER/]NAMESPACE/SERVICE:PORT (the Service's port number or name; without a cluster, in the caller's).")]
    public string To { get; set; } = "";
}

[Verb("schema", HelpText = "Print the JSON Schema of the mesh file.")]
public sealed class SchemaOptions
{
    [Usage(ApplicationAlias = "linkerd2gen")]
    public static IEnumerable<Example> Examples =>
    [
        new("Print the mesh file's JSON Schema (for an editor's completion)", ExampleStyle.Quiet, new SchemaOptions()),
    ];
}

[Verb("init", HelpText = "Write a starter mesh file.")]
public sealed class InitOptions
{
    [Usage(ApplicationAlias = "linkerd2gen")]
    public static IEnumerable<Example> Examples =>
    [
        new("Start a mesh file for the cluster east", ExampleStyle.Quiet, new InitOptions { File = "east.yaml", Cluster = "east" }),
    ];

    [Value(0, MetaName = "FILE", Default = "mesh.yaml", HelpText = "Where to write it (never overwritten).")]
    public string File { get; set; } = "mesh.yaml";

    [Option("cluster", Default = "my-cluster", HelpText = "The cluster's name.")]
    public string Cluster { get; set; } = "my-cluster";
}
