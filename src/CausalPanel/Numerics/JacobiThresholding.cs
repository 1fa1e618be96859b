using static CausalPanel.Numerics.Blas;

namespace CausalPanel.Numerics;

/// <summary>
/// The one-sided Jacobi SVD (Hestenes 1958; Demmel and Veselić 1992) behind <see cref="SingularValueThresholding"/>,
/// on the shorter side of a matrix at unit scale: rotate the columns B = W V (W = P, or Pᵀ when P is wide) until they
/// are orthogonal (apart from a block of columns shown to lie below τ, see <see cref="Decompose"/>); then σ_j = ‖b_j‖,
/// v_j the columns of V (the rotations accumulated) and SVT_τ(P) = Σ_j (1 − τ/σ_j)₊ b_j v_jᵀ. V is kept between calls:
/// an iterative solver thresholds nearly the same matrix each step, so the warm columns are almost orthogonal and a few
/// sweeps finish the job. Memory is the k×k rotation and one working copy (k = min(rows, cols)); no full U is formed.
/// It serves small matrices directly and, for large ones, the k × k triangular factor of their QR decomposition.
/// </summary>
internal sealed class JacobiThresholding
{
    private const int MaxSweeps = 60;
    private const int ReorthonormaliseEvery = 8;
    private const double LooseCosine = 1e-4;   // two columns below τ are rotated only while their cosine exceeds this
    private const double MachineEpsilon = 2.220446049250313e-16;
    private readonly int _rows, _cols, _length, _k;
    private readonly bool _transpose;   // work on Pᵀ when P has more columns than rows
    private readonly double[] _w;       // P in working orientation (only when transposing)
    private readonly double[] _b;       // length × k rotated columns
    private readonly double[] _v;       // k × k orthogonal V, row j holding v_j: the rotations accumulated, and the next call's warm start
    private readonly double[] _norms;   // ‖b_j‖²
    private readonly double[] _coefficients;
    private readonly int[] _order;
    private readonly double[] _gamma, _tangent, _cosine;
    private readonly bool[] _below;     // ‖b_j‖ < τ at the start of a sweep: pairs of two such columns are skipped
    private readonly int[] _members;
    private readonly double[] _gram;    // k × k scratch for the test that the skipped block is below τ
    private readonly double _tolerance;
    private bool _warm;
    private int _calls;

    /// <param name="rows">Rows of the column-major matrices this instance will decompose.</param>
    /// <param name="cols">Columns.</param>
    /// <param name="roundingLength">
    /// The length whose rounding decides which components are negligible (σ ≤ max(length, 8)·ε·σ_max): the longer side
    /// by default; the original matrix's when this instance decomposes its triangular factor.
    /// </param>
    public JacobiThresholding(int rows, int cols, int? roundingLength = null)
    {
        (_rows, _cols) = (rows, cols);
        _transpose = cols > rows;
        (_length, _k) = _transpose ? (cols, rows) : (rows, cols);
        _w = _transpose ? new double[rows * cols] : [];
        _b = new double[rows * cols];
        _v = new double[_k * _k];
        _norms = new double[_k];
        _coefficients = new double[_k];
        _order = new int[_k + (_k & 1)];
        (_gamma, _tangent, _cosine) = (new double[_order.Length / 2], new double[_order.Length / 2], new double[_order.Length / 2]);
        (_below, _members, _gram) = (new bool[_k], new int[_k], new double[_k * _k]);
        _tolerance = Math.Max(roundingLength ?? _length, 8) * MachineEpsilon;
    }

    /// <summary>Sweeps taken by the last decomposition (diagnostics and tests).</summary>
    public int LastSweeps { get; private set; }

    /// <summary>min(rows, cols): the number of components.</summary>
    public int Width => _k;

    /// <summary>
    /// Thresholds the last decomposition at τ: sets the coefficient (σ_j − τ)₊/σ_j of every component (0 for those at or
    /// below τ and those below rounding) and returns the nuclear norm Σ_j (σ_j − τ)₊ and the rank of the result.
    /// </summary>
    public (double NuclearNorm, int Rank) Shrink(double tau)
    {
        double norm = 0;
        var rank = 0;
        // Components below rounding of the largest (σ ≤ length·ε·σ_max) carry no information: dropped.
        var negligible = Math.Sqrt(_norms.Max()) * _tolerance;
        for (var j = 0; j < _k; j++)
        {
            var sigma = Math.Sqrt(_norms[j]);
            var shrunk = sigma - tau;
            _coefficients[j] = 0;
            if (!(shrunk > 0) || sigma <= negligible) continue;
            norm += shrunk;
            rank++;
            _coefficients[j] = shrunk / sigma;   // b_j = σ_j u_j, so (σ − τ) u_j v_jᵀ = (σ − τ)/σ b_j v_jᵀ
        }
        return (norm, rank);
    }

    /// <summary>The coefficient of component j set by <see cref="Shrink"/>.</summary>
    public double Coefficient(int j) => _coefficients[j];

    /// <summary>σ_j of the last decomposition (for a component of the block shown to lie below τ, only an upper bound's worth: it is below τ).</summary>
    public double SingularValue(int j) => Math.Sqrt(_norms[j]);

    /// <summary>v_j, the right singular vector of component j in working orientation (a row of the accumulated rotation).</summary>
    public ReadOnlySpan<double> RightVector(int j) => _v.AsSpan(j * _k, _k);

    /// <summary>Overwrites p with Σ_j c_j b_j v_jᵀ, the coefficients of <see cref="Shrink"/> (in p's own orientation).</summary>
    public void Reconstruct(double[] p)
    {
        // P = Σ_j c_j b_j v_jᵀ (working orientation length × k).
        if (!_transpose)
        {
            for (var l = 0; l < _k; l++)
            {
                var column = p.AsSpan(l * _length, _length);
                column.Clear();
                for (var j = 0; j < _k; j++)
                {
                    var c = _coefficients[j] * _v[j * _k + l];
                    if (c != 0) AddScaled(column, c, _b.AsSpan(j * _length, _length));
                }
            }
        }
        else
        {
            // P(r, c) = Σ_j coef_j B(c, j) V(r, j): column c of P is Σ_j (coef_j B(c, j)) v_j.
            for (var c = 0; c < _length; c++)
            {
                var column = p.AsSpan(c * _rows, _rows);
                column.Clear();
                for (var j = 0; j < _k; j++)
                {
                    var g = _coefficients[j] * _b[j * _length + c];
                    if (g != 0) AddScaled(column, g, _v.AsSpan(j * _k, _k));
                }
            }
        }
    }

    /// <summary>The largest σ² of the last decomposition.</summary>
    public double LargestSquared => _norms.Max();

    /// <summary>Σ_j σ_j of the last decomposition made with τ = 0.</summary>
    public double SumOfSingularValues => _norms.Sum(Math.Sqrt);

    /// <summary>
    /// B = W V by Jacobi rotations from the warm V until every pair of columns has a cosine below
    /// max(length, 8)·ε — except pairs of two columns shorter than <paramref name="tau"/>, which are rotated
    /// only while their cosine exceeds 10⁻⁴ (so that the other pairs keep converging quadratically) and are
    /// accepted once the block S of short columns has σ_max(B_S) &lt; τ, shown by a Cholesky factorisation of
    /// τ²I − B_SᵀB_S. B_S then spans components of P that are all below τ, which thresholding removes
    /// whatever their directions, so orthogonalising them is wasted work: most of the work when the result
    /// has low rank. If the test fails, all pairs are orthogonalised. _norms = ‖b_j‖² are then the squared
    /// singular values of the columns outside S, and V holds the rotations accumulated. p (at unit scale, see
    /// <see cref="SingularValueThresholding"/>) is left unchanged; the token is checked every sweep. With
    /// <paramref name="accuracy"/> &gt; 0 the cosine tolerance is max(accuracy, max(length, 8)·ε) instead: an inexact
    /// decomposition for callers that tolerate an error of that relative size (an iterative solver far from its fixed
    /// point, see <see cref="WeightedLowRankRegression"/>).
    /// </summary>
    public void Decompose(ReadOnlySpan<double> p, double tau, CancellationToken ct = default, double accuracy = 0)
    {
        var tolerance = Math.Max(accuracy, _tolerance);
        if (p.Length != _rows * _cols) throw new ArgumentException("Matrix size differs from the thresholder's.", nameof(p));
        ReadOnlySpan<double> w = p;
        if (_transpose)
        {
            for (var c = 0; c < _cols; c++)
                for (var r = 0; r < _rows; r++) _w[r * _cols + c] = p[c * _rows + r];
            w = _w;
        }

        if (_warm)
        {
            // Rotations keep V orthogonal to rounding, which accumulates: restore it now and then.
            if (++_calls % ReorthonormaliseEvery == 0) SubspaceThresholding.Orthonormalise(_v, _k, _k);
            _b.AsSpan().Clear();
            for (var j = 0; j < _k; j++)
            {
                var target = _b.AsSpan(j * _length, _length);
                for (var l = 0; l < _k; l++)
                {
                    var c = _v[j * _k + l];
                    if (c != 0) AddScaled(target, c, w.Slice(l * _length, _length));
                }
            }
        }
        else
        {
            w.CopyTo(_b);
            _v.AsSpan().Clear();
            for (var j = 0; j < _k; j++) _v[j * _k + j] = 1;
            _warm = true;
        }

        for (var j = 0; j < _k; j++) _norms[j] = Dot(Column(j), Column(j));
        // Round-robin (Brent–Luk) order: the pairs of a round are disjoint, so their dot products and
        // rotation parameters do not wait on each other, and the square roots and divisions overlap.
        var slots = _order.Length;
        for (var m = 0; m < slots; m++) _order[m] = m;
        var threshold = tau * tau;
        var skip = threshold > 0;
        var sweep = 0;
        while (sweep < MaxSweeps)
        {
            ct.ThrowIfCancellationRequested();
            sweep++;
            for (var j = 0; j < _k; j++) _below[j] = skip && _norms[j] < threshold;
            var rotated = false;
            var large = false;
            for (var round = 0; round < slots - 1; round++)
            {
                // Three passes over the round's disjoint pairs: dot products, rotation parameters, rotations.
                var half = slots / 2;
                for (var m = 0; m < half; m++)
                {
                    int i = _order[m], j = _order[slots - 1 - m];
                    _gamma[m] = i < _k && j < _k ? Dot(Column(i), Column(j)) : 0;
                }
                for (var m = 0; m < half; m++)
                {
                    _tangent[m] = 0;
                    int i = _order[m], j = _order[slots - 1 - m];
                    if (i >= _k || j >= _k) continue;
                    double alpha = _norms[i], beta = _norms[j], gamma = _gamma[m];
                    var product = alpha * beta;
                    var below = _below[i] && _below[j];
                    if (gamma * gamma <= (below ? LooseCosine * LooseCosine : tolerance * tolerance) * product) continue;
                    large |= !below && gamma * gamma * _k >= tolerance * product;
                    var zeta = (beta - alpha) / (2 * gamma);
                    var t = Math.Abs(zeta) > 1e150
                        ? 0.5 / zeta
                        : (zeta >= 0 ? 1 : -1) / (Math.Abs(zeta) + Math.Sqrt(1 + zeta * zeta));
                    _tangent[m] = t;
                    _cosine[m] = 1 / Math.Sqrt(1 + t * t);
                }
                for (var m = 0; m < half; m++)
                {
                    var t = _tangent[m];
                    if (t == 0) continue;
                    rotated = true;
                    int i = _order[m], j = _order[slots - 1 - m];
                    Rotate(_b.AsSpan(i * _length, _length), _b.AsSpan(j * _length, _length), _cosine[m], _cosine[m] * t);
                    Rotate(_v.AsSpan(i * _k, _k), _v.AsSpan(j * _k, _k), _cosine[m], _cosine[m] * t);
                    _norms[i] -= t * _gamma[m];
                    _norms[j] += t * _gamma[m];
                }
                // Keep slot 0, rotate the others by one.
                var last = _order[slots - 1];
                for (var m = slots - 1; m > 1; m--) _order[m] = _order[m - 1];
                _order[1] = last;
            }
            for (var j = 0; j < _k; j++) _norms[j] = Dot(Column(j), Column(j));
            // Jacobi converges quadratically: once every rotation of a sweep had a cosine below √(tol/k), the
            // cosines left are below tol and the confirming sweep is skipped.
            if (rotated && large) continue;
            if (!skip || SkippedBlockIsBelow(threshold)) break;
            skip = false;   // a component above τ hides among the short columns: orthogonalise them all
        }
        LastSweeps = sweep;
    }

    /// <summary>
    /// Whether the columns skipped in the last sweep are still shorter than τ and their block S has
    /// σ_max(B_S) &lt; τ, i.e. τ²I − B_SᵀB_S is positive definite (Cholesky). Every other pair was found
    /// orthogonal, so B_S then spans components of P that are all below τ.
    /// </summary>
    private bool SkippedBlockIsBelow(double threshold)
    {
        var size = 0;
        for (var j = 0; j < _k; j++)
        {
            if (!_below[j]) continue;
            if (!(_norms[j] < threshold)) return false;
            _members[size++] = j;
        }
        if (size < 2) return true;
        var a = _gram.AsSpan(0, size * size);   // τ²I − B_SᵀB_S, lower triangle, column-major
        for (var c = 0; c < size; c++)
            for (var r = c; r < size; r++)
                a[c * size + r] = (r == c ? threshold : 0) - Dot(Column(_members[r]), Column(_members[c]));
        return PositiveDefinite.Factorise(a, size);
    }

    /// <summary>b_j = σ_j u_j, the rotated column j (working orientation) of the last decomposition.</summary>
    public ReadOnlySpan<double> Column(int j) => _b.AsSpan(j * _length, _length);

    /// <summary>Forgets the warm start: the next decomposition starts from V = I.</summary>
    public void Restart() => _warm = false;
}
