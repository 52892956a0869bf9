using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using YamlDotNet.Serialization;

namespace Linkerd2Gen.Yaml;

/// <summary>
/// The one quoting filter every template scalar goes through (`{{ value | y }}`): strings come out plain
/// when that reads back as the same string under YAML 1.2 and under YAML 1.1 (go-yaml, kubectl), else quoted.
/// </summary>
public static partial class YamlScalar
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings(quoteYaml1_1Strings: true)
        .Build();

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => Quote(s),
        IFormattable f and (int or long or short or byte or uint or ulong or double or decimal) => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    public static string Quote(string s)
    {
        if (s.Length == 0 || s.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF'))
        {
            return DoubleQuoted(s);
        }
        var readsAsString = ReadsAsStringWhenPlain(s);
        // Fast path for the common case (names, images, paths).
        if (readsAsString && SafePlain().IsMatch(s))
        {
            return s;
        }
        var emitted = Serializer.Serialize(s).TrimEnd('\n');
        if (emitted.Contains('\n'))
        {
            return DoubleQuoted(s);
        }
        // YamlDotNet leaves some non-strings plain (1e3, <<, dates); the decision is ours, not the emitter's.
        var plain = emitted[0] is not ('\'' or '"');
        return plain && !readsAsString ? DoubleQuoted(s) : emitted;
    }

    /// <summary>
    /// The one decision whether a plain scalar reads back as this same string in every dialect a bundle meets:
    /// YAML 1.2 core (mesh files, most tools), go-yaml v2 (kubectl, Kustomize, linkerd) and the YAML 1.1 types go-yaml
    /// leaves out (the value key `=`, which other 1.1 readers such as PyYAML refuse).
    /// </summary>
    public static bool ReadsAsStringWhenPlain(string s) =>
        s != "=" && GoYaml.ResolvesToString(s) && Yaml12.Resolve(new YScalar(default, s, true, null))?.GetValueKind() == JsonValueKind.String;

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
    private static partial System.Text.RegularExpressions.Regex SafePlain();

    /// <summary>A JSON string is a valid YAML double-quoted scalar.</summary>
    public static string DoubleQuoted(string s) => JsonSerializer.Serialize(s, Json);

    /// <summary>A mapping written by the user, as block YAML indented by <paramref name="indent"/> spaces (keys sorted, as
    /// go-yaml writes them): for `{{ m.extra | yaml 2 }}`.</summary>
    public static string Block(System.Text.Json.Nodes.JsonNode? node, int indent)
    {
        var pad = new string(' ', indent);
        return string.Join("\n", GoYaml.Write(node).TrimEnd('\n').Split('\n').Select(line => pad + line));
    }

    /// <summary>A JSON string literal, for the JSON templates.</summary>
    public static string JsonText(object? value) => JsonSerializer.Serialize(value, Json);
}
