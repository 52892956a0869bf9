using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text;
using YamlDotNet.Core.Events;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Linkerd2Gen.Yaml;

/// <summary>
/// YAML as the linkerd CLI reads and writes it: go-yaml v2 (YAML 1.1 scalar resolution) through sigs.k8s.io/yaml.
/// Writing uses YamlDotNet's emitter (a libyaml port, like go-yaml's) with go-yaml's choices: sorted keys,
/// 2-space indent, unindented sequences, lines wrapped at 80, and go-yaml's scalar styles.
/// </summary>
public static partial class GoYaml
{
    // ---- reading ------------------------------------------------------------------------------

    /// <summary>One YAML document as JSON, typed the way go-yaml v2 types plain scalars (kubectl, linkerd).</summary>
    public static JsonNode? Read(string document) => Read(document, Resolve);

    /// <summary>One YAML document as JSON, typed the way Kustomize's kyaml (go-yaml v3) keeps plain scalars: as go-yaml v2,
    /// but YAML 1.1's other booleans (`y`, `yes`, `on`, `off`…) stay text, and Kustomize writes them quoted.</summary>
    public static JsonNode? ReadAsKustomize(string document) => Read(document, ResolveAsV3);

    /// <summary>One YAML document as sigs.k8s.io/yaml reads a kustomization file into JSON: go-yaml v2's scalars (YAML 1.1:
    /// `yes` is true), and a key written twice taking its last value (go-yaml v2 decodes into a map; Kustomize builds a
    /// file that repeats a key, and so must we).</summary>
    public static JsonNode? ReadLastKeyWins(string document) => Parse(document, parser =>
    {
        parser.Consume<StreamStart>();
        if (parser.Accept<StreamEnd>(out _)) return null;
        parser.Consume<DocumentStart>();
        return ReadLastKeyWins(parser, new Dictionary<string, JsonNode?>(StringComparer.Ordinal));
    });

    private static JsonNode? ReadLastKeyWins(IParser parser, Dictionary<string, JsonNode?> anchors)
    {
        JsonNode? Anchored(AnchorName anchor, JsonNode? node)
        {
            if (!anchor.IsEmpty) anchors[anchor.Value] = node;
            return node;
        }
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var aliased) ? aliased?.DeepClone()
                : throw new YamlException(alias.Start, alias.End, $"unknown anchor '{alias.Value}' referenced");
        }
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return Anchored(scalar.Anchor, ScalarValue(scalar.Value, scalar.Style, scalar.Tag, Resolve));
        }
        if (parser.TryConsume<SequenceStart>(out var sequence))
        {
            var list = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _)) list.Add(ReadLastKeyWins(parser, anchors));
            return Anchored(sequence.Anchor, list);
        }
        var mapping = parser.Consume<MappingStart>();
        var map = new JsonObject();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = parser.Current as Scalar ?? throw InvalidKey(parser.Current!.Start, parser.Current.End);
            parser.MoveNext();
            var value = ReadLastKeyWins(parser, anchors);
            map.Remove(key.Value);
            map[key.Value] = value;
        }
        return Anchored(mapping.Anchor, map);
    }

    private static JsonNode? Read(string document, Func<string, JsonNode?> resolve)
    {
        var stream = Parse(document, parser =>
        {
            var stream = new YamlStream();
            stream.Load(parser);
            return stream;
        });
        return stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode, resolve);
    }

    /// <summary>Reads <paramref name="document"/> with YamlDotNet's parser; what YamlDotNet gives up with short of a
    /// YamlException becomes one, which callers report as a syntax error. Its parser can end a mapping right after a key,
    /// the value lost (`- env:` then `  :`), and its loader then throws an ArgumentException; its scanner stops on an
    /// unclosed flow collection, or on text after a document's end marker (`...`), with an InvalidOperationException.
    /// Blamed: the last event it read.</summary>
    private static T Parse<T>(string document, Func<Parser, T> read)
    {
        var parser = new Parser(new StringReader(document));
        try
        {
            return read(parser);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            var at = parser.Current?.Start ?? Mark.Empty;
            throw new YamlException(at, at, e is ArgumentException
                ? $"a mapping ends after a key without its value (unexpected {parser.Current?.GetType().Name})"
                : "the YAML cannot be read past here (a flow collection {…} or […] left open, or text after a document's end marker `...`)");
        }
    }

    private static JsonNode? ToJson(YamlNode node, Func<string, JsonNode?> resolve) => node switch
    {
        YamlMappingNode m => ToJson(m, resolve),
        YamlSequenceNode s => new JsonArray(s.Children.Select(child => ToJson(child, resolve)).ToArray()),
        YamlScalarNode sc => ScalarValue(sc.Value, sc.Style, sc.Tag, resolve),
        _ => null,
    };

    /// <summary>A mapping as a JSON object. Keys YamlDotNet tells apart by their tags (`a` and `!!str a`) are one key to
    /// JSON, as to go-yaml: a key written twice, refused at the second.</summary>
    private static JsonObject ToJson(YamlMappingNode mapping, Func<string, JsonNode?> resolve)
    {
        var map = new JsonObject();
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = keyNode is YamlScalarNode scalar ? scalar.Value ?? "" : throw InvalidKey(keyNode.Start, keyNode.End);
            if (!map.TryAdd(key, ToJson(value, resolve))) throw new YamlException(keyNode.Start, keyNode.End, $"duplicate key {key}");
        }
        return map;
    }

    /// <summary>A scalar's value: a quoted or tagged one is text; a plain one is typed by the dialect's rules.</summary>
    private static JsonNode? ScalarValue(string? value, ScalarStyle style, TagName tag, Func<string, JsonNode?> resolve) =>
        style != ScalarStyle.Plain || !tag.IsEmpty ? JsonValue.Create(value ?? "") : resolve(value ?? "");

    /// <summary>sigs.k8s.io/yaml refuses what JSON cannot key by (an unquoted Helm value `{{ .Values.x }}` is such a key).</summary>
    private static YamlException InvalidKey(Mark start, Mark end) => new(start, end, "invalid map key: a mapping or a sequence cannot be a key");

    /// <summary>A plain scalar as go-yaml v3 resolves it (resolve.go): booleans are true and false only.</summary>
    private static JsonNode? ResolveAsV3(string s) => s switch
    {
        "y" or "Y" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "n" or "N" or "no" or "No" or "NO" or "off" or "Off" or "OFF" => JsonValue.Create(s),
        _ => Resolve(s),
    };

    /// <summary>A plain scalar resolved by go-yaml v2's rules (resolve.go): YAML 1.1 booleans, ints with prefixes, floats, timestamps.</summary>
    public static JsonNode? Resolve(string s)
    {
        switch (s)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON":
                return JsonValue.Create(true);
            case "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF":
                return JsonValue.Create(false);
        }
        // go-yaml looks at the first character before anything else: only a digit, a sign or a dot can begin a number or
        // a timestamp (resolve.go's resolveTable); every other plain scalar is a string.
        if (s[0] is not ((>= '0' and <= '9') or '+' or '-' or '.')) return JsonValue.Create(s);
        if (ParseInt(s) is { } i) return JsonValue.Create(i);
        // Go's ParseFloat fails (ErrRange) on a number too large for a float64, and go-yaml then keeps the text.
        if (Float().IsMatch(s.Replace("_", "")) && double.TryParse(s.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            return JsonNode.Parse(FormatFloat(d));
        }
        return JsonValue.Create(s);
    }

    /// <summary>Whether go-yaml v2 would read <paramref name="s"/>, written plain, back as this same string.</summary>
    public static bool ResolvesToString(string s)
    {
        if (s is "" or "~" or "null" or "Null" or "NULL" or "<<") return false;
        if (Resolve(s) is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return false;
        if (s is ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF" or ".nan" or ".NaN" or ".NAN") return false;
        return !Timestamp().IsMatch(s) && !Base60().IsMatch(s);
    }

    private static long? ParseInt(string s)
    {
        var plain = s.Replace("_", "");
        var negative = plain.StartsWith('-');
        var body = plain.TrimStart('+', '-');
        if (plain.Length - body.Length > 1 || body.Length == 0) return null;
        long value;
        try
        {
            if (body.StartsWith("0x", StringComparison.Ordinal) || body.StartsWith("0X", StringComparison.Ordinal))
            {
                if (!long.TryParse(body[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)) return null;
            }
            else if (body.StartsWith("0b", StringComparison.Ordinal) || body.StartsWith("0B", StringComparison.Ordinal))
            {
                if (body.Length == 2 || body[2..].Any(c => c is not ('0' or '1'))) return null;
                value = Convert.ToInt64(body[2..], 2);
            }
            else if (body.StartsWith("0o", StringComparison.Ordinal) || body.StartsWith("0O", StringComparison.Ordinal) || (body.Length > 1 && body[0] == '0' && body.All(char.IsAsciiDigit)))
            {
                var digits = char.IsAsciiDigit(body[1]) ? body[1..] : body[2..];
                if (digits.Length == 0 || digits.Any(c => c is < '0' or > '7')) return null;
                value = Convert.ToInt64(digits, 8);
            }
            else
            {
                if (!body.All(char.IsAsciiDigit) || !long.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out value)) return null;
            }
        }
        catch (OverflowException)
        {
            return null;
        }
        return negative ? -value : value;
    }

    /// <summary>Go's strconv.FormatFloat(f, 'g', -1, 64): shortest digits; exponent form below 1e-4 and from 1e6.</summary>
    public static string FormatFloat(double d)
    {
        if (double.IsPositiveInfinity(d)) return "+Inf";
        if (double.IsNegativeInfinity(d)) return "-Inf";
        if (double.IsNaN(d)) return "NaN";
        if (d == 0) return 1 / d < 0 ? "-0" : "0";
        // Shortest round-trip digits: from "R", normalised to a digit string and a decimal exponent.
        var shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var mantissa = shortest;
        var exp10 = 0;
        var e = shortest.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = shortest[..e];
            exp10 = int.Parse(shortest[(e + 1)..], CultureInfo.InvariantCulture);
        }
        var point = mantissa.IndexOf('.');
        var digits = mantissa.Replace(".", "");
        var dp = (point < 0 ? mantissa.Length : point) + exp10;
        var lead = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0');
        dp -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        var sign = d < 0 ? "-" : "";
        var x = dp - 1;
        if (x < -4 || x >= 6)
        {
            var m = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            return $"{sign}{m}e{(x < 0 ? '-' : '+')}{Math.Abs(x):00}";
        }
        if (dp <= 0) return $"{sign}0.{new string('0', -dp)}{digits}";
        if (dp >= digits.Length) return sign + digits + new string('0', dp - digits.Length);
        return $"{sign}{digits[..dp]}.{digits[dp..]}";
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")]
    private static partial Regex Base60();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?$")]
    private static partial Regex Timestamp();

    // ---- writing ------------------------------------------------------------------------------

    private static readonly System.Text.Json.JsonSerializerOptions CompactJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One document as compact JSON with its keys sorted, as Go's json.Marshal writes a map (inject -o json).</summary>
    public static string Json(JsonNode? node) => Sorted(node)?.ToJsonString(CompactJson) ?? "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>One document as go-yaml v2 marshals it (no document markers).</summary>
    public static string Write(JsonNode? node)
    {
        var text = new StringWriter { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings(2, 80, false, 1024, false, false, "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject o when o.Count == 0:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Flow));
                emitter.Emit(new MappingEnd());
                break;
            case JsonObject o:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
                foreach (var (key, value) in o.OrderBy(p => p.Key, KeyOrder.Instance))
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray a when a.Count == 0:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Flow));
                emitter.Emit(new SequenceEnd());
                break;
            case JsonArray a:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
                foreach (var item in a) Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                EmitString(emitter, v.GetValue<string>());
                break;
            case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, v.GetValue<bool>() ? "true" : "false", ScalarStyle.Plain, true, false));
                break;
            case JsonValue v:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, Number(v), ScalarStyle.Plain, true, false));
                break;
        }
    }

    private static string Number(JsonValue v)
    {
        var raw = v.ToJsonString();
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l.ToString(CultureInfo.InvariantCulture);
        return FormatFloat(v.GetValue<double>());
    }

    /// <summary>go-yaml's stringv: literal for multi-line, plain when it reads back as a string, else double-quoted;
    /// the emitter falls back to single quotes where plain is not allowed.</summary>
    private static void EmitString(IEmitter emitter, string s)
    {
        // libyaml's emitter (go-yaml's) double-quotes any scalar with a character it deems unprintable (a tab, say).
        var style = s.Any(c => !IsPrintable(c)) ? ScalarStyle.DoubleQuoted
            : s.Contains('\n') ? ScalarStyle.Literal
            : ResolvesToString(s) ? ScalarStyle.Any
            : ScalarStyle.DoubleQuoted;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, s, style, true, false));
    }

    /// <summary>go-yaml's is_printable (yamlprivateh.go), for one UTF-16 unit: LF, 0x20-0x7E, 0xA0-0xD7FF, 0xE000-0xFFFD but the BOM;
    /// surrogates (characters beyond the BMP) are printable there only as UTF-8 of up to 3 bytes, so not at all.</summary>
    private static bool IsPrintable(char c) =>
        c == '\n' || (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);

    /// <summary>go-yaml v2's keyList.Less: letters by code point, non-letters first, digit runs numerically.</summary>
    public sealed class KeyOrder : IComparer<string>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x == y) return 0;
            return Less(x!, y!) ? -1 : 1;
        }

        private static bool Less(string a, string b)
        {
            var ar = a.EnumerateRunes().ToArray();
            var br = b.EnumerateRunes().ToArray();
            for (var i = 0; i < ar.Length && i < br.Length; i++)
            {
                if (ar[i] == br[i]) continue;
                var al = Rune.IsLetter(ar[i]);
                var bl = Rune.IsLetter(br[i]);
                if (al && bl) return ar[i].Value < br[i].Value;
                if (al || bl) return bl;
                long an = 0, bn = 0;
                if (ar[i].Value == '0' || br[i].Value == '0')
                {
                    for (var j = i - 1; j >= 0 && Rune.IsDigit(ar[j]); j--)
                    {
                        if (ar[j].Value != '0') { an = 1; bn = 1; break; }
                    }
                }
                int ai, bi;
                for (ai = i; ai < ar.Length && Rune.IsDigit(ar[ai]); ai++) an = an * 10 + (ar[ai].Value - '0');
                for (bi = i; bi < br.Length && Rune.IsDigit(br[bi]); bi++) bn = bn * 10 + (br[bi].Value - '0');
                if (an != bn) return an < bn;
                if (ai != bi) return ai < bi;
                return ar[i].Value < br[i].Value;
            }
            return ar.Length < br.Length;
        }
    }
}
