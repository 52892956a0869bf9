using CommandLine;
using Linkerd2Gen.Cli;

return Cli.Run(args, Console.Out, Console.Error);
