using System.Text.Json;
using Linkerd2Gen.Load;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Tests.Input;

/// <summary>
/// Reading a mesh file, a plain scalar that both dialects surely read as text is written as text without being typed
/// (YAML 1.2's reading and go-yaml's YAML 1.1 one, compared for each typed scalar). The shortcut must never take a value
/// either dialect reads as a number, a boolean, null, a timestamp or a float JSON cannot hold.
/// </summary>
public class ScalarTypingTests
{
    private static IEnumerable<string> Candidates()
    {
        // Every string of up to three characters over both dialects' traps: digits, signs, dots, '~', '_', ':', 'x', 'e',
        // the letters of their words, a space.
        const string alphabet = "yYnNoOeEsStTfFrRuUlLaAiI0x19.+-~_: ";
        var strings = new List<string>();
        void Grow(string prefix)
        {
            if (prefix.Length > 0) strings.Add(prefix);
            if (prefix.Length < 3) foreach (var c in alphabet) Grow(prefix + c);
        }
        Grow("");
        // Every case form of the dialects' words, bare and after a dot (.inf, .NaN).
        foreach (var word in new[] { "y", "yes", "n", "no", "on", "off", "true", "false", "null", "nan", "inf" })
        {
            for (var mask = 0; mask < 1 << word.Length; mask++)
            {
                var cased = string.Concat(word.Select((c, i) => (mask >> i & 1) == 1 ? char.ToUpperInvariant(c) : c));
                strings.Add(cased);
                strings.Add("." + cased);
            }
        }
        return strings.Concat(["0x1F", "0o17", "0b101", "1e3", "1_000", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "12:30:45", "190:20:30",
            "ghcr.io/example/svc:1", "/api/", "svc0", "enabled", "<<", "=", "*", "!x"]);
    }

    [Fact]
    public void A_scalar_taken_as_text_untyped_is_text_to_both_dialects()
    {
        var untyped = 0;
        foreach (var s in Candidates())
        {
            if (!YamlToJson.IsSurelyText(s)) continue;
            untyped++;
            Assert.True(Yaml12.Resolve(new YScalar(default, s, true, null)) is { } v12 && v12.GetValueKind() == JsonValueKind.String && v12.GetValue<string>() == s, $"'{s}' is no text to YAML 1.2");
            Assert.True(GoYaml.Resolve(s) is { } v11 && v11.GetValueKind() == JsonValueKind.String, $"'{s}' is no text to go-yaml");
            Assert.False(Yaml12.IsNonFiniteFloat(s), $"'{s}' is a float JSON cannot hold");
        }
        Assert.True(untyped > 20_000, $"only {untyped} candidates were taken as text: the corpus does not exercise the shortcut");
    }

    /// <summary>The loader warns (L2G0014) about a typed plain scalar exactly when the two dialects read it as different
    /// things: judged here from the two readings themselves (kind, then value), not from the loader's own descriptions,
    /// which it skips for readings that are equal.</summary>
    [Fact]
    public void The_loader_warns_exactly_when_the_dialects_read_a_typed_scalar_differently()
    {
        static bool Same(System.Text.Json.Nodes.JsonNode? a, System.Text.Json.Nodes.JsonNode? b) =>
            a?.GetValueKind() == b?.GetValueKind() && a?.GetValueKind() switch
            {
                null or JsonValueKind.Null => true,
                JsonValueKind.Number => double.Parse(a!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) == double.Parse(b!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
                _ => a!.ToJsonString() == b!.ToJsonString(),
            };
        var typed = 0;
        var warned = 0;
        foreach (var s in Candidates().Where(s => !YamlToJson.IsSurelyText(s) && s.Trim() == s && !s.Contains(": ") && !s.StartsWith('*') && !s.StartsWith('!')))
        {
            var yaml12 = Yaml12.Resolve(new YScalar(default, s, true, null));
            if (yaml12?.GetValueKind() == JsonValueKind.String && Yaml12.IsNonFiniteFloat(s)) continue;
            var diagnostics = new Linkerd2Gen.Diagnostics.DiagnosticBag();
            if (YamlLoader.Load("mesh.yaml", $"key: {s}\n", diagnostics) is null) continue;
            typed++;
            var warns = diagnostics.Items.Any(d => d.Code == "L2G0014");
            warned += warns ? 1 : 0;
            Assert.True(warns == !Same(yaml12, GoYaml.Resolve(s)), $"'{s}': warned {warns}; YAML 1.2 reads {yaml12?.ToJsonString() ?? "null"}, go-yaml {GoYaml.Resolve(s)?.ToJsonString() ?? "null"}");
        }
        // The corpus holds values both read alike (the shortcut) and scalars they read apart (010, on, 1_000).
        Assert.True(typed > 1_000 && warned > 50, $"{typed} typed scalars, {warned} warned about");
    }

    /// <summary>Regression: YAML 1.2 reads 01.5 as the float 1.5, and JSON has no leading zeros; the loader wrote the
    /// literal and then failed to read it back (an internal error, L2G0999, instead of the file's findings).</summary>
    [Theory]
    [InlineData("01.5", "1.5")]
    [InlineData("-00.50", "-0.50")]
    [InlineData("+007e2", "7e2")]
    [InlineData("00.", "0.0")]
    [InlineData("0.5", "0.5")]
    public void A_float_written_with_leading_zeros_loads_as_its_number(string yaml, string json)
    {
        var diagnostics = new Linkerd2Gen.Diagnostics.DiagnosticBag();
        var loaded = YamlLoader.Load("mesh.yaml", $"key: {yaml}\n", diagnostics);
        Assert.NotNull(loaded);
        Assert.Equal($"{{\"key\":{json}}}", System.Text.Encoding.UTF8.GetString(loaded.Utf8.Span));
    }
}
