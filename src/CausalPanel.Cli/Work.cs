using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace CausalPanel.Cli;

/// <summary>
/// Runs a command's long steps (fits, replications, simulations) one after another: on a terminal as Spectre progress
/// bars with the time remaining, otherwise one line per finished step on standard error (none with --quiet or
/// --json). Remembers what finished, so that a Ctrl+C can say so.
/// </summary>
internal sealed class Work
{
    private readonly Terminal _terminal;
    private readonly bool _quiet;
    private readonly List<string> _finished = [];
    private ProgressContext? _bars;
    private bool _cancelled;

    private Work(Terminal terminal, bool quiet) => (_terminal, _quiet) = (terminal, quiet);

    /// <summary>
    /// Runs <paramref name="body"/> with progress bars when standard error is a terminal and the command is not quiet.
    /// Returns false after a Ctrl+C, having said (once the bars are gone) what had finished and <paramref name="notDone"/>.
    /// </summary>
    public static bool TryRun(Terminal terminal, bool quiet, string notDone, Action<Work> body)
    {
        var work = new Work(terminal, quiet);
        void Body()
        {
            try
            {
                body(work);
            }
            catch (OperationCanceledException)
            {
                work._cancelled = true;
            }
        }
        if (quiet || !terminal.ErrorIsTerminal)
            Body();
        else
            terminal.Console(terminal.Error, isTerminal: true).Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    work._bars = ctx;
                    Body();
                });
        if (!work._cancelled) return true;
        terminal.Error.WriteLine(work._finished.Count == 0
            ? $"Cancelled before anything finished; {notDone}."
            : $"Cancelled. Finished: {string.Join("; ", work._finished)}. {char.ToUpperInvariant(notDone[0])}{notDone[1..]}.");
        return false;
    }

    /// <summary>
    /// One step: <paramref name="action"/> gets a progress receiver counting finished replicates (of
    /// <paramref name="expected"/>, when known; null when nothing is shown).
    /// </summary>
    public T Step<T>(string label, int? expected, Func<IProgress<int>?, T> action)
    {
        var clock = Stopwatch.StartNew();
        T result;
        if (_bars is { } bars)
        {
            var task = bars.AddTask(Markup.Escape(label), maxValue: expected ?? 1);
            task.IsIndeterminate = expected is null;
            result = action(new Counter(task, label));
            task.IsIndeterminate = false;
            task.Value = task.MaxValue;
            task.StopTask();
        }
        else
        {
            result = action(null);
        }
        var line = $"{label}: done in {Seconds(clock.Elapsed)}";
        _finished.Add(line);
        if (_bars is null) _terminal.Note(line, _quiet);
        return result;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString(t.TotalSeconds < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>
    /// Moves a bar to the count of finished replicates (reports come from worker threads, possibly out of order); when
    /// the total is not known in advance the bar stays indeterminate and the count is shown beside the label.
    /// </summary>
    private sealed class Counter(ProgressTask task, string label) : IProgress<int>
    {
        private readonly Lock _gate = new();

        public void Report(int value)
        {
            lock (_gate)
            {
                if (task.IsIndeterminate) task.Description = Markup.Escape($"{label} ({value} done)");
                else if (value > task.Value) task.Value = Math.Min(value, task.MaxValue);
            }
        }
    }
}
