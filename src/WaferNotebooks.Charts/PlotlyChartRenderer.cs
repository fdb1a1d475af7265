using WaferNotebooks.Core.Charting;
using Plotly.NET;
using WaferNotebooks.Core;
using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Timeline;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Charts;

/// <summary>The Plotly.NET implementation of <see cref="IChartRenderer"/>, created by the extension through reflection.</summary>
public sealed class PlotlyChartRenderer : IChartRenderer
{
    public string StepBreakdown(Estimate estimate, bool offline) => ChartHtml.Render(EstimateCharts.StepBreakdown(estimate), offline);

    public string MemoryBreakdown(Estimate estimate, bool offline) => ChartHtml.Render(EstimateCharts.MemoryBreakdown(estimate), offline);

    public string ComparisonBars(Comparison comparison, bool offline) => ChartHtml.Render(ComparisonCharts.Bars(comparison.Estimates), offline);

    public string ComparisonScatter(Comparison comparison, bool offline) => ChartHtml.Render(ComparisonCharts.Scatter(comparison.Estimates), offline);

    public string SweepScaling(SweepResult sweep, bool offline) => ChartHtml.Render(SweepCharts.Scaling(sweep), offline);

    public string SweepMfu(SweepResult sweep, bool offline) => ChartHtml.Render(SweepCharts.Second(sweep), offline);

    public string SweepGoodput(SweepResult sweep, bool offline) => ChartHtml.Render(SweepCharts.Goodput(sweep), offline);

    public string ValidationParity(ValidationReport report, bool offline) => ChartHtml.Render(ValidationCharts.Parity(report), offline);

    public string Timeline(StepTimeline timeline, bool offline) => ChartHtml.Render(TimelineChart.Gantt(timeline), offline);

    public string PlanScatter(PlanResult plan, bool offline) => ChartHtml.Render(PlanCharts.Scatter(plan), offline);

    public IReadOnlyList<ChartFigure> Figures(object result)
    {
        (string Name, GenericChart Chart)[] charts = result switch
        {
            Estimate e => [("step-breakdown", EstimateCharts.StepBreakdown(e)), ("memory", EstimateCharts.MemoryBreakdown(e))],
            Comparison c => [("comparison-bars", ComparisonCharts.Bars(c.Estimates)), ("time-vs-energy", ComparisonCharts.Scatter(c.Estimates))],
            SweepResult s => [("scaling", SweepCharts.Scaling(s)), (SweepCharts.SecondName(s), SweepCharts.Second(s)), .. s.HasGoodput ? [("goodput", SweepCharts.Goodput(s))] : Array.Empty<(string, GenericChart)>()],
            PlanResult p => [("layouts", PlanCharts.Scatter(p))],
            StepTimeline t => [("timeline", TimelineChart.Gantt(t))],
            ValidationReport v => [("parity", ValidationCharts.Parity(v))],
            _ => [],
        };
        return charts.Select(c => Figure(c.Name, c.Chart)).ToList();
    }

    public string PlotlyBundle() => ChartHtml.PlotlyBundle();

    public string RenderFigure(string figureJson, bool offline) => ChartHtml.Render(figureJson, offline);

    private static ChartFigure Figure(string name, GenericChart chart)
    {
        var json = GenericChart.toFigureJson(chart);
        using var figure = System.Text.Json.JsonDocument.Parse(json);
        var title = figure.RootElement.TryGetProperty("layout", out var layout) && layout.TryGetProperty("title", out var t)
            && t.ValueKind == System.Text.Json.JsonValueKind.Object && t.TryGetProperty("text", out var text) ? text.GetString() ?? "" : "";
        return new ChartFigure(name, title, json);
    }
}
