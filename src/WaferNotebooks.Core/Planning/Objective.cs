using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Core.Planning;

/// <summary>What the planner minimises when it picks a layout.</summary>
public enum Objective
{
    /// <summary>Shortest time to train (for one job, the shortest step time).</summary>
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
    public static double Key(this Objective objective, Estimate e) => objective.Pick(e.TimeToTrainDays, e.EnergyMwh, e.CostUsd);

    /// <summary>Which of time to train, energy and cost the objective minimises.</summary>
    public static double Pick(this Objective objective, double days, double mwh, double usd) => objective switch
    {
        Objective.Time => days,
        Objective.Energy => mwh,
        Objective.Cost => usd,
        _ => throw new WaferInputException($"The objective must be time, energy or cost, got {objective}."),
    };

    /// <summary>Negative when <paramref name="a"/> is better than <paramref name="b"/> for the objective.</summary>
    public static int Compare(this Objective objective, Estimate a, Estimate b)
    {
        var c = objective.Key(a).CompareTo(objective.Key(b));
        if (c != 0) return c;
        c = a.TimeToTrainDays.CompareTo(b.TimeToTrainDays);
        if (c != 0) return c;
        c = a.EnergyMwh.CompareTo(b.EnergyMwh);
        return c != 0 ? c : a.CostUsd.CompareTo(b.CostUsd);
    }
}
