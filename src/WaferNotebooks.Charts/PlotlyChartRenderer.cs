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
    public IReadOnlyList<ChartFigure> Estimate(Estimate e) =>
        [Figure("step-breakdown", EstimateCharts.StepBreakdown(e)), Figure("memory", EstimateCharts.MemoryBreakdown(e))];

    public IReadOnlyList<ChartFigure> Comparison(Comparison c) =>
        [Figure("comparison-bars", ComparisonCharts.Bars(c.Estimates)), Figure("time-vs-energy", ComparisonCharts.Scatter(c.Estimates))];

    public IReadOnlyList<ChartFigure> Sweep(SweepResult s) =>
        [Figure("scaling", SweepCharts.Scaling(s)), Figure(SweepCharts.SecondName(s), SweepCharts.Second(s)), .. s.HasGoodput ? [Figure("goodput", SweepCharts.Goodput(s))] : Array.Empty<ChartFigure>()];

    public IReadOnlyList<ChartFigure> Plan(PlanResult p) => [Figure("layouts", PlanCharts.Scatter(p))];

    public IReadOnlyList<ChartFigure> Timeline(StepTimeline t) => [Figure("timeline", TimelineChart.Gantt(t))];

    public IReadOnlyList<ChartFigure> Validation(ValidationReport v) => [Figure("parity", ValidationCharts.Parity(v))];

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
