using CsCheck;
using Linkerd2Gen.Tests.Support;
using Linkerd2Gen.Yaml;

namespace Linkerd2Gen.Tests.Rendering;

/// <summary>
/// YAML 1.1 fidelity checked by a reader that is not ours (PyYAML): every string the quoting filter writes reads back
/// as that same string. Generated strings lean on the characters YAML 1.1 gives meaning to.
/// </summary>
public class Yaml11OracleTests
{
    /// <summary>Strings a YAML 1.1 reader takes for something else when plain; each must stay a string.</summary>
    public static readonly string[] Tricky =
    [
        "=", "<<", "2026-11-25", "2026-11-25T10:00:00Z", "2026-11-25 10:00:00", "1_000", "1_000.5", "0o17", "0b101", "017", "0x1F", "+12",
        "-12", ".5", "+.5", "1.", "1e3", "1E+3", "6.8523015e+5", "12:30:00", "190:20:30", "-1:30", ".inf", "-.Inf", ".NaN", "~", "Null",
        "NULL", "null", "", "NO", "no", "No", "y", "Y", "n", "N", "yes", "Yes", "on", "On", "OFF", "off", "true", "False", "TRUE",
        "0", "00", "0.", "-0", "+0", "1:2", "a: b", "a #b", "#a", "- a", "? a", "!a", "&a", "*a", "%a", "@a", "`a", "|", ">", "'", "\"",
        "[a]", "{a}", "a,b", " a", "a ", "\t", "a\nb", "a\\b", "ünï ✓",
    ];

    private const string Alphabet = "0123456789._-+:eEoOxXbByYnNtTrRuUfFaAlLsS ~=<>#&*!|'\"%@`,[]{}?\\/";

    [Yaml11OracleFact]
    public void Tricky_strings_stay_strings_under_a_yaml_1_1_reader() => AssertStrings(Tricky);

    [Yaml11OracleFact]
    public void Generated_strings_stay_strings_under_a_yaml_1_1_reader() =>
        Gen.String[Gen.Char[Alphabet], 0, 10].Array[400].Sample(AssertStrings, iter: 10, threads: 1);

    /// <summary>inject writes as go-yaml v2 does, byte for byte: its strings read back as strings too, but for `=`,
    /// which go-yaml leaves plain (as linkerd's own output does) and PyYAML refuses.</summary>
    [Yaml11OracleFact]
    public void Inject_output_strings_stay_strings_under_a_yaml_1_1_reader() =>
        Gen.String[Gen.Char[Alphabet], 0, 10].Array[400].Select(a => a.Concat(Tricky).Where(s => s != "=").ToArray()).Sample(values =>
        {
            var read = Yaml11Oracle.Read(values.Select(v => GoYaml.Write(new System.Text.Json.Nodes.JsonObject { ["k"] = v })).ToList());
            var wrong = values.Zip(read).Where(x => x.Second != ("str", x.First)).Select(x => $"{Show(x.First)} reads as {x.Second.Type} {Show(x.Second.Value)}").ToList();
            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        }, iter: 5, threads: 1);

    private static void AssertStrings(string[] values)
    {
        var read = Yaml11Oracle.Read(values.Select(v => "k: " + YamlScalar.Quote(v) + "\n").ToList());
        var wrong = values.Zip(read).Where(x => x.Second != ("str", x.First))
            .Select(x => $"{Show(x.First)} written {Show(YamlScalar.Quote(x.First))} reads as {x.Second.Type} {Show(x.Second.Value)}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private static string Show(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}
