using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// Says which of the user's options did nothing on one estimate (<see cref="Estimate.InputNotes"/>),
/// the same way for every subcommand that runs a job, so an option is never dropped silently by
/// one subcommand while another reports it.
/// </summary>
internal static class InputNotes
{
    /// <summary>The estimate with a note for each option that did nothing on it.</summary>
    public static Estimate Add(Estimate e, JobRequest request, SystemSpec system, EconomicAssumptions economics)
    {
        var notes = request.SystemKindOptions.Where(o => !o.AppliesTo(system)).Select(o => NotApplied(o, e)).ToList();
        if (PrecisionNotRun(e, system) is { } precision)
            notes.Add(precision);
        if (PowerCapNote(request, system) is { } cap)
            notes.Add(cap);
        if (request.SoftwareWithoutMoeDispatch is { } without && system is GpuCluster && MoeDispatchNoEffect(e, without, system, economics) is { } note)
            notes.Add(note);
        return notes.Count == 0 ? e : e with { InputNotes = [.. e.InputNotes, .. notes] };
    }

    /// <summary>The notes of every estimate, each once, in order: what a view of several estimates says.</summary>
    public static IReadOnlyList<string> Distinct(IEnumerable<Estimate?> estimates) =>
        [.. estimates.SelectMany(e => e?.InputNotes ?? []).Distinct()];

    /// <summary>
    /// timeline draws one step; an option that sizes, prices or times the whole run changes nothing
    /// in it when the layout is given, or when the planner chooses the same one without
    /// <paramref name="chosenWithout"/> (the whole-run options given).
    /// </summary>
    public static string NotInOneStep(string option, IReadOnlyList<string>? chosenWithout = null) =>
        $"{option} did not change the timeline: it draws one step of " +
        (chosenWithout is null ? "the given layout" : $"the layout the planner chose, the same as it chooses without {Listed(chosenWithout)}") +
        $", and {option} acts on the whole run (its tokens, cost, energy, carbon or days), which estimate shows with the same options";

    private static string Listed(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}";

    /// <summary>compare applies an option of one kind of system to those systems only; the others say so.</summary>
    private static string NotApplied(SystemKindOption option, Estimate e) =>
        option.ForWafer
            ? $"{option.Name} {option.Text} does not apply to {e.SystemId}, a GPU-class system: it acts on wafer-scale systems only (GPU-class systems take {CommandGrammar.Framework.Name})"
            : $"{option.Name} {option.Text} does not apply to {e.SystemId}, a wafer-scale system: it acts on GPU-class systems only";

    /// <summary>
    /// --precision fp8 or fp4 on a device without those units runs at the precision it has: the
    /// numbers are right for that, but the job still reads "fp8", so the note says which precision ran.
    /// </summary>
    private static string? PrecisionNotRun(Estimate e, SystemSpec system)
    {
        var p = e.Job.Precision;
        if (!MatmulEfficiency.IsEightBit(p)) return null;
        var option = $"{CommandGrammar.Precision.Name} {p.ToString().ToLowerInvariant()}";
        return system switch
        {
            GpuCluster g when !MatmulEfficiency.RunsEightBit(g.Device, p) =>
                $"{option} did not apply to {e.SystemId}: the {g.Device.Name} has no FP8 units, so its GEMMs run at the 16-bit peak (bf16 gives the same estimate)",
            GpuCluster g when p == Precision.Fp4 && !MatmulEfficiency.RunsFourBit(g.Device, p) =>
                $"{option} did not apply to {e.SystemId}: the {g.Device.Name} has no FP4 tensor cores, so its GEMMs run as FP8 (fp8 gives the same estimate)",
            WaferCluster => $"{option} did not apply to {e.SystemId}: the wafer computes in 16-bit, so the estimate uses the 16-bit peak (bf16 gives the same estimate)",
            _ => null,
        };
    }

    /// <summary>
    /// --power-cap at the TDP, the default limit, changes nothing; below the lowest point of the
    /// device's measured clock/power curve the clock is the curve's straight line down to idle
    /// power (<see cref="ClockPowerCurve.ClockAt"/>), an extrapolation the assumption line, which
    /// quotes the measured curve, does not name.
    /// </summary>
    private static string? PowerCapNote(JobRequest request, SystemSpec system)
    {
        if (system is not GpuCluster { Device: var d } || request.SystemKindOptions.FirstOrDefault(o => o.Name == CommandGrammar.PowerCap.Name) is not { } cap)
            return null;
        if (d.PowerLimit >= d.TdpW.Value)
            return $"{cap.Name} {cap.Text} is the {d.Name}'s TDP, its default power limit, so it changed nothing: the estimate is the same without it";
        if (d.ClockPower is not { } curve || d.PowerLimit >= curve.Watts[^1])
            return null;
        return $"{cap.Name} {cap.Text} lies below the lowest point of the {d.Name}'s measured clock/power curve ({curve.Watts[^1]:0} W): " +
               $"the clock there ({curve.Format(curve.ClockAt(d.PowerLimit, d.IdleW.Value))}) is extrapolated in a straight line to the idle power ({d.IdleW.Value:0} W), not measured";
    }

    /// <summary>
    /// With ep=1 every device holds all experts of its tensor group, so no token crosses devices:
    /// the all-to-all that node-limited routing, FP8 dispatch and imbalance act on does not exist.
    /// Whether the option acted is measured, not guessed: the same layout is estimated without it
    /// (gemm=, sync= and overlap=, which brings the DualPipe schedule, can act at ep=1).
    /// </summary>
    private static string? MoeDispatchNoEffect(Estimate withOption, GpuSoftware softwareWithout, SystemSpec system, EconomicAssumptions economics)
    {
        if (withOption.Layout.Ep != 1 || withOption.Job.Model.Moe is null)
            return null;
        var without = Simulator.Estimate(withOption.Job with { Software = softwareWithout }, system, withOption.Devices, withOption.Layout, economics);
        bool same = without.Feasible == withOption.Feasible && without.StepTimeS.Equals(withOption.StepTimeS) && without.Memory.TotalGb.Equals(withOption.Memory.TotalGb);
        return same
            ? $"{CommandGrammar.MoeDispatch.Name} had no effect: the layout has ep=1, so every device holds its tensor group's share of all " +
              $"{withOption.Job.Model.Moe.Experts} experts and no token crosses devices (no all-to-all for node-limited routing, FP8 dispatch " +
              "or imbalance to act on); give --layout with ep > 1 to cost a dispatch"
            : null;
    }
}
