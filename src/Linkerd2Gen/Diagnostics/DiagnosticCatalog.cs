namespace Linkerd2Gen.Diagnostics;

/// <summary>
/// The one catalogue of diagnostics. Codes are stable: never reuse or renumber one.
/// L2G00xx input files and YAML, L2G01xx schema, L2G02xx semantic rules, L2G03xx corrections of the
/// guide's literal values, L2G05xx output and the command line, L2G06xx inject, L2G09xx internal errors (bugs).
/// No code is written anywhere else: a test scans the sources for L2G literals outside this file.
/// </summary>
public static class DiagnosticCatalog
{
    private static Diagnostic Error(string code, SourceLocation at, string message, string? hint = null) => new(code, Severity.Error, message, at, hint);
    private static Diagnostic Warning(string code, SourceLocation at, string message, string? hint = null) => new(code, Severity.Warning, message, at, hint);

    // ---- L2G00xx: files and YAML -------------------------------------------------------------
    public static Diagnostic FileNotFound(SourceLocation at) =>
        Error("L2G0001", at, "file not found or not readable", "check the path; paths are relative to the current folder");
    public static Diagnostic FileUnreadable(SourceLocation at, string reason) =>
        Error("L2G0017", at, $"the file cannot be read: {reason}", "check that it is a readable file; a symbolic link must lead to one");
    public static Diagnostic EmptyFile(SourceLocation at) =>
        Error("L2G0002", at, "the file holds no YAML document", "start from `linkerd2gen init`");
    public static Diagnostic YamlSyntax(SourceLocation at, string problem) =>
        Error("L2G0003", at, $"YAML syntax error: {problem}", "check indentation and quoting around this position");
    public static Diagnostic DuplicateKey(SourceLocation at, string key, SourceLocation first) =>
        Error("L2G0004", at, $"duplicate key '{key}'", $"the first '{key}' is at line {first.Line}; keep one");
    public static Diagnostic AliasRefused(SourceLocation at) =>
        Error("L2G0005", at, "YAML anchors and aliases are not accepted", "write the value out in full; aliases hide what a reviewer reads and allow alias bombs");
    /// <param name="size">Null for a stream (a device, a pipe), read only up to the limit.</param>
    public static Diagnostic FileTooLarge(SourceLocation at, long? size, long limit) =>
        Error("L2G0006", at, size is { } bytes ? $"the file is {bytes} bytes, over the limit of {limit} bytes" : $"the file holds more than the limit of {limit} bytes", "one cluster's mesh file is small; split it per cluster");
    public static Diagnostic MultipleDocuments(SourceLocation at) =>
        Error("L2G0007", at, "more than one YAML document in the file", "write one Mesh per file, one file per cluster");
    public static Diagnostic NotAMapping(SourceLocation at) =>
        Error("L2G0008", at, "the document must be a mapping (key: value pairs)", "start from `linkerd2gen init`");
    public static Diagnostic NestingTooDeep(SourceLocation at, int limit) =>
        Error("L2G0009", at, $"nesting deeper than {limit} levels", "a mesh file needs only a few levels");
    public static Diagnostic WrongApiVersion(SourceLocation at, string? found, string expected) =>
        Error("L2G0010", at, $"apiVersion must be '{expected}', found {Show(found)}", $"write `apiVersion: {expected}`");
    public static Diagnostic WrongKind(SourceLocation at, string? found, string expected) =>
        Error("L2G0011", at, $"kind must be '{expected}', found {Show(found)}", $"write `kind: {expected}`");
    public static Diagnostic ComplexKey(SourceLocation at) =>
        Error("L2G0012", at, "mapping keys must be plain scalars", "use a simple name as the key");
    public static Diagnostic YamlDialectsDisagree(SourceLocation at, string text, string yaml12, string yaml11) =>
        Warning("L2G0014", at, $"{text} is {yaml12} in YAML 1.2 (this file) but {yaml11} in YAML 1.1 (kubectl, go-yaml)", $"quote it (\"{text}\") if you mean the text, or write it so both read it alike");
    public static Diagnostic PathIsAFolder(SourceLocation at) =>
        Error("L2G0015", at, "this is a folder, not a mesh file", "name the mesh files, e.g. folder/*.yaml");
    public static Diagnostic FileGivenTwice(SourceLocation at) =>
        Warning("L2G0016", at, "this file is given twice; it is read once", "name each mesh file once");
    public static Diagnostic DuplicateCluster(SourceLocation at, string name, SourceLocation first) =>
        Error("L2G0013", at, $"cluster '{name}' is also defined in {first.File}", "each file must have its own metadata.name");

    // ---- L2G01xx: schema ---------------------------------------------------------------------
    public static Diagnostic UnknownField(SourceLocation at, string field, string where, string? suggestion, IEnumerable<string> allowed) =>
        Error("L2G0100", at, $"unknown field '{field}' in {where}",
            suggestion is not null ? $"did you mean '{suggestion}'?" : $"allowed here: {string.Join(", ", allowed)}");
    public static Diagnostic WrongType(SourceLocation at, string field, string expected, string found, string? hint) =>
        Error("L2G0101", at, $"{field} must be {expected}, found {found}", hint);
    public static Diagnostic MissingField(SourceLocation at, string field, string where, string? description) =>
        Error("L2G0102", at, $"missing required field '{field}' in {where}", description);
    public static Diagnostic NotAllowedValue(SourceLocation at, string field, string value, IEnumerable<string> allowed, string? suggestion) =>
        Error("L2G0103", at, $"{field} cannot be {value}",
            suggestion is not null ? $"did you mean '{suggestion}'? allowed: {string.Join(", ", allowed)}" : $"allowed: {string.Join(", ", allowed)}");
    public static Diagnostic PatternMismatch(SourceLocation at, string field, string value, string? description) =>
        Error("L2G0104", at, $"{field} has an invalid value {value}", description);
    public static Diagnostic OutOfRange(SourceLocation at, string field, string value, string range) =>
        Error("L2G0105", at, $"{field} is {value}, out of range", $"allowed: {range}");
    public static Diagnostic SchemaOther(SourceLocation at, string field, string message) =>
        Error("L2G0106", at, $"{field}: {message}", "see `linkerd2gen schema` for the input format");
    public static Diagnostic WrongLength(SourceLocation at, string field, string problem, string? description) =>
        Error("L2G0107", at, $"{field} {problem}", description);

    public static Diagnostic UnsupportedLinkerdVersion(SourceLocation at, string version, string oldest, string newest) =>
        Error("L2G0108", at, $"Linkerd {version} is not a supported linkerd.version", $"supported: \"{oldest}\" … \"{newest}\" (quoted); use the version your cluster runs");

    // ---- L2G02xx: semantic rules -------------------------------------------------------------
    public static Diagnostic InvalidName(SourceLocation at, string what, string name, int maxLength) =>
        Error("L2G0200", at, $"{what} '{name}' is not a valid Kubernetes name",
            $"use at most {maxLength} lower-case letters, digits and '-', starting and ending with a letter or digit (RFC 1123)");
    public static Diagnostic DuplicateName(SourceLocation at, string what, string name, SourceLocation first) =>
        Error("L2G0201", at, $"{what} '{name}' is declared twice", $"the first is at line {first.Line}; names must be unique");
    public static Diagnostic PrefixNotAbsolute(SourceLocation at, string prefix) =>
        Error("L2G0202", at, $"route prefix '{prefix}' must start with '/'", $"write '/{prefix.TrimStart('/')}'");
    public static Diagnostic UnknownPortReference(SourceLocation at, string port, IEnumerable<string> declared) =>
        Error("L2G0203", at, $"port '{port}' is not a port of this service", $"declared ports: {string.Join(", ", declared)}");
    public static Diagnostic PortClash(SourceLocation at, string what, int port, SourceLocation first) =>
        Error("L2G0204", at, $"{what} {port} is used twice", $"the first is at line {first.Line}");
    public static Diagnostic TargetHostMustRoute(SourceLocation at, string host, string action) =>
        Error("L2G0205", at, $"host '{host}' is set to {action} insecure requests, but this cluster is a multicluster target",
            "Linkerd delivers mirrored traffic as plain HTTP to the gateway; set `insecure: Route` (or leave it out)");
    public static Diagnostic MissingImage(SourceLocation at, string service) =>
        Error("L2G0206", at, $"service '{service}' has no image", "give an `image`, or set `existing: true` if the Service already exists in the cluster");
    public static Diagnostic ExistingWithWorkload(SourceLocation at, string service, string field) =>
        Warning("L2G0207", at, $"'{field}' of existing service '{service}' is ignored: nothing but its routes and patches is emitted", $"remove '{field}' or drop `existing: true`");
    public static Diagnostic DuplicateRoute(SourceLocation at, string hostname, string prefix, SourceLocation first) =>
        Error("L2G0208", at, $"a route for hostname '{hostname}' and prefix '{prefix}' is declared twice", $"the first is at line {first.Line}; Emissary would pick one at random");
    public static Diagnostic NeedsVersion(SourceLocation at, string feature, string minVersion, string version) =>
        Error("L2G0209", at, $"{feature} needs Linkerd {minVersion} or later; linkerd.version is {version}", $"raise linkerd.version to {minVersion}+ or remove it");
    public static Diagnostic InvalidSettingValue(SourceLocation at, string field, string value, string expected) =>
        Error("L2G0211", at, $"{field} cannot be '{value}'", $"expected {expected}");
    public static Diagnostic InvalidEnvName(SourceLocation at, string name) =>
        Error("L2G0212", at, $"environment variable name '{name}' is not valid", "use letters, digits, '_', '-' and '.', not starting with a digit");
    public static Diagnostic RoleFieldUnused(SourceLocation at, string field, string role) =>
        Warning("L2G0213", at, $"'{field}' has no effect when multicluster.role is {role}", "remove it, or change the role");
    public static Diagnostic ReservedProxyPort(SourceLocation at, int port) =>
        Error("L2G0214", at, $"port {port} is reserved by the Linkerd proxy", "Linkerd's proxy listens on 4140, 4143, 4190 and 4191 in every meshed pod; pick another port");
    public static Diagnostic HostnameInvalid(SourceLocation at, string hostname) =>
        Error("L2G0215", at, $"hostname '{hostname}' is not a valid DNS name or glob", "use a DNS name such as host.example.com, '*' or '*.example.com'");
    public static Diagnostic HostRedirectWithoutTls(SourceLocation at, string host) =>
        Warning("L2G0217", at, $"host '{host}' redirects cleartext requests to HTTPS, but has no TLS certificate and no ACME",
            "give it a `tlsSecret`, or set `insecure: Route` to serve plain HTTP");

    public static Diagnostic BaseNotAKustomization(SourceLocation at, string path, string field = "gateway.base") =>
        Error("L2G0218", at, $"{field} '{path}' is not a folder with a kustomization.yaml",
            "point it at the folder of the manifests' own kustomization (e.g. `helm template` output listed in a kustomization.yaml)");
    public static Diagnostic PatchTargetMissing(SourceLocation at, string patch, string target) =>
        Error("L2G0219", at, $"patch {patch} targets {target}, which gateway.base does not contain",
            "Kustomize would skip this patch silently; check gateway.name and gateway.namespace against the base");
    public static Diagnostic PatchDoesNotApplyToBase(SourceLocation at, string patch, string target, string message) =>
        Error("L2G0220", at, $"patch {patch} does not apply to {target} of gateway.base: {message}",
            "check gateway.ports against the Service in the base: index-based operations are guarded by test operations");
    public static Diagnostic BaseUnreadable(SourceLocation at, string file, string message) =>
        Error("L2G0221", at, $"could not read {file} of the base: {message}", "a base must hold valid Kubernetes YAML, and its kustomization name what is there");
    public static Diagnostic BaseNotBuilt(SourceLocation at, string file, string problem) =>
        Warning("L2G0248", at, $"{file} of the base {problem}",
            "the bundle still includes the base whole (Kustomize builds it); only what linkerd2gen reads of it (existing services, workloads to mesh, the gateway's shape) misses this");
    /// <param name="what">What names the cluster: "remote" or "call".</param>
    public static Diagnostic RemoteClusterNotInRun(SourceLocation at, string cluster, string what = "remote") =>
        Warning("L2G0222", at, $"cluster '{cluster}' is not in this run: this {what} is not checked against its exports",
            $"render both files together (`linkerd2gen render this.yaml {cluster}.yaml`) to check it and to take the mirror's port from the export");
    public static Diagnostic RemoteNotExported(SourceLocation at, string service, string @namespace, string cluster, string file) =>
        Error("L2G0223", at, $"service '{@namespace}/{service}' is not exported by cluster '{cluster}' ({file})",
            $"add `export: true` to that service in {file}, or correct the remote's namespace and service");
    public static Diagnostic ProbePortNotAGatewayPort(SourceLocation at, int port, IEnumerable<int> ports) =>
        Error("L2G0224", at, $"the multicluster probe port {port} is not a port of the gateway Service",
            $"the probe port is renamed mc-probe; pick one of the gateway ports: {string.Join(", ", ports)}");
    public static Diagnostic SettingNotInVersion(SourceLocation at, string feature, string versions, string version, string? instead) =>
        Error("L2G0226", at, $"{feature} is not read by Linkerd {version}: only {versions} has it",
            instead ?? "remove it, or set linkerd.version to the version your cluster runs");
    public static Diagnostic NativeSidecarWithWaitBeforeExit(SourceLocation at, string version) =>
        Error("L2G0227", at, $"proxy.nativeSidecar and proxy.waitBeforeExitSeconds cannot be used together on Linkerd {version}: its proxy injector refuses the pod",
            "drop waitBeforeExitSeconds (a native sidecar outlives the app containers), or move to Linkerd 2.20, which ignores it there");
    public static Diagnostic WaitBeforeExitIgnored(SourceLocation at) =>
        Warning("L2G0228", at, "proxy.waitBeforeExitSeconds is ignored on Linkerd 2.20 while the proxy runs as a native sidecar (the default)",
            "set proxy.nativeSidecar: false to keep the preStop wait, or drop waitBeforeExitSeconds");
    public static Diagnostic RouteToServiceWithoutPorts(SourceLocation at, string service) =>
        Error("L2G0229", at, $"service '{service}' has no ports, so it has no Service a route could reach", "give it ports, or remove the route");
    public static Diagnostic ProbeKind(SourceLocation at, string found) =>
        Error("L2G0230", at, $"a probe needs exactly one of path (httpGet), tcp, grpc or exec; this one has {found}", "e.g. {path: /ready, port: http} or {tcp: http} or {grpc: 9090} or {exec: [cat, /tmp/ready]}");
    public static Diagnostic MappingFieldGenerated(SourceLocation at, string field) =>
        Error("L2G0231", at, $"mapping.{field} is a field linkerd2gen writes itself", "set it with the route's own fields (prefix, hostname, port, rewrite, timeoutMs, grpc, weight, headers, hostRewrite)");
    public static Diagnostic FieldHasNoEffect(SourceLocation at, string field, string why) =>
        Warning("L2G0232", at, $"'{field}' has no effect here: {why}", $"remove '{field}'");
    public static Diagnostic PatchFieldInvalid(SourceLocation at, string field, string problem) =>
        Error("L2G0233", at, $"{field}: {problem}", "write the fields of the Kubernetes object as kubectl explain shows them (e.g. spec.template.spec.securityContext)");
    public static Diagnostic BaseHasNamespace(SourceLocation at, string @namespace) =>
        Error("L2G0234", at, $"the base creates Namespace '{@namespace}' too", "set `create: false`: its Linkerd annotations then come as a patch of the base's Namespace");
    public static Diagnostic ExistingNotInBase(SourceLocation at, string service, IEnumerable<string> found) =>
        Error("L2G0235", at, $"service '{service}' is not in this namespace's base",
            found.Any() ? $"the base has the Services {string.Join(", ", found)}" : "the base has no Service in this namespace");
    public static Diagnostic CallTargetUnknown(SourceLocation at, string target, IEnumerable<string> known) =>
        Error("L2G0237", at, $"'{target}' is no service this workload could call", known.Any() ? $"services there: {string.Join(", ", known)}" : "declare the service, or correct the namespace");
    public static Diagnostic CallTargetWithoutPorts(SourceLocation at, string target) =>
        Error("L2G0238", at, $"'{target}' has no ports, so nothing can call it", "give it ports, or remove the call");
    public static Diagnostic PortNobodyMayCall(SourceLocation at, string service, string port) =>
        Warning("L2G0239", at, $"under policy.mode: calls, nobody may call port '{port}' of '{service}'", "add a route, a calls entry of a caller, or an allow entry, or remove the port");
    public static Diagnostic ProbeDeniedByPolicy(SourceLocation at, string kind, string port) =>
        Warning("L2G0240", at, $"a {kind} probe of port '{port}' is denied by its Linkerd policy: Linkerd authorizes only httpGet probes by itself", "probe with httpGet, or allow the kubelet's network with an allow entry of your own");
    public static Diagnostic AdminServerForProbes(SourceLocation at, string service) =>
        Warning("L2G0241", at, $"on Linkerd 2.11 the kubelet's probes of '{service}' pass the proxy's admin port, which a Server admitting unauthenticated clients now opens",
            "Linkerd 2.12+ authorizes httpGet probes by itself; raise linkerd.version to drop this Server");
    public static Diagnostic CallerIdentityUnknown(SourceLocation at, string service) =>
        Error("L2G0242", at, $"the calls of existing service '{service}' need the ServiceAccount of its pods, and no base shows it",
            "give the namespace a base that holds the service's workload, or declare the service here instead of `existing`");
    public static Diagnostic ExistingUnguarded(SourceLocation at, string service) =>
        Warning("L2G0243", at, $"under policy.mode: calls, existing service '{service}' stays unguarded: without its namespace's base nothing shows its pods",
            "give the namespace a base (its manifests): its ports then get Servers admitting exactly their callers; or write its Server yourself");
    public static Diagnostic CallNeedsSourceRole(SourceLocation at, string cluster, string role) =>
        Error("L2G0244", at, $"a call to cluster '{cluster}' needs this cluster linked to it, and only a source links: multicluster.role is {role} here",
            "set multicluster.role: source (or both): the bundle's plan then links the called cluster, whose export is mirrored here");
    public static Diagnostic PolicyInUnmeshedNamespace(SourceLocation at, string @namespace) =>
        Warning("L2G0245", at, $"under policy.mode: calls, namespace '{@namespace}' is not meshed: Linkerd enforces Servers only in meshed pods, so its ports stay open to every client",
            "set `inject: enabled` on the namespace");
    /// <param name="refusal">Who refuses the call, and why: the target's policy, or another cluster.</param>
    public static Diagnostic CallsFromUnmeshedNamespace(SourceLocation at, string workload, string @namespace, string refusal) =>
        Warning("L2G0246", at, $"the calls of '{workload}' carry no identity: namespace '{@namespace}' is not meshed, {refusal}",
            $"set `inject: enabled` on namespace '{@namespace}'");
    /// <param name="refusals">Linkerd's reasons (its report's words), e.g. "hostNetwork is enabled".</param>
    public static Diagnostic CallsFromUninjectable(SourceLocation at, string workload, string refusals, string refusal) =>
        Warning("L2G0250", at, $"the calls of '{workload}' carry no identity: Linkerd injects no proxy into its pods ({refusals}), {refusal}",
            "run its pods off the host network (and without another mesh's sidecar) to mesh them, or admit them by the policy of what they call");
    public static Diagnostic BaseWorkloadNeverMeshed(SourceLocation at, string kind, string name, string @namespace, string refusals) =>
        Warning("L2G0249", at, $"the {kind} '{name}' in the base of namespace '{@namespace}' is to be meshed, but Linkerd never injects its pods: {refusals}; they carry no identity, and no proxy polices what they serve",
            "run its pods off the host network (and without another mesh's sidecar), or annotate its pod template `linkerd.io/inject: disabled` to say it stays outside the mesh");
    public static Diagnostic MeshedJobNeverCompletes(SourceLocation at, string kind, string name, string @namespace, string version) =>
        Warning("L2G0247", at, $"the {kind} '{name}' in the base of namespace '{@namespace}' is meshed, and its pods will not complete: on Linkerd {version} without native sidecars the proxy keeps running after the job's containers exit",
            "set `proxy: {nativeSidecar: true}` on the namespace (Linkerd 2.15+, Kubernetes 1.29+; the default from 2.20), or annotate the job's pod template `linkerd.io/inject: disabled`");
    public static Diagnostic RemoteClusterNotTarget(SourceLocation at, string cluster, string role, string file) =>
        Warning("L2G0225", at, $"cluster '{cluster}' ({file}) has multicluster.role {role}: linked clusters mirror nothing of it",
            $"set `multicluster.role: target` (or both) in {file}");

    // ---- L2G03xx: the guide's literal values -------------------------------------------------
    public static Diagnostic GuidePort4183(SourceLocation at) =>
        Warning("L2G0300", at, "port 4183 is no Linkerd port: requiring identity on it protects nothing",
            "the proxy's inbound port (and the multicluster gateway port) is 4143; Linkerd's own docs corrected the guide's 4183 to 4143");
    public static Diagnostic GuideSkipPorts80443(SourceLocation at, string containerPorts) =>
        Warning("L2G0301", at, "skipping inbound ports 80/443 has no effect: the gateway's pods listen on " + containerPorts,
            "skip-inbound-ports matches the pod's port; leave skipInboundPorts out to skip the gateway's container ports");
    public static Diagnostic EmissaryAsMulticlusterGateway(SourceLocation at, string version) =>
        Warning("L2G0302", at, $"Emissary as Linkerd's multicluster gateway is the guide's Linkerd 2.8 design; Linkerd {version} no longer documents it",
            "Linkerd's probe of the gateway goes through Envoy and can fail (linkerd2#7612), and a failing probe marks every mirrored endpoint not ready; prefer `export: remote-discovery` (2.14+, no gateway) or Linkerd's own linkerd-gateway");

    // ---- L2G05xx: output ---------------------------------------------------------------------
    public static Diagnostic OutputDrift(SourceLocation at, string detail) =>
        Error("L2G0500", at, $"the committed bundle is out of date: {detail}", "run `linkerd2gen render` and commit the result");
    public static Diagnostic OutputWriteFailed(SourceLocation at, string reason) =>
        Error("L2G0501", at, $"could not write the bundle: {reason}", "check that the output folder is writable");
    public static Diagnostic OutputNotOurs(SourceLocation at) =>
        Error("L2G0502", at, "the output folder exists and was not written by linkerd2gen", "choose an empty folder, or remove it first; files the tool did not write are never overwritten");
    public static Diagnostic TemplateFolderMissing(SourceLocation at) =>
        Error("L2G0503", at, "the templates folder does not exist", "pass a folder holding *.sbn files named like the built-in ones (see templates/)");
    public static Diagnostic TemplateUnreadable(SourceLocation at, string reason) =>
        Error("L2G0523", at, $"the template override cannot be read: {reason}", "make it a readable file, or remove it to use the built-in template");
    public static Diagnostic UnknownTemplateOverride(SourceLocation at, string name, string? suggestion) =>
        Warning("L2G0504", at, $"template override '{name}' replaces no built-in template, so it is not used",
            suggestion is not null ? $"did you mean '{suggestion}'?" : "name it like a file of templates/ in the linkerd2gen repository");

    public static Diagnostic OutputLocked(SourceLocation at, string lockFile) =>
        Error("L2G0506", at, "another linkerd2gen is writing this bundle", $"wait for it to finish and run again (its lock: {lockFile})");
    public static Diagnostic StateFolderNotOurs(SourceLocation at) =>
        Error("L2G0507", at, "this folder is where linkerd2gen keeps its lock and journal, but linkerd2gen did not create it", "rename it, or choose another output folder; linkerd2gen never writes into or deletes a folder it did not create");
    public static Diagnostic InterruptedWriteCompleted(SourceLocation at) =>
        Warning("L2G0508", at, "an interrupted render of this bundle was completed from its journal", "the bundle is now the one that render wrote; nothing to do");
    public static Diagnostic InterruptedWriteDiscarded(SourceLocation at) =>
        Warning("L2G0509", at, "an interrupted render of this bundle, which had not changed it yet, was discarded", "the bundle is the one before that render; nothing to do");
    public static Diagnostic InterruptedWriteStuck(SourceLocation at, string reason) =>
        Error("L2G0510", at, $"an interrupted render of this bundle cannot be completed: {reason}", "fix the cause (permissions, disk space) and run again: the journal beside the bundle completes it");
    public static Diagnostic FileNotOurs(SourceLocation at) =>
        Error("L2G0511", at, "this file is in the way of the bundle and linkerd2gen did not write it", "move it away, or pass --force to replace it");
    public static Diagnostic OutputIsAFile(SourceLocation at) =>
        Error("L2G0512", at, "this is a file, where the bundle needs a folder", "pass a folder to -o; a cluster's bundle goes to <out>/<cluster>/");
    public static Diagnostic SymbolicLinkRefused(SourceLocation at) =>
        Error("L2G0513", at, "this is a symbolic link: linkerd2gen writes and deletes nothing through links", "replace the link by a real folder or file, or choose another output folder");
    public static Diagnostic ManifestLineIgnored(SourceLocation at, string line) =>
        Warning("L2G0514", at, $"'{line}' is not a file linkerd2gen writes, so it is neither replaced nor pruned", "the manifest lists the files of the bundle; do not edit it by hand");
    public static Diagnostic OtherClusterBundle(SourceLocation at, string cluster) =>
        Warning("L2G0515", at, $"this bundle of cluster '{cluster}' was rendered from a mesh file of this run (the cluster was renamed) or from one that is gone", "pass --prune-clusters to remove it");
    public static Diagnostic AccessQueryInvalid(string from, string to) =>
        Error("L2G0516", SourceLocation.WholeFile("linkerd2gen check-access"), $"--from {from} --to {to} is not a question the policy can answer",
            "write --from [CLUSTER/]NAMESPACE/WORKLOAD --to [CLUSTER/]NAMESPACE/SERVICE:PORT (a Service without a cluster is the caller's cluster's)");
    public static Diagnostic AccessQueryUnknown(string from, string to, IEnumerable<string> missing) =>
        Error("L2G0517", SourceLocation.WholeFile("linkerd2gen check-access"), $"no bundle of this run has both {from} and {to}",
            missing.Any() ? string.Join("; ", missing.Distinct())
                : "name a workload and a Service port that the mesh files render (the Service's port, by number or name; another cluster's Service with its cluster, CLUSTER/NAMESPACE/SERVICE:PORT)");
    public static Diagnostic StreamIncomplete(string file, string problem) =>
        Error("L2G0520", SourceLocation.WholeFile(file), $"render --stdout cannot print the bundle as Kustomize builds it: this base file {problem}",
            "write the bundle (render -o out) and build it with Kustomize (kubectl apply -k, or Argo CD's own Kustomize), or give the base no such field");
    public static Diagnostic OptionsConflict(string option, string others) =>
        Error("L2G0518", SourceLocation.WholeFile("linkerd2gen render"), $"{option} cannot be combined with {others}",
            "--stdout writes nothing and prints the bundles (--cluster picks one); run render without them to write, check or prune");
    public static Diagnostic ClusterNotInRun(string cluster, IEnumerable<string> clusters) =>
        Error("L2G0519", SourceLocation.WholeFile("linkerd2gen render"), $"--cluster {cluster}: no mesh file of this run is that cluster",
            $"clusters of this run: {string.Join(", ", clusters)}");
    public static Diagnostic FileExists(SourceLocation at) =>
        Error("L2G0505", at, "the file exists already", "choose another path; init never overwrites a file");
    public static Diagnostic InitWriteFailed(SourceLocation at, string reason) =>
        Error("L2G0521", at, $"could not write the starter mesh file: {reason}", "name a file in a folder you can write, e.g. clusters/west.yaml");
    public static Diagnostic StandardOutputFailed(string reason) =>
        Error("L2G0522", SourceLocation.WholeFile("standard output"), $"could not write to it: {reason}", "check where standard output goes: a full disk or device, a descriptor that is closed");

    // ---- L2G06xx: inject ---------------------------------------------------------------------
    public static Diagnostic InjectFlagInvalid(string flag, string problem) =>
        Error("L2G0600", SourceLocation.WholeFile("linkerd2gen inject"), $"--{flag}: {problem}", "give the value linkerd's flag takes; see `linkerd2gen inject --help`");
    public static Diagnostic InjectFlagUnknown(string flag, string version, string versions) =>
        Error("L2G0602", SourceLocation.WholeFile("linkerd2gen inject"), $"unknown flag: --{flag}",
            $"Linkerd {version}'s inject has no --{flag} ({versions} has it); drop it, or pass the --linkerd-version of your cluster");
    public static Diagnostic InjectVersionUnsupported(string version, string supported) =>
        Error("L2G0603", SourceLocation.WholeFile("linkerd2gen inject"), $"--linkerd-version {version} is not supported",
            $"inject reproduces the CLI of Linkerd {supported}");
    public static Diagnostic InjectFlagUnknownShorthand(string shorthand, string instead) =>
        Error("L2G0604", SourceLocation.WholeFile("linkerd2gen inject"), $"unknown shorthand flag: '{shorthand}' in -{shorthand}", $"linkerd's inject has no -{shorthand}; use {instead}");
    public static Diagnostic InjectInputUnreadable(SourceLocation at, string reason) =>
        Error("L2G0605", at, $"could not read it: {reason}", "check that the file or folder (and everything below it) is readable");
    public static Diagnostic InjectInputMissing(SourceLocation at) =>
        Error("L2G0601", at, "no such file or folder", "give manifest files, folders of them, or - for standard input");

    // ---- L2G09xx: internal errors ------------------------------------------------------------
    public static Diagnostic TemplateError(SourceLocation at, string message) =>
        Error("L2G0900", at, $"template error: {message}", "a template override may be at fault; otherwise this is a bug in linkerd2gen");
    public static Diagnostic TemplateBudgetExceeded(SourceLocation at, TimeSpan budget) =>
        Error("L2G0904", at, $"rendering took longer than its budget of {budget.TotalSeconds:0.###} s and was stopped here", "a template override may loop or match a slow regex; the built-in templates render 10,000 services in seconds");
    public static Diagnostic IncludeRefused(SourceLocation at, string name) =>
        Error("L2G0905", at, $"include '{name}' is refused: templates include other templates by file name only", "name a template of the built-in set or of the --templates folder, e.g. include '_labels.sbn'");
    public static Diagnostic RenderedYamlInvalid(SourceLocation at, string file, string message) =>
        Error("L2G0901", at, $"rendered file {file} is not valid YAML: {message}", "this is a bug in a template");
    public static Diagnostic RenderedObjectInvalid(SourceLocation at, string file, string message) =>
        Error("L2G0902", at, $"rendered file {file}: {message}", "this is a bug in a template");
    public static Diagnostic PatchDoesNotApply(SourceLocation at, string patch, string message) =>
        Error("L2G0903", at, $"patch {patch} does not apply to the gateway's known manifest: {message}", "this is a bug in a template");

    public static Diagnostic InternalError(string message) =>
        Error("L2G0999", SourceLocation.WholeFile("linkerd2gen"), $"internal error: {message}", "this is a bug; please report it with the input that caused it");

    private static string Show(string? value) => value is null ? "nothing" : $"'{value}'";
}
