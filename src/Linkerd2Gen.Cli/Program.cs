using Linkerd2Gen.Cli;

HugePageHeap.Request();
return Cli.Run(args, Console.Out, Console.Error);
