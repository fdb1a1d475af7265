using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// Says so when --moe-dispatch changed nothing. With ep=1 every device holds all experts of its
/// tensor group, so no token crosses devices: the all-to-all that node-limited routing, FP8
/// dispatch and imbalance act on does not exist. Whether the option acted is measured, not
/// guessed: the same layout is estimated without it (gemm=, sync= and overlap=, which brings the
/// DualPipe schedule, can act at ep=1).
/// </summary>
internal static class MoeDispatchNote
{
    public static string? NoEffect(Estimate withOption, TrainingJob withoutOption, SystemTarget target, EconomicAssumptions economics)
    {
        if (withOption.Layout.Ep != 1 || withOption.Job.Model.Moe is null)
            return null;
        var without = Simulator.Estimate(withoutOption, target.System, target.Devices, withOption.Layout, economics);
        bool same = without.Feasible == withOption.Feasible && without.StepTimeS.Equals(withOption.StepTimeS) && without.Memory.TotalGb.Equals(withOption.Memory.TotalGb);
        return same
            ? $"{CommandGrammar.MoeDispatch.Name} had no effect: the layout has ep=1, so every device holds its tensor group's share of all " +
              $"{withOption.Job.Model.Moe.Experts} experts and no token crosses devices (no all-to-all for node-limited routing, FP8 dispatch " +
              "or imbalance to act on); give --layout with ep > 1 to cost a dispatch"
            : null;
    }
}
