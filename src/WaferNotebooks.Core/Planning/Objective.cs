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
    public static int Compare(this Objective objective, Estimate a, Estimate b) =>
        objective.Compare((a.TimeToTrainDays, a.EnergyMwh, a.CostUsd), (b.TimeToTrainDays, b.EnergyMwh, b.CostUsd));

    /// <summary>Negative when the run of <paramref name="a"/> is better than that of <paramref name="b"/>: the objective, then time, energy and cost.</summary>
    public static int Compare(this Objective objective, (double Days, double Mwh, double Usd) a, (double Days, double Mwh, double Usd) b)
    {
        var c = objective.Pick(a.Days, a.Mwh, a.Usd).CompareTo(objective.Pick(b.Days, b.Mwh, b.Usd));
        if (c != 0) return c;
        c = a.Days.CompareTo(b.Days);
        if (c != 0) return c;
        c = a.Mwh.CompareTo(b.Mwh);
        return c != 0 ? c : a.Usd.CompareTo(b.Usd);
    }
}
