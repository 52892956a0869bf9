using System.Diagnostics;
using System.Text.Json;

namespace Linkerd2Gen.Tests.Support;

/// <summary>
/// An independent YAML 1.1 reader: PyYAML (safe_load) through python3. Reads many one-key documents in one process
/// and says, for each, the Python type and value it read, or the error it raised.
/// </summary>
public static class Yaml11Oracle
{
    private const string Script = """
        import json, sys, yaml
        out = []
        for doc in json.load(sys.stdin):
            try:
                v = yaml.safe_load(doc)["k"]
                out.append([type(v).__name__, v if isinstance(v, str) else repr(v)])
            except Exception as e:
                out.append(["error", type(e).__name__])
        json.dump(out, sys.stdout)
        """;

    private static readonly Lazy<string?> Python = new(FindPython);

    /// <summary>Why the oracle cannot run here, or null when it can.</summary>
    public static string? Unavailable => Python.Value is null ? "needs python3 with PyYAML (Debian: python3-yaml)" : null;

    /// <summary>Each document (a mapping with key k) as PyYAML reads it: (type name, value or repr), or ("error", exception).</summary>
    public static List<(string Type, string Value)> Read(IReadOnlyList<string> documents)
    {
        var start = new ProcessStartInfo(Python.Value ?? throw new InvalidOperationException(Unavailable), ["-c", Script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(JsonSerializer.Serialize(documents));
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "python3 failed: " + error);
        return JsonSerializer.Deserialize<List<List<string>>>(output)!.Select(x => (x[0], x[1])).ToList();
    }

    private static string? FindPython()
    {
        foreach (var candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                using var p = Process.Start(new ProcessStartInfo(candidate, ["-c", "import yaml"]) { RedirectStandardError = true })!;
                p.WaitForExit();
                if (p.ExitCode == 0) return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // not installed
            }
        }
        return null;
    }
}

/// <summary>A fact that needs the YAML 1.1 oracle: skipped with a reason where python3/PyYAML is missing, failing in CI.</summary>
public sealed class Yaml11OracleFactAttribute : FactAttribute
{
    public Yaml11OracleFactAttribute()
    {
        if (Yaml11Oracle.Unavailable is { } why && !Repo.IsCi) Skip = why;
    }
}
