using CausalPanel.Cli;

// The causalpanel tool: see docs/cli.md. Ctrl+C cancels the running command, which then says what had finished.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;     // let the command stop cleanly rather than killing the process
    cancel.Cancel();
};
return Cli.Run(args, Terminal.System(), cancel.Token);
