using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Linkerd2Gen.Yaml;

/// <summary>
/// YAML 1.2 core-schema scalar resolution, the dialect of mesh files: `yes` stays a string, `0x10` is 16,
/// `2.10` is a number (the schema then asks for quotes).
/// </summary>
public static partial class Yaml12
{
    public static JsonNode? Resolve(YScalar scalar)
    {
        if (!scalar.IsPlain)
        {
            return scalar.Tag switch
            {
                "tag:yaml.org,2002:int" when long.TryParse(scalar.Value, CultureInfo.InvariantCulture, out var i) => JsonValue.Create(i),
                "tag:yaml.org,2002:bool" when bool.TryParse(scalar.Value, out var b) => JsonValue.Create(b),
                _ => JsonValue.Create(scalar.Value),
            };
        }
        var v = scalar.Value;
        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (DecimalInt().IsMatch(v) && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var dec))
        {
            return JsonValue.Create(dec);
        }
        if (v.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(v[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }
        if (v.StartsWith("0o", StringComparison.Ordinal) && OctalDigits().IsMatch(v[2..]))
        {
            return JsonValue.Create(System.Convert.ToInt64(v[2..], 8));
        }
        if (Float().IsMatch(v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            // Keep the literal text so "1.10" reports as 1.10, not 1.1.
            return JsonNode.Parse(NormaliseFloat(v));
        }
        return JsonValue.Create(v);
    }

    /// <summary>A plain scalar YAML 1.2 reads as a float that JSON cannot hold: .inf, -.Inf, .NaN, or one too large (1e400).</summary>
    public static bool IsNonFiniteFloat(string v) =>
        v is ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF" or ".nan" or ".NaN" or ".NAN"
        || (Float().IsMatch(v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsFinite(d));

    // JSON needs one digit before '.' (YAML's 01.5 is JSON's 1.5: no leading zeros), no '+' and no trailing '.'.
    private static string NormaliseFloat(string v)
    {
        var s = v.TrimStart('+');
        var sign = s.StartsWith('-') ? "-" : "";
        s = s.TrimStart('-').TrimStart('0');
        if (s.Length == 0 || s[0] is '.' or 'e' or 'E') s = "0" + s;
        s = s.Replace(".e", ".0e").Replace(".E", ".0E");
        if (s.EndsWith('.')) s += "0";
        return sign + s;
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex DecimalInt();

    [GeneratedRegex(@"^[0-7]+$")]
    private static partial Regex OctalDigits();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
