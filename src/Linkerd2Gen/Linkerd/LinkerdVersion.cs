using System.Globalization;

namespace Linkerd2Gen.Linkerd;

/// <summary>A Linkerd stable minor version (2.8 … 2.20, see LinkerdReleases), ordered numerically (2.10 &gt; 2.9).</summary>
public readonly record struct LinkerdVersion(int Minor) : IComparable<LinkerdVersion>
{
    public static LinkerdVersion Parse(string text) =>
        new(int.Parse(text.AsSpan(text.IndexOf('.') + 1), CultureInfo.InvariantCulture));

    public int CompareTo(LinkerdVersion other) => Minor.CompareTo(other.Minor);
    public static bool operator >=(LinkerdVersion a, LinkerdVersion b) => a.Minor >= b.Minor;
    public static bool operator <=(LinkerdVersion a, LinkerdVersion b) => a.Minor <= b.Minor;
    public static bool operator >(LinkerdVersion a, LinkerdVersion b) => a.Minor > b.Minor;
    public static bool operator <(LinkerdVersion a, LinkerdVersion b) => a.Minor < b.Minor;

    public override string ToString() => $"2.{Minor}";
}
