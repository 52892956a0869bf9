using System.Globalization;
using System.Text.RegularExpressions;

namespace Linkerd2Gen.Kubernetes;

/// <summary>Kubernetes resource quantities (apimachinery resource.Quantity): parsing and the canonical form its String() prints.</summary>
public static partial class Quantity
{
    private static readonly (string Suffix, int Exponent)[] Decimal =
        [("n", -9), ("u", -6), ("m", -3), ("", 0), ("k", 3), ("M", 6), ("G", 9), ("T", 12), ("P", 15), ("E", 18)];

    private static readonly string[] Binary = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    public static bool IsValid(string text) => Pattern().IsMatch(text);

    /// <summary>The canonical string, e.g. "0.1" → "100m", "1024Mi" → "1Gi", "0.5Gi" → "512Mi"; null if not a quantity.</summary>
    public static string? Canonical(string text)
    {
        var m = Pattern().Match(text);
        if (!m.Success) return null;
        if (!decimal.TryParse(m.Groups["number"].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return null;
        var suffix = m.Groups["suffix"].Value;
        try
        {
            if (suffix.EndsWith('i'))
            {
                var value = number * Pow(1024, Array.IndexOf(Binary, suffix));
                if (value == decimal.Truncate(value))
                {
                    var k = 0;
                    while (k + 1 < Binary.Length && value != 0 && value % Pow(1024, k + 1) == 0) k++;
                    return Format(value / Pow(1024, k)) + Binary[k];
                }
                return DecimalForm(value, exponentNotation: false);
            }
            if (suffix.StartsWith('e') || suffix.StartsWith('E') && suffix.Length > 1)
            {
                var exp = int.Parse(suffix[1..], CultureInfo.InvariantCulture);
                return DecimalForm(number * Pow10(exp), exponentNotation: true);
            }
            var e = Decimal.Single(d => d.Suffix == suffix).Exponent;
            return DecimalForm(number * Pow10(e), exponentNotation: false);
        }
        catch (OverflowException)
        {
            return text;
        }
    }

    /// <summary>Largest exponent (a multiple of 3) that leaves an integer mantissa; below nano, rounded up to nano.</summary>
    private static string DecimalForm(decimal value, bool exponentNotation)
    {
        var nanos = value * 1_000_000_000m;
        if (nanos != decimal.Truncate(nanos)) nanos = nanos > 0 ? decimal.Ceiling(nanos) : decimal.Floor(nanos);
        var exponent = -9;
        var mantissa = nanos;
        while (exponent < 18 && mantissa != 0 && mantissa % 1000 == 0)
        {
            mantissa /= 1000;
            exponent += 3;
        }
        if (mantissa == 0) return "0";
        if (exponentNotation) return exponent == 0 ? Format(mantissa) : $"{Format(mantissa)}e{exponent}";
        return Format(mantissa) + Decimal.Single(d => d.Exponent == exponent).Suffix;
    }

    private static string Format(decimal d) => decimal.Truncate(d).ToString(CultureInfo.InvariantCulture);

    private static decimal Pow(int b, int e)
    {
        decimal r = 1;
        for (var i = 0; i < e; i++) r *= b;
        return r;
    }

    private static decimal Pow10(int e) => e >= 0 ? Pow(10, e) : 1m / Pow(10, -e);

    [GeneratedRegex(@"^(?<number>[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+))(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+|)$")]
    private static partial Regex Pattern();
}
