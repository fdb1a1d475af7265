using WaferNotebooks.Core;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Charts;

/// <summary>The Plotly.NET implementation of <see cref="IChartRenderer"/>, created by the extension through reflection.</summary>
public sealed class PlotlyChartRenderer : IChartRenderer
{
    public string StepBreakdown(Estimate estimate, bool offline) => ChartHtml.Render(EstimateCharts.StepBreakdown(estimate), offline);

    public string MemoryBreakdown(Estimate estimate, bool offline) => ChartHtml.Render(EstimateCharts.MemoryBreakdown(estimate), offline);

    public string ComparisonBars(IReadOnlyList<Estimate> estimates, bool offline) => ChartHtml.Render(ComparisonCharts.Bars(estimates), offline);

    public string ComparisonScatter(IReadOnlyList<Estimate> estimates, bool offline) => ChartHtml.Render(ComparisonCharts.Scatter(estimates), offline);

    public string PlanScatter(PlanResult plan, bool offline) => ChartHtml.Render(PlanCharts.Scatter(plan), offline);

    public string PlotlyScript() => ChartHtml.PlotlyScript();
}
