namespace CausalPanel;

/// <summary>Copies between rectangular arrays and row-major storage.</summary>
internal static class RowMajor
{
    public static T[] Flatten<T>(T[,] a)
    {
        int n = a.GetLength(0), t = a.GetLength(1);
        var flat = new T[n * t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                flat[i * t + s] = a[i, s];
        return flat;
    }

    public static T[,] ToArray<T>(ReadOnlySpan<T> flat, int n, int t)
    {
        var a = new T[n, t];
        for (var i = 0; i < n; i++)
            for (var s = 0; s < t; s++)
                a[i, s] = flat[i * t + s];
        return a;
    }
}
