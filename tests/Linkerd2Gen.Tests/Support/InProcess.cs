namespace Linkerd2Gen.Tests.Support;

/// <summary>The command line run in-process: its exit code, stdout and stderr.</summary>
public static class InProcess
{
    public static (int Code, string Out, string Err) Cli(string[] args, string? stdin = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Linkerd2Gen.Cli.Cli.Run(args, stdin is null ? TextReader.Null : new StringReader(stdin), stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
