using System.Diagnostics;

namespace Linkerd2Gen.Tests.Support;

/// <summary>Another program run to its end: its exit code, stdout and stderr (both read at once, so neither can block it).</summary>
public static class Processes
{
    public static (int Code, string Out, string Err) Run(string command, IEnumerable<string> args, string? workdir = null, IDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workdir is not null) start.WorkingDirectory = workdir;
        foreach (var (key, value) in env ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
