using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Timeline;
using WaferNotebooks.Core.Validation;

namespace WaferNotebooks.Core.Charting;

/// <summary>
/// Draws results as plotly.js figures, one typed method per kind of result; a subcommand's unit
/// chooses which its result draws (<c>Subcommand.Figures</c>), so nothing here asks what a
/// result is. Implemented in WaferNotebooks.Charts, which the notebook extension loads into a
/// private AssemblyLoadContext (its Plotly.NET needs an FSharp.Core the host may not have), so
/// only Core types and strings cross this interface.
/// </summary>
/// <remarks>
/// <see cref="RenderFigure"/> turns a figure into an HTML fragment that draws with the plotly.js
/// already on the page, else with the one unpacked from a <see cref="PlotlyBundle"/> on the page,
/// else (online) with plotly.js from its CDN; when none loads, the fragment says so in place of
/// the chart. With <c>offline</c> true the caller puts a <see cref="PlotlyBundle"/> into the same
/// output, so the output draws on its own.
/// </remarks>
public interface IChartRenderer
{
    /// <summary><c>step-breakdown</c> (step time split into compute, communication, bubbles, ...: one stacked bar) and
    /// <c>memory</c> (memory per device by part, stacked, against the device's capacity).</summary>
    IReadOnlyList<ChartFigure> Estimate(Estimate estimate);

    /// <summary><c>comparison-bars</c> (days, MWh, $ and t CO2 of each system side by side, error bars from the
    /// estimates' ranges) and <c>time-vs-energy</c> (one marker per system).</summary>
    IReadOnlyList<ChartFigure> Comparison(Comparison comparison);

    /// <summary><c>scaling</c> (throughput and scaling efficiency against device count, log axis); <c>mfu</c>, or
    /// for a knob that changes only the run's totals (tokens, price, PUE, carbon) <c>totals</c> (days, $, MWh,
    /// t CO2); and <c>goodput</c> when the sweep has a failure model.</summary>
    IReadOnlyList<ChartFigure> Sweep(SweepResult sweep);

    /// <summary><c>layouts</c>: every feasible layout of a plan, time to train against energy (or cost), Pareto front highlighted.</summary>
    IReadOnlyList<ChartFigure> Plan(PlanResult plan);

    /// <summary><c>timeline</c>: one training step as a Gantt chart, a row per lane, a bar per segment.</summary>
    IReadOnlyList<ChartFigure> Timeline(StepTimeline timeline);

    /// <summary><c>parity</c>: predicted against measured, log-log, a marker per row and metric, the y = x line with a ±10% band.</summary>
    IReadOnlyList<ChartFigure> Validation(ValidationReport report);

    /// <summary>Any plotly.js figure JSON (<c>{"data": [...], "layout": {...}}</c>) as chart HTML: the
    /// extension's own figures and figures users changed.</summary>
    string RenderFigure(string figureJson, bool offline);

    /// <summary>An inert element holding the renderer's plotly.js, gzipped and base64-encoded (about 1.46 MB).</summary>
    string PlotlyBundle();
}
