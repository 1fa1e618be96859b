namespace CausalPanel.Numerics;

/// <summary>
/// The C++ "minimal standard" linear congruential engines x ← a·x mod (2³¹ − 1) (Park and Miller
/// 1988): <c>std::minstd_rand0</c> (a = 16807; libstdc++'s <c>default_random_engine</c>, which
/// MCPanel uses on Linux) and <c>std::minstd_rand</c> (a = 48271; libc++'s, macOS). Bernoulli draws
/// follow libstdc++/libc++: u = generate_canonical&lt;double, 53&gt; from two engine outputs,
/// u = ((x₁ − 1) + (x₂ − 1)·R) / R² with R = 2³¹ − 2, and the draw is u &lt; p. Default seed 1.
/// </summary>
internal sealed class MinimalStandardRandom(long multiplier, long seed = 1)
{
    private const long Modulus = 2147483647;   // 2^31 − 1
    private const double Range = 2147483646;   // max − min + 1 = 2^31 − 2
    private long _state = seed % Modulus == 0 ? 1 : seed % Modulus;

    /// <summary>minstd_rand0 (a = 16807), the engine of MCPanel on Linux.</summary>
    public static MinimalStandardRandom Rand0() => new(16807);

    /// <summary>minstd_rand (a = 48271), the engine of MCPanel on macOS.</summary>
    public static MinimalStandardRandom Rand() => new(48271);

    /// <summary>The next engine output in [1, 2³¹ − 2].</summary>
    public long Next() => _state = _state * multiplier % Modulus;

    /// <summary>A double in [0, 1) as <c>std::generate_canonical&lt;double, 53&gt;</c>.</summary>
    public double NextCanonical()
    {
        double low = Next() - 1, high = Next() - 1;
        var u = (low + high * Range) / (Range * Range);
        return u >= 1 ? Math.BitDecrement(1.0) : u;
    }

    /// <summary><c>std::bernoulli_distribution(p)</c>: true with probability p.</summary>
    public bool NextBernoulli(double p) => NextCanonical() < p;
}
