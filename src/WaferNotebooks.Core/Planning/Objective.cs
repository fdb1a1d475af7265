using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Core.Planning;

/// <summary>What the planner minimises when it picks a layout.</summary>
public enum Objective
{
    /// <summary>Shortest step time, hence shortest time to train.</summary>
    Time,
    /// <summary>Least energy for the whole run (MWh, including PUE).</summary>
    Energy,
    /// <summary>Lowest rental cost for the whole run (USD).</summary>
    Cost,
}

/// <summary>Orders estimates by an objective, with the other two metrics as tie-breakers so the choice is stable.</summary>
public static class ObjectiveOrder
{
    /// <summary>The quantity the objective minimises.</summary>
    public static double Key(this Objective objective, Estimate e) => objective switch
    {
        Objective.Time => e.StepTimeS,
        Objective.Energy => e.EnergyMwh,
        Objective.Cost => e.CostUsd,
        _ => throw new ArgumentOutOfRangeException(nameof(objective), objective, "objective is time, energy or cost"),
    };

    /// <summary>Negative when <paramref name="a"/> is better than <paramref name="b"/> for the objective.</summary>
    public static int Compare(this Objective objective, Estimate a, Estimate b)
    {
        var c = objective.Key(a).CompareTo(objective.Key(b));
        if (c != 0) return c;
        c = a.StepTimeS.CompareTo(b.StepTimeS);
        if (c != 0) return c;
        c = a.EnergyMwh.CompareTo(b.EnergyMwh);
        return c != 0 ? c : a.CostUsd.CompareTo(b.CostUsd);
    }
}
