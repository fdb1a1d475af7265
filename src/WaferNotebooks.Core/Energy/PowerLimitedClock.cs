using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Energy;

/// <summary>
/// The clock an accelerator sustains under full tensor load when its power limit binds, relative
/// to the clock it sustains at its TDP (the state the catalog's measured matmul maximum was taken
/// in: microbenchmarks run at the default limit, which is the TDP).
/// <para>Where the catalog has a measured <see cref="Accelerator.ClockPower"/> curve (board power
/// under sustained tensor load at locked clocks, or throughput under a sweep of power limits), the
/// limit holds the clock where that curve meets it:
/// <c>r(cap) = f(cap)/f(TDP)</c> with <c>f</c> the curve read backwards (<see cref="ClockPowerCurve.ClockAt"/>).</para>
/// <para>Otherwise a generic CMOS dynamic-power model, the documented fallback:
/// <c>P = P_static + k·f·V²</c> (Weste and Harris, CMOS VLSI Design, ch. 5), with V ∝ f in the
/// DVFS range, so the dynamic part grows as f³:</para>
/// <code>
///   P(f) = P_static + (TDP − P_static)·(f/f_TDP)³        f ≥ f_floor
///   P(f) = P_static + (TDP − P_static)·φ²·(f/f_TDP)       f &lt; f_floor = φ·f_TDP (voltage at its floor: linear in f)
/// </code>
/// P_static is the catalog's idle power (leakage, HBM refresh, board losses). Only math-bound
/// time scales with the clock; HBM and the links keep their own clocks.
/// </summary>
public static class PowerLimitedClock
{
    /// <summary>φ of the fallback law: share of the TDP clock below which the voltage stops falling
    /// and power falls only linearly with the clock. Assumed ½; it matters only for caps below
    /// P_static + (TDP − P_static)/8. (The measured A100 curve bends at about 0.85 of its TDP clock,
    /// docs/gpu-model.md §3.6, so ½ is generous to low caps.)</summary>
    public const double VoltageFloorClockShare = 0.5;

    /// <summary>f/f_TDP under the fallback law for a cap of <paramref name="capW"/> on a device of <paramref name="tdpW"/> with static power <paramref name="staticW"/>; 1 at or above the TDP.</summary>
    public static double ClockShare(double staticW, double tdpW, double capW)
    {
        if (capW >= tdpW) return 1;
        // A cap at or below the static power leaves nothing to clock the math units; the parser refuses it, the floor keeps the arithmetic finite.
        double dynamic = Math.Max(1e-3, (capW - staticW) / (tdpW - staticW));
        double floorDynamic = VoltageFloorClockShare * VoltageFloorClockShare * VoltageFloorClockShare;
        return dynamic >= floorDynamic ? Math.Cbrt(dynamic) : VoltageFloorClockShare * dynamic / floorDynamic;
    }

    /// <summary>The sustained clock share of this accelerator at its power limit (the TDP unless capped).</summary>
    public static double ClockShare(Accelerator a)
    {
        if (a.PowerLimit >= a.TdpW.Value) return 1;
        if (a.ClockPower is not { } curve) return ClockShare(a.IdleW.Value, a.TdpW.Value, a.PowerLimit);
        // The parser keeps caps above idle; the floor keeps a share of 0 (a zero math rate) out of the step model.
        return Math.Max(1e-3, curve.ClockAt(a.PowerLimit, a.IdleW.Value) / curve.ClockAt(a.TdpW.Value, a.IdleW.Value));
    }

    /// <summary>
    /// The least, over clock shares from <paramref name="lowShare"/> to <paramref name="highShare"/>,
    /// of f·dP/df − (P − idle), in W. A step of C math-bound seconds at clock share r draws
    /// (P(r) − idle)·C/r busy power above idle, which falls as r falls by this margin·C/r²; the
    /// static power (idle, node overhead) costs static·C/r², so a lower cap saves energy where the
    /// margin exceeds the static power. Fallback law: 2·(TDP − P_s)·r³ at the low end (it grows
    /// with r), 0 below the voltage floor; a measured curve: the least over its segments.
    /// </summary>
    public static double EnergySavingMarginW(Accelerator a, double lowShare, double highShare)
    {
        if (a.ClockPower is { } curve)
        {
            double tdpClock = curve.ClockAt(a.TdpW.Value, a.IdleW.Value);
            return curve.EnergySavingMarginW(lowShare * tdpClock, highShare * tdpClock, a.IdleW.Value);
        }
        return lowShare < VoltageFloorClockShare ? 0 : 2 * (a.TdpW.Value - a.IdleW.Value) * lowShare * lowShare * lowShare;
    }

    /// <summary>One line for the assumption list: the limit, the clock it allows and the model.</summary>
    public static string Describe(Accelerator a)
    {
        if (a.PowerLimit >= a.TdpW.Value)
            return $"{a.Name}: power limit = TDP {a.TdpW.Value:0} W, the state the matmul maximum was measured in (clock share 1)";
        string law = a.ClockPower is { } curve
            ? $"measured clock/power curve: {curve.Format(curve.ClockAt(a.PowerLimit, a.IdleW.Value))} at the cap against {curve.Format(curve.ClockAt(a.TdpW.Value, a.IdleW.Value))} at the TDP ({curve.Source})"
            : $"no measured clock/power curve for this device: assumed P = P_static + (TDP − P_static)·(f/f_TDP)³, P_static = idle {a.IdleW.Value:0} W; V ∝ f down to {VoltageFloorClockShare:P0} of the clock";
        return $"{a.Name}: power cap {a.PowerLimit:0} W of TDP {a.TdpW.Value:0} W: tensor clock {ClockShare(a):P0} of the TDP clock ({law}); " +
               "math-bound time ÷ the clock share, HBM- and link-bound time unchanged";
    }
}
