using CommandLine;

namespace Linkerd2Gen.Cli;

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
    [Option('o', "out", Default = "out", HelpText = "Output folder.")]
    public string Out { get; set; } = "out";

    [Option("check", HelpText = "Write nothing; exit 1 if the bundles on disk differ from what would be rendered.")]
    public bool Check { get; set; }

    [Option("force", HelpText = "Replace files in the way of the bundle that linkerd2gen did not write.")]
    public bool Force { get; set; }

    [Option("prune-clusters", HelpText = "Remove the bundles in OUT of clusters that are not in this run.")]
    public bool PruneClusters { get; set; }

    [Option("templates", HelpText = "Folder of template overrides (files named like the built-in templates).")]
    public string? Templates { get; set; }
}

[Verb("validate", HelpText = "Validate mesh files; write nothing.")]
public sealed class ValidateOptions : FilesOptions;

[Verb("diff", HelpText = "Show how the bundles on disk would change; write nothing.")]
public sealed class DiffOptions : FilesOptions
{
    [Option('o', "out", Default = "out", HelpText = "Output folder holding the current bundles.")]
    public string Out { get; set; } = "out";

    [Option("templates", HelpText = "Folder of template overrides.")]
    public string? Templates { get; set; }
}

[Verb("explain", HelpText = "Print the apply plan of a mesh file; write nothing.")]
public sealed class ExplainOptions : FilesOptions;

[Verb("check-access", HelpText = "A dry run of the rendered Linkerd policy: may --from call --to? Exit 0 allowed, 1 denied. Example: check-access mesh.yaml --from emojivoto/vote-bot --to emojivoto/emoji-svc:8080")]
public sealed class CheckAccessOptions : FilesOptions
{
    [Option("from", Required = true, HelpText = "The calling workload: NAMESPACE/WORKLOAD.")]
    public string From { get; set; } = "";

    [Option("to", Required = true, HelpText = "The called Service port: NAMESPACE/SERVICE:PORT (the Service's port number or name).")]
    public string To { get; set; } = "";
}

[Verb("schema", HelpText = "Print the JSON Schema of the mesh file.")]
public sealed class SchemaOptions;

[Verb("init", HelpText = "Write a starter mesh file.")]
public sealed class InitOptions
{
    [Value(0, MetaName = "FILE", Default = "mesh.yaml", HelpText = "Where to write it (never overwritten).")]
    public string File { get; set; } = "mesh.yaml";

    [Option("cluster", Default = "my-cluster", HelpText = "The cluster's name.")]
    public string Cluster { get; set; } = "my-cluster";
}
