namespace CausalPanel.Tests.Support;

/// <summary>Cancellation sources for the tests that cancel a run in its middle.</summary>
internal static class Cancellation
{
    /// <summary>
    /// A source a dedicated thread cancels <paramref name="milliseconds"/> from now: <c>CancelAfter</c>'s timer runs on the
    /// thread pool, which the parallel test run (and a simulation beside it) can keep busy until a short fit has already
    /// ended — seen in CI, and once for 30 s with an SC fit that then finished uncancelled.
    /// </summary>
    public static CancellationTokenSource In(int milliseconds)
    {
        var source = new CancellationTokenSource();
        new Thread(() =>
        {
            Thread.Sleep(milliseconds);
            try { source.Cancel(); }
            catch (ObjectDisposedException) { }   // the test ended first (its assertion then failed)
        }) { IsBackground = true }.Start();
        return source;
    }
}
