namespace CausalPanel;

/// <summary>Reports a later stage's count after the <paramref name="offset"/> items of the earlier ones, so that one running count keeps rising.</summary>
internal sealed class OffsetProgress(IProgress<int> inner, int offset) : IProgress<int>
{
    /// <summary>Null for no receiver.</summary>
    public static IProgress<int>? After(IProgress<int>? inner, int offset) => inner is null ? null : new OffsetProgress(inner, offset);

    /// <inheritdoc/>
    public void Report(int value) => inner.Report(offset + value);
}
