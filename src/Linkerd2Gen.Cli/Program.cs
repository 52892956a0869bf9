using Linkerd2Gen.Cli;

HugePageHeap.Request();
var (stdout, stderr) = StandardStream.Open();
var code = Cli.Run(args, stdout, stderr);
// What was not said (standard error failing) is not success.
return stderr.Failed && code == Cli.Ok ? Cli.Findings : code;
