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
        var front = plan.Points.Where(p => p.OnParetoFront).OrderBy(p => p.TimeToTrainDays).ToArray();
        var traces = new List<Trace>
        {
            Figure.Scatter("feasible layouts", "markers", plan.Points.Select(p => p.TimeToTrainDays), plan.Points.Select(Y))
                .Set("marker", new { color = ChartTheme.MutedColour, size = 6 })
                .Set("hovertext", plan.Points.Select(p => $"{p.Layout}: {p.TimeToTrainDays:F1} days, {Y(p):G4}").ToArray())
                .Set("hoverinfo", "text"),
            Figure.Scatter("Pareto front", "lines+markers", front.Select(p => p.TimeToTrainDays), front.Select(Y))
                .Set("marker", new { color = ChartTheme.Colour(3), size = 8 })
                .Set("line", new { color = ChartTheme.Colour(3) })
                .Set("hovertext", front.Select(p => p.Layout.ToString()).ToArray())
                .Set("hoverinfo", "text"),
        };
        if (plan.Best is { } best)
            traces.Add(Figure.Scatter($"best for {plan.Objective.ToString().ToLowerInvariant()}", "markers",
                    [best.TimeToTrainDays], [byCost ? best.CostUsd / 1e6 : best.EnergyMwh])
                .Set("marker", new { color = ChartTheme.Colour(0), size = 16, symbol = "star" })
                .Set("hovertext", new[] { best.Layout.ToString() })
                .Set("hoverinfo", "text"));
        var layout = ChartTheme.Layout($"{plan.FeasibleCount} feasible layouts of {plan.Evaluated}: time to train vs {(byCost ? "cost" : "energy")}",
            "days", byCost ? "cost, $M" : "energy, MWh");
        return Figure.Chart(traces, layout);
    }
}
