using Linkerd2Gen.Cli;

HugePageHeap.Request();
// Standard output before standard error: see StandardOutput.
var stdout = new StandardOutput(() => Console.Out);
return Cli.Run(args, stdout, Console.Error);
