using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using CommandLine;
using CommandLine.Text;
using Linkerd2Gen.Diagnostics;

namespace Linkerd2Gen.Cli;

/// <summary>
/// Help, version and usage errors. Asked for (--help, help VERB, --version), the text goes to stdout and the exit code is 0;
/// after a usage error it goes to stderr with the error first, a suggestion for a misspelt option or verb, and exit code 2.
/// </summary>
public static class Help
{
    /// <summary>"linkerd2gen 0.1.0": this assembly's version, whoever hosts it.</summary>
    public static string Heading { get; } = $"linkerd2gen {typeof(Help).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion}";

    public static int Write<T>(ParserResult<T> parsed, IReadOnlyList<Error> errors, TextWriter stdout, TextWriter stderr)
    {
        if (errors.Any(e => e.Tag == ErrorType.VersionRequestedError))
        {
            stdout.WriteLine(Heading);
            return Cli.Ok;
        }
        var asked = errors.All(e => e.Tag is ErrorType.HelpRequestedError or ErrorType.HelpVerbRequestedError);
        var text = HelpText.AutoBuild(parsed, h =>
        {
            h.Heading = Heading;
            h.Copyright = "";
            h.AddDashesToOption = true;
            h.AdditionalNewLineAfterOption = false;
            h.MaximumDisplayWidth = 100;
            return h;
        }, 100);
        if (asked)
        {
            stdout.WriteLine(text.ToString());
            return Cli.Ok;
        }
        foreach (var hint in Suggestions(parsed, errors))
        {
            stderr.WriteLine(hint);
        }
        stderr.WriteLine(text.ToString());
        return Cli.Usage;
    }

    /// <summary>Every verb's long option names, read from the options types themselves (named here, so the trimmer keeps
    /// what is read) and only when a suggestion is wanted: --version and help do not pay for it.</summary>
    private static readonly Dictionary<Type, Func<string[]>> OptionNames = new()
    {
        [typeof(RenderOptions)] = LongNames<RenderOptions>,
        [typeof(ValidateOptions)] = LongNames<ValidateOptions>,
        [typeof(DiffOptions)] = LongNames<DiffOptions>,
        [typeof(ExplainOptions)] = LongNames<ExplainOptions>,
        [typeof(CheckAccessOptions)] = LongNames<CheckAccessOptions>,
        [typeof(SchemaOptions)] = LongNames<SchemaOptions>,
        [typeof(InitOptions)] = LongNames<InitOptions>,
        [typeof(InjectVerbOptions)] = LongNames<InjectVerbOptions>,
    };

    private static string[] LongNames<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>() =>
        typeof(T).GetProperties().Select(p => p.GetCustomAttribute<OptionAttribute>()).OfType<OptionAttribute>()
            .Where(o => !o.Hidden && o.LongName.Length > 0).Select(o => o.LongName).ToArray();

    /// <summary>The verbs the parser knows (Cli parses these and only these).</summary>
    public static IReadOnlyCollection<Type> Verbs => OptionNames.Keys;

    // "did you mean --check?" for an unknown option of the verb; "did you mean render?" for an unknown verb.
    private static IEnumerable<string> Suggestions<T>(ParserResult<T> parsed, IReadOnlyList<Error> errors)
    {
        foreach (var error in errors)
        {
            if (error is UnknownOptionError unknown && parsed.TypeInfo.Current is { } verb && OptionNames.TryGetValue(verb, out var known))
            {
                if (DidYouMean.Suggest(unknown.Token, known().Append("help")) is { } option) yield return $"Option '{unknown.Token}' is unknown: did you mean --{option}?";
            }
            else if (error is BadVerbSelectedError badVerb)
            {
                var verbs = parsed.TypeInfo.Choices.Select(t => t.GetCustomAttribute<VerbAttribute>()?.Name).OfType<string>().Append("help").Append("version");
                if (DidYouMean.Suggest(badVerb.Token, verbs) is { } name) yield return $"Verb '{badVerb.Token}' is not known: did you mean {name}?";
            }
        }
    }
}
