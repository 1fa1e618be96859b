namespace CausalPanel;

/// <summary>
/// One test in one simulated panel: the estimate and its interval's half-width — the half-width NaN when the method was
/// undefined (the estimate is still the fit's), both NaN when the estimator refused the panel (<see cref="Undefined"/>).
/// </summary>
internal readonly record struct TestDraw(double Estimate, double HalfWidth)
{
    public static TestDraw Undefined => new(double.NaN, double.NaN);

    public bool IsDefined => !double.IsNaN(HalfWidth);

    /// <summary>
    /// Both undefined (whatever their estimates: an undefined test rejects nothing), or the same estimate and half-width to 1e-4 of |estimate| + half-width: iterative solvers (DWCP, MC-NNM)
    /// stop at their tolerance, and a difference this small moves a rejection only for draws that close to the boundary.
    /// </summary>
    public bool Matches(TestDraw other)
    {
        if (IsDefined != other.IsDefined) return false;
        if (!IsDefined) return true;
        var tolerance = 1e-4 * (Math.Abs(other.Estimate) + other.HalfWidth);
        return Math.Abs(Estimate - other.Estimate) <= tolerance && Math.Abs(HalfWidth - other.HalfWidth) <= tolerance;
    }

    /// <summary>0 lies outside estimate ± half-width.</summary>
    public bool Rejects => Math.Abs(Estimate) > HalfWidth;
}
