using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Linkerd2Gen.Kubernetes;

/// <summary>
/// A label selector as Kubernetes writes one in text (apimachinery's labels.Parse), as a Kustomize patch target's
/// labelSelector and annotationSelector are written: requirements joined by commas, each `key`, `!key`, `key=value`
/// (or `==`), `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key&gt;n` or `key&lt;n`. All must hold; `!=` and `notin`
/// hold where the key is absent too.
/// </summary>
public sealed partial class LabelSelector
{
    private readonly IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> _requirements;

    private LabelSelector(IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> requirements) => _requirements = requirements;

    /// <summary>Whether every requirement holds for these labels (or annotations).</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r(labels));

    /// <summary>Whether every requirement holds for an object's map of labels (or annotations); none is an empty map.</summary>
    public bool Matches(JsonNode? map) =>
        Matches((map as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal));

    /// <summary>The selector, or null with what is wrong in it.</summary>
    public static LabelSelector? Parse(string text, out string? error)
    {
        error = null;
        var requirements = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (var part in Split(text))
        {
            var m = Requirement().Match(part);
            if (!m.Success)
            {
                error = $"'{part.Trim()}' is no label selector requirement (key, !key, key=value, key!=value, key in (a,b), key notin (a,b))";
                return null;
            }
            var key = m.Groups["key"].Value;
            var value = m.Groups["value"].Value.Trim();
            var set = value.TrimStart('(').TrimEnd(')').Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            Func<IReadOnlyDictionary<string, string>, bool> holds = (m.Groups["not"].Success, m.Groups["op"].Value) switch
            {
                (true, _) => labels => !labels.ContainsKey(key),
                (false, "") => labels => labels.ContainsKey(key),
                (false, "=" or "==") => labels => labels.TryGetValue(key, out var v) && v == value,
                (false, "!=") => labels => !labels.TryGetValue(key, out var v) || v != value,
                (false, "in") => labels => labels.TryGetValue(key, out var v) && set.Contains(v),
                (false, "notin") => labels => !labels.TryGetValue(key, out var v) || !set.Contains(v),
                (false, var op) when long.TryParse(value, out var bound) =>
                    labels => labels.TryGetValue(key, out var v) && long.TryParse(v, out var n) && (op == ">" ? n > bound : n < bound),
                _ => null!,
            };
            if (holds is null)
            {
                error = $"'{part.Trim()}': {m.Groups["op"].Value} compares with a whole number";
                return null;
            }
            requirements.Add(holds);
        }
        return new LabelSelector(requirements);
    }

    /// <summary>The requirements: the text split at commas outside the parentheses of a set.</summary>
    private static IEnumerable<string> Split(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0))
            {
                if (text[start..i].Trim().Length > 0 || i < text.Length) yield return text[start..i];
                start = i + 1;
            }
            else if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
        }
    }

    // A key is a qualified name with an optional DNS prefix (example.com/name); a value may be empty.
    [GeneratedRegex(@"^\s*(?:(?<not>!)\s*(?<key>[A-Za-z0-9./_-]+)|(?<key>[A-Za-z0-9./_-]+)\s*(?:(?<op>==|!=|=|>|<)\s*(?<value>[A-Za-z0-9._-]*)|\s(?<op>in|notin)\s*(?<value>\(\s*[A-Za-z0-9._-]*(?:\s*,\s*[A-Za-z0-9._-]*)*\s*\)))?)\s*$")]
    private static partial Regex Requirement();
}
