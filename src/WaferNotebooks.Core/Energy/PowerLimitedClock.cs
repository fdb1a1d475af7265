using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Energy;

/// <summary>
/// The clock an accelerator sustains under full tensor load when its power limit binds, relative
/// to the clock it sustains at its TDP (the state the catalog's measured matmul maximum was taken
/// in: microbenchmarks run at the default limit, which is the TDP). Generic CMOS dynamic-power
/// model, assumed for every device because no vendor publishes a per-device clock/power curve:
/// <c>P = P_static + k·f·V²</c> (Weste and Harris, CMOS VLSI Design, ch. 5), with V ∝ f in the
/// DVFS range, so the dynamic part grows as f³:
/// <code>
///   P(f) = P_static + (TDP − P_static)·(f/f_TDP)³        f ≥ f_floor
///   P(f) = P_static + (TDP − P_static)·φ²·(f/f_TDP)       f &lt; f_floor = φ·f_TDP (voltage at its floor: linear in f)
/// </code>
/// P_static is the catalog's idle power (leakage, HBM refresh, board losses): the low end of the
/// static share, since leakage grows with voltage and temperature, so the clock loss at a given
/// cap is if anything under-stated. Only math-bound time scales with the clock; HBM and the
/// links keep their own clocks.
/// </summary>
public static class PowerLimitedClock
{
    /// <summary>φ: share of the TDP clock below which the voltage stops falling and power falls only
    /// linearly with the clock. Assumed ½ (no per-device voltage floor is published); it matters
    /// only for caps below P_static + (TDP − P_static)/8.</summary>
    public const double VoltageFloorClockShare = 0.5;

    /// <summary>f/f_TDP for a cap of <paramref name="capW"/> on a device of <paramref name="tdpW"/> with static power <paramref name="staticW"/>; 1 at or above the TDP.</summary>
    public static double ClockShare(double staticW, double tdpW, double capW)
    {
        if (capW >= tdpW) return 1;
        // A cap at or below the static power leaves nothing to clock the math units; the parser refuses it, the floor keeps the arithmetic finite.
        double dynamic = Math.Max(1e-3, (capW - staticW) / (tdpW - staticW));
        double floorDynamic = VoltageFloorClockShare * VoltageFloorClockShare * VoltageFloorClockShare;
        return dynamic >= floorDynamic ? Math.Cbrt(dynamic) : VoltageFloorClockShare * dynamic / floorDynamic;
    }

    /// <summary>The sustained clock share of this accelerator at its power limit (the TDP unless capped).</summary>
    public static double ClockShare(Accelerator a) => ClockShare(a.IdleW.Value, a.TdpW.Value, a.PowerLimit);

    /// <summary>One line for the assumption list: the limit, the clock it allows and the model.</summary>
    public static string Describe(Accelerator a)
    {
        double share = ClockShare(a);
        return a.PowerLimit >= a.TdpW.Value
            ? $"{a.Name}: power limit = TDP {a.TdpW.Value:0} W, the state the matmul maximum was measured in (clock share 1)"
            : $"{a.Name}: power cap {a.PowerLimit:0} W of TDP {a.TdpW.Value:0} W: tensor clock {share:P0} of the TDP clock " +
              $"(assumed P = P_static + (TDP − P_static)·(f/f_TDP)³, P_static = idle {a.IdleW.Value:0} W; V ∝ f down to {VoltageFloorClockShare:P0} of the clock); " +
              "math-bound time ÷ the clock share, HBM- and link-bound time unchanged";
    }
}
