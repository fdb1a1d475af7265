using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Timeline;
using WaferNotebooks.Core.Validation;

namespace WaferNotebooks.Core.Charting;

/// <summary>
/// Turns results into chart HTML fragments (a div and the script that draws it). Implemented in
/// WaferNotebooks.Charts, which the notebook extension loads into a private AssemblyLoadContext
/// (its Plotly.NET needs an FSharp.Core the host may not have), so only Core types and strings
/// cross this interface.
/// </summary>
/// <remarks>
/// A fragment draws with the plotly.js already on the page, else with the one unpacked from a
/// <see cref="PlotlyBundle"/> on the page, else (online) with plotly.js from its CDN; when none
/// loads, the fragment says so in place of the chart. With <c>offline</c> true the caller puts a
/// <see cref="PlotlyBundle"/> into the same output, so the output draws on its own.
/// </remarks>
public interface IChartRenderer
{
    /// <summary>Step time split into compute, communication, bubbles, ...: one stacked bar.</summary>
    string StepBreakdown(Estimate estimate, bool offline);

    /// <summary>Memory per device by part, stacked, against the device's capacity.</summary>
    string MemoryBreakdown(Estimate estimate, bool offline);

    /// <summary>Days, MWh, $ and t CO2 of each system side by side, error bars from the estimates' ranges.</summary>
    string ComparisonBars(Comparison comparison, bool offline);

    /// <summary>Time to train against energy, one marker per system.</summary>
    string ComparisonScatter(Comparison comparison, bool offline);

    /// <summary>Throughput and scaling efficiency against device count (log axis).</summary>
    string SweepScaling(SweepResult sweep, bool offline);

    /// <summary>MFU against device count (log axis); for a knob that changes only the run's totals
    /// (tokens, price, PUE, carbon), that total (days, $, MWh, t CO2) instead.</summary>
    string SweepMfu(SweepResult sweep, bool offline);

    /// <summary>Goodput (useful share of wall time under interruptions, checkpoints and restarts) against device count (log axis).</summary>
    string SweepGoodput(SweepResult sweep, bool offline);

    /// <summary>Predicted against measured, log-log, a marker per row and metric, the y = x line with a ±10% band.</summary>
    string ValidationParity(ValidationReport report, bool offline);

    /// <summary>One training step as a Gantt chart: a row per lane, a bar per segment.</summary>
    string Timeline(StepTimeline timeline, bool offline);

    /// <summary>Every feasible layout of a plan, time to train against energy (or cost), Pareto front highlighted.</summary>
    string PlanScatter(PlanResult plan, bool offline);

    /// <summary>An inert element holding the renderer's plotly.js, gzipped and base64-encoded (about 1.46 MB).</summary>
    string PlotlyBundle();

    /// <summary>The charts a result draws, as figure JSON in the order they are shown; empty for a
    /// result without charts.</summary>
    IReadOnlyList<ChartFigure> Figures(object result);

    /// <summary>Any plotly.js figure JSON (<c>{"data": [...], "layout": {...}}</c>) as chart HTML,
    /// drawn like the extension's own charts: for figures users changed.</summary>
    string RenderFigure(string figureJson, bool offline);
}
