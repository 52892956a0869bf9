using System.Reflection;
using CommandLine;
using Linkerd2Gen.Tests.Support;

namespace Linkerd2Gen.Tests.Cli;

/// <summary>Help asked for is on stdout with exit 0; help after a usage error is on stderr with a suggestion and exit 2.</summary>
public class HelpTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => InProcess.Cli(args);

    // Every verb of the command line, read from its attributes: a verb added later is covered without editing this list.
    private static IEnumerable<string> VerbNames() =>
        typeof(Linkerd2Gen.Cli.Cli).Assembly.GetTypes().Select(t => t.GetCustomAttribute<VerbAttribute>()).OfType<VerbAttribute>().Select(v => v.Name);

    public static TheoryData<string> Verbs() => new(VerbNames());

    [Theory]
    [MemberData(nameof(Verbs))]
    public void Every_verb_has_help_on_stdout_with_a_usage_line_and_an_example(string verb)
    {
        foreach (var args in new[] { new[] { verb, "--help" }, ["help", verb] })
        {
            var (code, stdout, stderr) = Run(args);
            Assert.Equal(0, code);
            Assert.Equal("", stderr);
            Assert.Contains("USAGE:", stdout);
            var example = stdout.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith($"linkerd2gen {verb}", StringComparison.Ordinal));
            Assert.True(example is not null, $"{string.Join(" ", args)}: no example line \"linkerd2gen {verb} …\" in\n{stdout}");
            Assert.Contains("--help", stdout);
        }
    }

    [Fact]
    public void Every_verb_has_its_option_names_for_suggestions()
    {
        var verbTypes = typeof(Linkerd2Gen.Cli.Cli).Assembly.GetTypes().Where(t => t.GetCustomAttribute<VerbAttribute>() is not null);
        Assert.Equal(verbTypes.OrderBy(t => t.Name), Linkerd2Gen.Cli.Help.Verbs.OrderBy(t => t.Name));
    }

    [Fact]
    public void Version_is_on_stdout_and_is_the_assemblys()
    {
        var (code, stdout, stderr) = Run("--version");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var version = typeof(Linkerd2Gen.Cli.Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal($"linkerd2gen {version}", stdout.TrimEnd());
        Assert.Matches(@"^\d+\.\d+\.\d+", version);
    }

    [Theory]
    [InlineData(new[] { "render", "--chek", "mesh.yaml" }, "did you mean --check?")]
    [InlineData(new[] { "render", "--prune-cluster", "mesh.yaml" }, "did you mean --prune-clusters?")]
    [InlineData(new[] { "inject", "--opaque-port", "5432", "-" }, "did you mean --opaque-ports?")]
    [InlineData(new[] { "rendr", "mesh.yaml" }, "did you mean render?")]
    [InlineData(new[] { "check-acess", "mesh.yaml" }, "did you mean check-access?")]
    public void A_misspelt_option_or_verb_is_a_usage_error_with_a_suggestion_on_stderr(string[] args, string suggestion)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(suggestion, stderr);
        Assert.Contains("ERROR(S):", stderr);
    }

    [Fact]
    public void No_verb_lists_the_verbs_on_stderr_and_is_a_usage_error()
    {
        var (code, stdout, stderr) = Run();
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        foreach (var verb in VerbNames())
        {
            Assert.Contains(verb, stderr);
        }
    }
}
