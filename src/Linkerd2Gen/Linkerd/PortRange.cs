using System.Globalization;
using System.Text.RegularExpressions;

namespace Linkerd2Gen.Linkerd;

/// <summary>One item of a Linkerd port list: a port ("8080") or an inclusive range ("8100-8102"), as util.ParsePortRange reads it.</summary>
public readonly partial record struct PortRange(int Low, int High)
{
    /// <summary>The shape only; callers check the bounds they need (Linkerd's flags take 0, the mesh file does not).</summary>
    public static PortRange? Parse(string item)
    {
        var m = Shape().Match(item.Trim());
        if (!m.Success) return null;
        var low = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return new PortRange(low, m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : low);
    }

    public bool IsWithin(int min, int max) => min <= Low && Low <= High && High <= max;

    [GeneratedRegex(@"^([0-9]{1,5})(?:-([0-9]{1,5}))?$")]
    private static partial Regex Shape();
}
