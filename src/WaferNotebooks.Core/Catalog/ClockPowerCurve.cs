namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// A device's measured board power under training load at locked SM clocks: points
/// (<see cref="ClockMhz"/>[i], <see cref="Watts"/>[i]), clocks falling, power falling with them.
/// A power limit then holds the clock where the curve meets it. Between points the curve is
/// linear; below the lowest point it runs straight to the idle power at clock 0 (the voltage is
/// at its floor there, so power falls only linearly with the clock). Above the highest point
/// the clock stays at the highest measured clock: the curve says nothing about boost beyond it.
/// </summary>
public sealed record ClockPowerCurve(IReadOnlyList<double> ClockMhz, IReadOnlyList<double> Watts, string Source, Confidence Confidence = Confidence.Measured)
{
    /// <summary>Why these points cannot be a curve for a device idling at <paramref name="idleW"/>; null when they can.</summary>
    public static string? Problem(IReadOnlyList<double> clockMhz, IReadOnlyList<double> watts, double idleW, string source)
    {
        if (string.IsNullOrWhiteSpace(source)) return "clock_power_curve needs a non-empty \"source\"";
        if (clockMhz.Count != watts.Count) return $"clock_power_curve has {clockMhz.Count} clocks but {watts.Count} powers (one power per clock)";
        if (clockMhz.Count < 2) return "clock_power_curve needs at least 2 points";
        for (int i = 1; i < clockMhz.Count; i++)
            if (clockMhz[i] >= clockMhz[i - 1] || watts[i] >= watts[i - 1])
                return $"clock_power_curve must list clocks from high to low with power falling too (point {i + 1}: {clockMhz[i]} MHz, {watts[i]} W after {clockMhz[i - 1]} MHz, {watts[i - 1]} W)";
        if (clockMhz[^1] <= 0 || watts[^1] <= idleW)
            return $"clock_power_curve's lowest point ({clockMhz[^1]} MHz, {watts[^1]} W) must have a positive clock and draw more than idle_w ({idleW} W)";
        return null;
    }

    /// <summary>The clock (MHz) at which the device draws <paramref name="watts"/> under training load.</summary>
    public double ClockAt(double watts, double idleW)
    {
        if (watts >= Watts[0]) return ClockMhz[0];
        for (int i = 1; i < Watts.Count; i++)
            if (watts >= Watts[i])
                return ClockMhz[i] + (ClockMhz[i - 1] - ClockMhz[i]) * (watts - Watts[i]) / (Watts[i - 1] - Watts[i]);
        return ClockMhz[^1] * Math.Max(0, watts - idleW) / (Watts[^1] - idleW);
    }

    /// <summary>
    /// The least, over clocks from <paramref name="lowMhz"/> to <paramref name="highMhz"/>, of
    /// f·dP/df − (P − idle), W: with this positive and above the power drawn whatever the clock,
    /// a lower clock saves more busy power than the longer math costs (see
    /// <see cref="Energy.PowerLimitedClock.EnergySavingMarginW"/>). On a straight segment
    /// P = a + b·f it is idle − a.
    /// </summary>
    public double EnergySavingMarginW(double lowMhz, double highMhz, double idleW)
    {
        double least = double.PositiveInfinity;
        for (int i = 1; i <= ClockMhz.Count; i++)
        {
            // Segment i runs from (ClockMhz[i], Watts[i]) up to (ClockMhz[i-1], Watts[i-1]); the last one from (0, idle).
            double top = ClockMhz[i - 1], bottom = i < ClockMhz.Count ? ClockMhz[i] : 0, bottomW = i < ClockMhz.Count ? Watts[i] : idleW;
            if (top < lowMhz || bottom > highMhz) continue;
            double slope = (Watts[i - 1] - bottomW) / (top - bottom);
            least = Math.Min(least, idleW - (bottomW - slope * bottom));
        }
        // Above the top point the clock is pinned: a cap there changes nothing, so it never costs energy.
        return double.IsPositiveInfinity(least) ? double.MaxValue : least;
    }
}
