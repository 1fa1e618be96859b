using Spectre.Console;

namespace CausalPanel.Cli;

/// <summary>
/// Where a command reads and writes: results to <see cref="Out"/> (plain text, never wrapped or coloured, so it can be
/// piped), messages and progress to <see cref="Error"/>. Progress bars and colour only when standard error is a
/// terminal (and NO_COLOR is unset); tests pass string writers.
/// </summary>
internal sealed record Terminal(TextWriter Out, TextWriter Error, TextReader In, bool ErrorIsTerminal, bool OutIsTerminal = false)
{
    /// <summary>The process's own streams.</summary>
    public static Terminal System() => new(global::System.Console.Out, global::System.Console.Error, global::System.Console.In, !global::System.Console.IsErrorRedirected,
        !global::System.Console.IsOutputRedirected);

    /// <summary>The console Spectre draws help, progress and coloured messages on (standard error, or standard output for help).</summary>
    /// <remarks>Off a terminal: no colour, no animation, and lines up to 120 characters (help text is not wrapped at 80).</remarks>
    public IAnsiConsole Console(TextWriter writer, bool isTerminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal) console.Profile.Width = 120;
        return console;
    }

    /// <summary>A message on standard error (a note or a warning); nothing when <paramref name="quiet"/>.</summary>
    public void Note(string text, bool quiet)
    {
        if (!quiet) Error.WriteLine(text);
    }
}
