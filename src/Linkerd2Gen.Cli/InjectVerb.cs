using CommandLine;
using Linkerd2Gen.Diagnostics;
using Linkerd2Gen.Inject;
using Linkerd2Gen.Linkerd;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Cli;

[Verb("inject", HelpText = "Offline `linkerd inject` (annotation mode, as the CLI of --linkerd-version with --ignore-cluster): add Linkerd's pod-template annotations to the workloads of FILEs, folders or - (standard input); the report goes to standard error.")]
public sealed class InjectVerbOptions
{
    [CommandLine.Text.Usage(ApplicationAlias = "linkerd2gen")]
    public static IEnumerable<CommandLine.Text.Example> Examples =>
    [
        new("Inject a folder of manifests, as `linkerd inject` would", ExampleStyle.Quiet, new InjectVerbOptions { Inputs = ["k8s/"] }),
        new("Inject standard input for Linkerd 2.18, with an opaque port", ExampleStyle.Quiet, new InjectVerbOptions { Inputs = ["-"], LinkerdVersion = "2.18", OpaquePorts = "5432" }),
    ];

    [Value(0, MetaName = "FILE|DIR|-", HelpText = "Files, folders (recursively: *.yaml, *.yml, *.json) or - for standard input [-].")]
    public IEnumerable<string> Inputs { get; set; } = [];

    [Option("linkerd-version", HelpText = "Behave as this Linkerd version's CLI: 2.18, 2.19 or 2.20 [2.20].")]
    public string? LinkerdVersion { get; set; }

    [Option("ignore-cluster", HelpText = "Accepted as linkerd takes it: offline inject always starts from the chart defaults.")]
    public bool IgnoreCluster { get; set; }

    [Option('o', "output", Default = "yaml", HelpText = "Output format: yaml or json (one compact JSON document a line).")]
    public string Output { get; set; } = "yaml";

    [Option("proxy-cpu", Hidden = true, HelpText = "Deprecated: use --proxy-cpu-request.")]
    public string? ProxyCpu { get; set; }

    [Option("proxy-memory", Hidden = true, HelpText = "Deprecated: use --proxy-memory-request.")]
    public string? ProxyMemory { get; set; }

    [Option('v', Hidden = true)]
    public bool ShortV { get; set; }

    [Option("ingress", HelpText = "Mesh as an ingress: linkerd.io/inject: ingress.")]
    public bool Ingress { get; set; }

    [Option("verbose", HelpText = "Print the passing checks too.")]
    public bool Verbose { get; set; }

    [Option("skip-inbound-ports", HelpText = "Inbound ports and ranges that bypass the proxy, comma-separated.")]
    public string? SkipInboundPorts { get; set; }

    [Option("skip-outbound-ports", HelpText = "Outbound ports and ranges that bypass the proxy, comma-separated.")]
    public string? SkipOutboundPorts { get; set; }

    [Option("require-identity-on-inbound-ports", HelpText = "Inbound ports that accept only mTLS-authenticated clients.")]
    public string? RequireIdentityOnInboundPorts { get; set; }

    [Option("opaque-ports", HelpText = "Ports, ranges or port names proxied as opaque TCP.")]
    public string? OpaquePorts { get; set; }

    [Option("admin-port", HelpText = "Proxy admin port [4191].")]
    public string? AdminPort { get; set; }

    [Option("control-port", HelpText = "Proxy control port [4190].")]
    public string? ControlPort { get; set; }

    [Option("inbound-port", HelpText = "Proxy inbound port [4143].")]
    public string? InboundPort { get; set; }

    [Option("outbound-port", HelpText = "Proxy outbound port [4140].")]
    public string? OutboundPort { get; set; }

    [Option("proxy-cpu-request", HelpText = "Proxy CPU request (a quantity).")]
    public string? ProxyCpuRequest { get; set; }

    [Option("proxy-cpu-limit", HelpText = "Proxy CPU limit (a quantity).")]
    public string? ProxyCpuLimit { get; set; }

    [Option("proxy-memory-request", HelpText = "Proxy memory request (a quantity).")]
    public string? ProxyMemoryRequest { get; set; }

    [Option("proxy-memory-limit", HelpText = "Proxy memory limit (a quantity).")]
    public string? ProxyMemoryLimit { get; set; }

    [Option("proxy-uid", HelpText = "Proxy user id [2102].")]
    public string? ProxyUid { get; set; }

    [Option("proxy-gid", HelpText = "Proxy group id.")]
    public string? ProxyGid { get; set; }

    [Option("proxy-log-level", HelpText = "Proxy log level [warn,linkerd=info].")]
    public string? ProxyLogLevel { get; set; }

    [Option("image-pull-policy", HelpText = "Always, IfNotPresent or Never [IfNotPresent].")]
    public string? ImagePullPolicy { get; set; }

    [Option("proxy-image", HelpText = "Proxy image, without tag.")]
    public string? ProxyImage { get; set; }

    [Option("proxy-version", HelpText = "Proxy image tag.")]
    public string? ProxyVersion { get; set; }

    [Option("init-image", HelpText = "proxy-init image, without tag.")]
    public string? InitImage { get; set; }

    [Option("init-image-version", HelpText = "proxy-init image tag.")]
    public string? InitImageVersion { get; set; }

    [Option("registry", HelpText = "Registry of the proxy, proxy-init and debug images [$LINKERD_DOCKER_REGISTRY].")]
    public string? Registry { get; set; }

    [Option("enable-external-profiles", HelpText = "Let the proxy use service profiles of services outside the cluster.")]
    public bool EnableExternalProfiles { get; set; }

    [Option("enable-debug-sidecar", HelpText = "Add the debug sidecar.")]
    public bool EnableDebugSidecar { get; set; }

    [Option("default-inbound-policy", HelpText = "all-unauthenticated, all-authenticated, cluster-unauthenticated, cluster-authenticated, deny or audit.")]
    public string? DefaultInboundPolicy { get; set; }

    [Option("close-wait-timeout", HelpText = "Proxy close-wait timeout (a duration, e.g. 1m).")]
    public string? CloseWaitTimeout { get; set; }

    [Option("wait-before-exit-seconds", HelpText = "Seconds the proxy waits before exiting.")]
    public string? WaitBeforeExitSeconds { get; set; }

    [Option("native-sidecar", HelpText = "Run the proxy as a native sidecar (Kubernetes 1.29+): --native-sidecar, or --native-sidecar=false [false; true from 2.20].")]
    public bool NativeSidecar { get; set; }

    /// <summary>--native-sidecar=false (pflag's form for a false boolean), turned into this by <see cref="Normalise"/>.</summary>
    [Option("no-native-sidecar", Hidden = true)]
    public bool NoNativeSidecar { get; set; }

    /// <summary>pflag reads booleans as --flag or --flag=true|false; CommandLineParser switches take no value.</summary>
    public static string[] Normalise(string[] args) => args.Select(a => a switch
    {
        "--native-sidecar=true" => "--native-sidecar",
        "--native-sidecar=false" => "--no-native-sidecar",
        _ => a,
    }).ToArray();

    /// <summary>The flags given, by proxy setting field.</summary>
    public Dictionary<string, string> Values()
    {
        var values = new Dictionary<string, string>();
        void Add(string field, string? value) { if (value is not null) values[field] = value; }
        Add("skipInboundPorts", SkipInboundPorts);
        Add("skipOutboundPorts", SkipOutboundPorts);
        Add("requireIdentityOnInboundPorts", RequireIdentityOnInboundPorts);
        Add("opaquePorts", OpaquePorts);
        Add("adminPort", AdminPort);
        Add("controlPort", ControlPort);
        Add("inboundPort", InboundPort);
        Add("outboundPort", OutboundPort);
        Add("cpuRequest", ProxyCpuRequest ?? ProxyCpu);
        Add("cpuLimit", ProxyCpuLimit);
        Add("memoryRequest", ProxyMemoryRequest ?? ProxyMemory);
        Add("memoryLimit", ProxyMemoryLimit);
        Add("uid", ProxyUid);
        Add("gid", ProxyGid);
        Add("logLevel", ProxyLogLevel);
        Add("imagePullPolicy", ImagePullPolicy);
        Add("image", ProxyImage);
        Add("version", ProxyVersion);
        Add("initImage", InitImage);
        Add("initImageVersion", InitImageVersion);
        Add("defaultInboundPolicy", DefaultInboundPolicy);
        Add("closeWaitTimeout", CloseWaitTimeout);
        Add("waitBeforeExitSeconds", WaitBeforeExitSeconds);
        if (EnableExternalProfiles) Add("enableExternalProfiles", "true");
        if (EnableDebugSidecar) Add("enableDebugSidecar", "true");
        if (NativeSidecar) Add("nativeSidecar", "true");
        if (NoNativeSidecar) Add("nativeSidecar", "false");
        return values;
    }
}

public static class InjectCommand
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static int Run(InjectVerbOptions o, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (o.ShortV)
        {
            stderr.WriteLine(DiagnosticCatalog.InjectFlagUnknownShorthand("v", "--verbose"));
            return Cli.Usage;
        }
        if (o.Output is not ("yaml" or "json"))
        {
            stderr.WriteLine(DiagnosticCatalog.InjectFlagInvalid("output", $"'{o.Output}' is not yaml or json"));
            return Cli.Usage;
        }
        var version = o.LinkerdVersion is null ? InjectFlags.Versions[^1] : InjectFlags.Versions.FirstOrDefault(v => v.ToString() == o.LinkerdVersion);
        if (version == default)
        {
            stderr.WriteLine(DiagnosticCatalog.InjectVersionUnsupported(o.LinkerdVersion!, $"{InjectFlags.Versions[0]} … {InjectFlags.Versions[^1]}"));
            return Cli.Usage;
        }
        // cobra's words for a deprecated flag, which still works.
        if (o.ProxyCpu is not null) stderr.WriteLine("Flag --proxy-cpu has been deprecated, use --proxy-cpu-request instead");
        if (o.ProxyMemory is not null) stderr.WriteLine("Flag --proxy-memory has been deprecated, use --proxy-memory-request instead");
        var values = o.Values();
        InjectFlags.ApplyRegistry(values, o.Registry ?? Environment.GetEnvironmentVariable("LINKERD_DOCKER_REGISTRY"), version);
        var (overrides, error) = InjectFlags.Overrides(values, version);
        if (error is not null)
        {
            stderr.WriteLine(error);
            return Cli.Usage;
        }
        var inputs = new List<string>();
        foreach (var input in o.Inputs.DefaultIfEmpty("-"))
        {
            try
            {
                if (input == "-")
                {
                    inputs.Add(StandardInput.ReadAll(stdin));
                }
                else if (Directory.Exists(input))
                {
                    inputs.AddRange(ManifestsBelow(input).Select(Read));
                }
                else if (File.Exists(input))
                {
                    inputs.Add(TextFile.Read(input));
                }
                else
                {
                    stderr.WriteLine(DiagnosticCatalog.InjectInputMissing(SourceLocation.WholeFile(input)));
                    return Cli.Findings;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine(DiagnosticCatalog.InjectInputUnreadable(SourceLocation.WholeFile(input), e.Message));
                return Cli.Findings;
            }
        }
        var result = Injector.Inject(inputs, new InjectOptions(o.Ingress, overrides!, o.Verbose), o.Output == "json");
        stdout.Write(result.Output);
        stderr.Write(result.Report);
        return result.ExitCode;
    }

    /// <summary>A file below a folder given, read within the cap of every input (linkerd sets none, but a device or a pipe
    /// without end, /dev/zero, must not be read until memory runs out): the reason names it.</summary>
    private static string Read(string file)
    {
        try
        {
            return TextFile.Read(file);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new IOException($"{file}: {e.Message}", e);
        }
    }

    /// <summary>Like linkerd: every manifest below the folder, in lexical order. Symbolic links to folders are followed,
    /// each real folder once, so a link loop cannot repeat or hang the stream.</summary>
    private static IEnumerable<string> ManifestsBelow(string root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<string>();
        void Walk(string dir)
        {
            var real = new DirectoryInfo(dir).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(dir);
            if (!seen.Add(real.TrimEnd(Path.DirectorySeparatorChar))) return;
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
            {
                if (Directory.Exists(entry)) Walk(entry);
                else if (Extensions.Contains(Path.GetExtension(entry))) files.Add(entry);
            }
        }
        Walk(root);
        return files.Order(StringComparer.Ordinal);
    }
}
