using Plotly.NET;
using WaferNotebooks.Core.Planning;

namespace WaferNotebooks.Charts;

/// <summary>Every feasible layout of a plan as a point, the Pareto front drawn over them as a line, the best marked.</summary>
internal static class PlanCharts
{
    public static GenericChart Scatter(PlanResult plan)
    {
        var byCost = plan.Objective == Objective.Cost;
        double Y(PlanPoint p) => byCost ? p.CostUsd / 1e6 : p.EnergyMwh;
        string Hover(object layout, double days, double y) => $"{layout}<br>{days:F1} days, " + (byCost ? $"${y:F2}M" : $"{y:F0} MWh");
        string PointHover(PlanPoint p) => Hover(p.Layout, p.TimeToTrainDays, Y(p));
        var front = plan.Points.Where(p => p.OnParetoFront).OrderBy(p => p.TimeToTrainDays).ToArray();
        var traces = new List<Trace>
        {
            Figure.Scatter("feasible layouts", "markers", plan.Points.Select(p => p.TimeToTrainDays), plan.Points.Select(Y))
                .Set("marker", new { color = ChartTheme.MutedColour, size = 6 })
                .Set("hovertext", plan.Points.Select(PointHover).ToArray())
                .Set("hoverinfo", "text"),
            Figure.Scatter("Pareto front", "lines+markers", front.Select(p => p.TimeToTrainDays), front.Select(Y))
                .Set("marker", new { color = ChartTheme.Colour(3), size = 8 })
                .Set("line", new { color = ChartTheme.Colour(3) })
                .Set("hovertext", front.Select(PointHover).ToArray())
                .Set("hoverinfo", "text"),
        };
        if (plan.Best is { } best)
            traces.Add(Figure.Scatter($"best for {plan.Objective.ToString().ToLowerInvariant()}", "markers",
                    [best.TimeToTrainDays], [byCost ? best.CostUsd / 1e6 : best.EnergyMwh])
                .Set("marker", new { color = ChartTheme.Colour(0), size = 16, symbol = "star" })
                .Set("hovertext", new[] { Hover(best.Layout, best.TimeToTrainDays, byCost ? best.CostUsd / 1e6 : best.EnergyMwh) })
                .Set("hoverinfo", "text"));
        var layout = ChartTheme.Layout($"Time to train vs {(byCost ? "cost" : "energy")}: {plan.FeasibleCount:N0} feasible layouts of {plan.Evaluated:N0}",
            "time to train, days", byCost ? "cost, $M" : "energy, MWh",
            logX: WideSpan(plan.Points.Select(p => p.TimeToTrainDays)), logY: WideSpan(plan.Points.Select(Y)));
        return Figure.Chart(traces, layout);
    }

    /// <summary>
    /// Layouts differ by orders of magnitude (a bad pipeline split can be 40× slower than the
    /// best); on linear axes the front and the best would crowd into one corner.
    /// </summary>
    private static bool WideSpan(IEnumerable<double> values)
    {
        var positive = values.Where(v => v > 0).ToArray();
        return positive.Length > 0 && positive.Max() > 10 * positive.Min();
    }
}
