using StateMachineMqtt.Cli;

InheritedSignals.RestoreInterrupt(); // before anything touches Console: see there why
// `smqtt sub` writes through a buffered standard output and flushes it when idle (no message waiting), so printing keeps
// up with the network; the other commands print progress live, so theirs flushes at every write.
bool sub = args.Length > 0 && args[0] == "sub";
var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16) { AutoFlush = !sub };
await using (stdout.ConfigureAwait(false))
{
    return await CliApp.RunAsync(args, Console.In, stdout, Console.Error, StateMachineMqtt.Cli.Commands.CliEnvironment.FromConsole(), CancellationToken.None).ConfigureAwait(false);
}
