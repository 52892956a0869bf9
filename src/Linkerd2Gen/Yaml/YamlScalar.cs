using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Linkerd2Gen.Yaml;

/// <summary>
/// The one quoting filter every template scalar goes through (`{{ value | y }}`): strings come out plain
/// when that reads back as the same string under YAML 1.2 and under YAML 1.1 (go-yaml, kubectl), else quoted.
/// </summary>
public static partial class YamlScalar
{
    private static readonly JsonWriterOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => Quote(s),
        IFormattable f and (int or long or short or byte or uint or ulong or double or decimal) => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    /// <summary>Quoting decided once per distinct string (names, ports and images repeat across a bundle); bounded, so a
    /// long-lived host of the library does not grow without end.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Quoted = new(StringComparer.Ordinal);

    /// <summary>Entries added to <see cref="Quoted"/>, counted apart: its own Count takes every lock of the dictionary.</summary>
    private static int _quotedCount;

    public static string Quote(string s)
    {
        if (Quoted.TryGetValue(s, out var known)) return known;
        var quoted = Decide(s);
        if (Volatile.Read(ref _quotedCount) < 100_000 && Quoted.TryAdd(s, quoted)) Interlocked.Increment(ref _quotedCount);
        return quoted;
    }

    /// <param name="fastPath">False only in tests, which check that the fast path agrees with the emitter.</param>
    internal static string Decide(string s, bool fastPath = true)
    {
        if (s.Length == 0 || s.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF'))
        {
            return DoubleQuoted(s);
        }
        if (!ReadsAsStringWhenPlain(s))
        {
            return DoubleQuoted(s);
        }
        // Fast path for the common case (names, images, paths, host:port): what the emitter would write plain anyway.
        if (fastPath && (SafePlain().IsMatch(s) || (SafePlainWithColons().IsMatch(s) && !SpecialYaml11().IsMatch(s))))
        {
            return s;
        }
        // The emitter knows which characters a plain scalar may hold; what the plain scalar means is decided above.
        var emitted = Emitted(s, SpecialYaml11().IsMatch(s) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any);
        return emitted.Contains('\n') ? DoubleQuoted(s) : emitted;
    }

    /// <summary>The scalar as YamlDotNet's emitter writes it alone in a document, in its own choice of style.</summary>
    private static string Emitted(string s, ScalarStyle style)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(text);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        emitter.Emit(new Scalar(null, null, s, style, isPlainImplicit: true, isQuotedImplicit: false));
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>
    /// The one decision whether a plain scalar reads back as this same string in every dialect a bundle meets:
    /// YAML 1.2 core (mesh files, most tools), go-yaml v2 (kubectl, Kustomize, linkerd) and the YAML 1.1 types go-yaml
    /// leaves out (the value key `=`, which other 1.1 readers such as PyYAML refuse).
    /// </summary>
    public static bool ReadsAsStringWhenPlain(string s) =>
        // A YAML 1.2 reader takes 1e999 for an infinity (our own reader keeps it as text, since JSON cannot hold it).
        s != "=" && GoYaml.ResolvesToString(s) && !Yaml12.IsNonFiniteFloat(s) && Yaml12.Resolve(new YScalar(default, s, true, null))?.GetValueKind() == JsonValueKind.String;

    /// <summary>YamlDotNet's YAML 1.1 pattern of strings to quote (its serializer's `quoteYaml1_1Strings`), with blank strings:
    /// some of these read as strings everywhere (".", "+0x_", "  ") but look like numbers or nothing, so they stay
    /// double-quoted for the human reader, as the bundles have always written them.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(\s*|null|Null|NULL|\~|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+|[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial System.Text.RegularExpressions.Regex SpecialYaml11();

    /// <summary>Names, images and paths: a route's prefix (`/api/`) starts with its slash, which no YAML indicator is.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9/][A-Za-z0-9._/-]*$")]
    private static partial System.Text.RegularExpressions.Regex SafePlain();

    /// <summary>Safe characters with colons between them (`svc.ns:80`, `ghcr.io/x/y:1.2`): a colon not followed by a
    /// space is no indicator in a block scalar. (A YAML 1.1 sexagesimal such as `1:30` is excluded by the caller.)</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9/][A-Za-z0-9._/-]*(:[A-Za-z0-9._/-]+)+$")]
    private static partial System.Text.RegularExpressions.Regex SafePlainWithColons();

    /// <summary>A JSON string is a valid YAML double-quoted scalar.</summary>
    public static string DoubleQuoted(string s) => JsonText(s);

    /// <summary>A mapping written by the user, as block YAML indented by <paramref name="indent"/> spaces (keys sorted, as
    /// go-yaml writes them): for `{{ m.extra | yaml 2 }}`.</summary>
    public static string Block(System.Text.Json.Nodes.JsonNode? node, int indent)
    {
        var pad = new string(' ', indent);
        return string.Join("\n", GoYaml.Write(node).TrimEnd('\n').Split('\n').Select(line => pad + line));
    }

    /// <summary>A JSON literal (a string, a number, a boolean or null), for the JSON templates.</summary>
    public static string JsonText(object? value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Json))
        {
            switch (value)
            {
                case null: json.WriteNullValue(); break;
                case bool b: json.WriteBooleanValue(b); break;
                case int or long or short or byte or uint: json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
                case ulong u: json.WriteNumberValue(u); break;
                case float f: json.WriteNumberValue(f); break;
                case double d: json.WriteNumberValue(d); break;
                case decimal m: json.WriteNumberValue(m); break;
                default: json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
            }
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
