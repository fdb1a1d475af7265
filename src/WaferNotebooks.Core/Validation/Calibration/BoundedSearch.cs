namespace WaferNotebooks.Core.Validation.Calibration;

/// <summary>
/// Minimises a function of a few bounded variables without derivatives: coordinate descent in
/// which each variable is first scanned on an 11-point grid over its bounds (so a function with
/// more than one dip does not trap the search in the first one), then refined by golden-section
/// search between the grid neighbours of the best point, down to its tolerance. Sweeps repeat
/// until no variable moves by more than its tolerance (at most <see cref="MaxSweeps"/>).
/// A variable the function does not depend on (flat over the whole grid) keeps its start value.
/// </summary>
public static class BoundedSearch
{
    public const int GridPoints = 11;
    public const int MaxSweeps = 4;
    static readonly double InvPhi = (Math.Sqrt(5) - 1) / 2;

    /// <returns>The minimiser, the minimum, and for each variable whether the function was flat in it.</returns>
    public static (double[] X, double Value, bool[] Flat) Minimise(Func<double[], double> f, double[] start, double[] low, double[] high, double[] tolerance)
    {
        int n = start.Length;
        var x = start.Select((v, i) => Math.Clamp(v, low[i], high[i])).ToArray();
        var flat = new bool[n];
        double best = f(x);
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            bool moved = false;
            for (int i = 0; i < n; i++)
            {
                double At(double v) { var y = (double[])x.Clone(); y[i] = v; return f(y); }
                double step = (high[i] - low[i]) / (GridPoints - 1);
                var grid = Enumerable.Range(0, GridPoints).Select(k => low[i] + k * step).ToArray();
                var values = grid.Select(At).ToArray();
                flat[i] = values.Max() - values.Min() <= 1e-12 * (1 + Math.Abs(values.Min()));
                if (flat[i]) continue;
                int k0 = Array.IndexOf(values, values.Min());
                double a = grid[Math.Max(0, k0 - 1)], b = grid[Math.Min(GridPoints - 1, k0 + 1)];
                double c = b - InvPhi * (b - a), d = a + InvPhi * (b - a), fc = At(c), fd = At(d);
                while (b - a > tolerance[i])
                {
                    if (fc < fd) { b = d; d = c; fd = fc; c = b - InvPhi * (b - a); fc = At(c); }
                    else { a = c; c = d; fc = fd; d = a + InvPhi * (b - a); fd = At(d); }
                }
                var (v, fv) = new[] { (grid[k0], values[k0]), (c, fc), (d, fd) }.MinBy(p => p.Item2);
                if (fv < best)
                {
                    moved |= Math.Abs(v - x[i]) > tolerance[i];
                    x[i] = v;
                    best = fv;
                }
            }
            if (!moved) break;
        }
        return (x, best, flat);
    }
}
