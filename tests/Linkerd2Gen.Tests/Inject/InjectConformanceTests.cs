using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Inject;

/// <summary>
/// Byte-for-byte against linkerd's own golden files (../shared/conformance/linkerd/inject, Linkerd 2.18; the annotation-mode
/// goldens and reports are unchanged in 2.19 and 2.20): every annotation-mode case, stdout and stderr, run through the
/// command line with the flags the README there names, as each supported version's CLI.
/// </summary>
public class InjectConformanceTests
{
    private static string Fixture(string name) => Path.Combine(Repo.Conformance, "linkerd", "inject", name);

    private static (int Code, string Out, string Err) Inject(string input, params string[] flags) => InProcess.Cli(["inject", .. flags, Fixture(input)]);

    public static TheoryData<string, string, string, string, string, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, string, string, string, string, string>();
            foreach (var version in new[] { "2.18", "2.19", "2.20" })
            {
                foreach (var (name, input, flags, golden, report) in Goldens)
                {
                    cases.Add(version, name, input, flags, golden, report);
                }
            }
            return cases;
        }
    }

    private static readonly (string, string, string, string, string)[] Goldens =
    [
        // input, flags, golden stdout, golden stderr
        ("deployment, --admin-port 1234", "inject_emojivoto_deployment.input.yml", "--admin-port 1234", "inject_emojivoto_deployment_overridden_noinject.golden.yml", "inject_emojivoto_deployment.report"),
        ("deployment, --admin-port 1234 --verbose", "inject_emojivoto_deployment.input.yml", "--admin-port 1234 --verbose", "inject_emojivoto_deployment_overridden_noinject.golden.yml", "inject_emojivoto_deployment.report.verbose"),
        ("deployment, default inbound policy", "inject_emojivoto_deployment.input.yml", "--default-inbound-policy all-authenticated", "inject_emojivoto_deployment_default_inbound_policy.golden.yml", "inject_emojivoto_deployment_default_inbound_policy.golden.report"),
        ("pod, default inbound policy", "inject_emojivoto_pod.input.yml", "--default-inbound-policy all-authenticated", "inject_emojivoto_pod_default_inbound_policy.golden.yml", "inject_emojivoto_pod_default_inbound_policy.golden.report"),
        ("cronjob", "inject_emojivoto_cronjob.input.yml", "", "inject_emojivoto_cronjob.golden.yml", "inject_emojivoto_cronjob.report"),
        ("cronjob without template metadata", "inject_emojivoto_cronjob_nometa.input.yml", "", "inject_emojivoto_cronjob_nometa.golden.yml", "inject_emojivoto_cronjob.report"),
        ("namespace", "inject_emojivoto_namespace_good.input.yml", "", "inject_emojivoto_namespace_good.golden.yml", "inject_emojivoto_namespace_good.golden.report"),
        ("namespace, verbose", "inject_emojivoto_namespace_good.input.yml", "--verbose", "inject_emojivoto_namespace_overidden_good.golden.yml", "inject_emojivoto_namespace_good.golden.report.verbose"),
        // linkerd's golden for this case is the input itself (the workload is left as it is).
        ("inject disabled", "inject_emojivoto_deployment_injectDisabled.input.yml", "", "inject_emojivoto_deployment_injectDisabled.input.yml", "inject_emojivoto_deployment_injectDisabled.report"),
        ("inject disabled, verbose", "inject_emojivoto_deployment_injectDisabled.input.yml", "--verbose", "inject_emojivoto_deployment_injectDisabled.input.yml", "inject_emojivoto_deployment_injectDisabled.report.verbose"),
    ];

    [ConformanceTheory]
    [MemberData(nameof(Cases))]
    public void Output_and_report_match_linkerds_golden_files_byte_for_byte(string version, string name, string input, string flags, string golden, string report)
    {
        var (code, stdout, stderr) = Inject(input, ["--linkerd-version", version, .. flags.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
        Assert.True(code == 0, $"{name}: exit {code}: {stderr}");
        Assert.Equal(File.ReadAllText(Fixture(golden)), stdout);
        Assert.Equal(File.ReadAllText(Fixture(report)), stderr);
    }

    [ConformanceFact]
    public void Host_network_is_refused_with_linkerds_message_and_no_output()
    {
        var (code, stdout, stderr) = Inject("inject_emojivoto_deployment_hostNetwork_true.input.yml");
        Assert.Equal(1, code);
        Assert.Equal(File.ReadAllText(Fixture("inject_emojivoto_deployment_hostNetwork_true.golden.yml")), stdout);
        Assert.Equal(File.ReadAllText(Fixture("inject_emojivoto_deployment_hostNetwork_true.golden.stderr")), stderr);
    }

    [ConformanceFact]
    public void Udp_ports_are_reported_and_still_injected()
    {
        var (code, stdout, stderr) = Inject("inject_emojivoto_deployment_udp.input.yml");
        Assert.Equal(0, code);
        Assert.Equal(File.ReadAllText(Fixture("inject_emojivoto_deployment_udp.report")), stderr);
        Assert.Contains("linkerd.io/inject: enabled", stdout);
    }

    [ConformanceFact]
    public void Every_golden_yaml_file_round_trips_through_the_go_yaml_writer()
    {
        // The writer alone: parse each golden document and write it again, as linkerd's go-yaml v2 did.
        foreach (var file in Directory.GetFiles(Path.Combine(Repo.Conformance, "linkerd", "inject"), "*.golden.yml"))
        {
            foreach (var doc in Linkerd2Gen.Yaml.YamlDocuments.Split(File.ReadAllText(file)).Where(d => d.Trim().Length > 0))
            {
                Assert.Equal(doc, Linkerd2Gen.Yaml.GoYaml.Write(Linkerd2Gen.Yaml.GoYaml.Read(doc)));
            }
        }
    }
}
