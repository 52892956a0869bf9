using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using YamlDotNet.Serialization;

namespace Linkerd2Gen.Yaml;

/// <summary>
/// The one quoting filter every template scalar goes through (`{{ value | y }}`): strings come out plain
/// when that reads back as the same string under YAML 1.2 and under go-yaml's YAML 1.1 (kubectl), else quoted.
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
        // Fast path for the common case (names, images, paths): plain when no YAML reader takes it for anything else.
        if (SafePlain().IsMatch(s) && GoYaml.ResolvesToString(s)
            && Yaml12.Resolve(new YScalar(default, s, true, null))?.GetValueKind() == JsonValueKind.String)
        {
            return s;
        }
        if (s.Length == 0 || s.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF'))
        {
            return DoubleQuoted(s);
        }
        var emitted = Serializer.Serialize(s).TrimEnd('\n');
        if (emitted.Contains('\n'))
        {
            return DoubleQuoted(s);
        }
        var plain = emitted[0] is not ('\'' or '"');
        // YamlDotNet leaves some YAML 1.2 numbers (1e3) plain; anything that would not read back as a string is quoted.
        if (plain && Yaml12.Resolve(new YScalar(default, s, true, null))?.GetValueKind() != JsonValueKind.String)
        {
            return DoubleQuoted(s);
        }
        return emitted;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
    private static partial System.Text.RegularExpressions.Regex SafePlain();

    /// <summary>A JSON string is a valid YAML double-quoted scalar.</summary>
    public static string DoubleQuoted(string s) => JsonSerializer.Serialize(s, Json);

    /// <summary>A JSON string literal, for the JSON templates.</summary>
    public static string JsonText(object? value) => JsonSerializer.Serialize(value, Json);
}
