namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// A device's measured board power under sustained tensor load against its clock: points
/// (<see cref="Clock"/>[i], <see cref="Watts"/>[i]), clocks falling, power falling with them.
/// A power limit then holds the clock where the curve meets it. Between points the curve is
/// linear; below the lowest point it runs straight to the idle power at clock 0 (the voltage is
/// at its floor there, so power falls only linearly with the clock). Above the highest point
/// the clock stays at the highest measured clock: the curve says nothing about boost beyond it.
/// <para>The clocks are MHz (a sweep of locked clocks) or, with <see cref="ClockIsShare"/>, shares of
/// the clock at the highest listed power (a sweep of power limits whose throughput was measured
/// on a math-bound load, where the throughput share is the clock share). Only ratios of two
/// clocks on one curve are used, so the unit never mixes with anything else.</para>
/// </summary>
public sealed record ClockPowerCurve(IReadOnlyList<double> Clock, IReadOnlyList<double> Watts, string Source,
    Confidence Confidence = Confidence.Measured, bool ClockIsShare = false)
{
    /// <summary>The unit of <see cref="Clock"/>, as the catalog spells its key.</summary>
    public string ClockKey => ClockIsShare ? "clock_share" : "clock_mhz";

    /// <summary>Why these points cannot be a curve for a device idling at <paramref name="idleW"/>; null when they can.</summary>
    public static string? Problem(IReadOnlyList<double> clock, IReadOnlyList<double> watts, double idleW, string source, bool clockIsShare = false)
    {
        string key = clockIsShare ? "clock_share" : "clock_mhz";
        if (string.IsNullOrWhiteSpace(source)) return "clock_power_curve needs a non-empty \"source\"";
        if (clock.Count != watts.Count) return $"clock_power_curve has {clock.Count} clocks but {watts.Count} powers (one power per clock)";
        if (clock.Count < 2) return "clock_power_curve needs at least 2 points";
        if (clockIsShare && clock[0] != 1)
            return $"clock_power_curve's {key} is the share of the clock at its highest power, so its first value must be 1 (not {clock[0]})";
        for (int i = 1; i < clock.Count; i++)
            if (clock[i] >= clock[i - 1] || watts[i] >= watts[i - 1])
                return $"clock_power_curve must list clocks from high to low with power falling too (point {i + 1}: {key} {clock[i]}, {watts[i]} W after {clock[i - 1]}, {watts[i - 1]} W)";
        if (clock[^1] <= 0 || watts[^1] <= idleW)
            return $"clock_power_curve's lowest point ({key} {clock[^1]}, {watts[^1]} W) must have a positive clock and draw more than idle_w ({idleW} W)";
        return null;
    }

    /// <summary>The clock (in the curve's unit) at which the device draws <paramref name="watts"/> under load.</summary>
    public double ClockAt(double watts, double idleW)
    {
        if (watts >= Watts[0]) return Clock[0];
        for (int i = 1; i < Watts.Count; i++)
            if (watts >= Watts[i])
                return Clock[i] + (Clock[i - 1] - Clock[i]) * (watts - Watts[i]) / (Watts[i - 1] - Watts[i]);
        return Clock[^1] * Math.Max(0, watts - idleW) / (Watts[^1] - idleW);
    }

    /// <summary>A clock of this curve written for a reader: "1275 MHz" or "86% of the 700 W clock".</summary>
    public string Format(double clock) => ClockIsShare ? $"{clock:P0} of the {Watts[0]:0} W clock" : $"{clock:0} MHz";

    /// <summary>
    /// The least, over clocks from <paramref name="low"/> to <paramref name="high"/> (the curve's unit), of
    /// f·dP/df − (P − idle), W: with this positive and above the power drawn whatever the clock,
    /// a lower clock saves more busy power than the longer math costs (see
    /// <see cref="Energy.PowerLimitedClock.EnergySavingMarginW"/>). On a straight segment
    /// P = a + b·f it is idle − a.
    /// </summary>
    public double EnergySavingMarginW(double low, double high, double idleW)
    {
        double least = double.PositiveInfinity;
        for (int i = 1; i <= Clock.Count; i++)
        {
            // Segment i runs from (Clock[i], Watts[i]) up to (Clock[i-1], Watts[i-1]); the last one from (0, idle).
            double top = Clock[i - 1], bottom = i < Clock.Count ? Clock[i] : 0, bottomW = i < Clock.Count ? Watts[i] : idleW;
            if (top < low || bottom > high) continue;
            double slope = (Watts[i - 1] - bottomW) / (top - bottom);
            least = Math.Min(least, idleW - (bottomW - slope * bottom));
        }
        // Above the top point the clock is pinned: a cap there changes nothing, so it never costs energy.
        return double.IsPositiveInfinity(least) ? double.MaxValue : least;
    }
}
