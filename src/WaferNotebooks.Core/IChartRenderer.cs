using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Timeline;
using WaferNotebooks.Core.Validation;

namespace WaferNotebooks.Core;

/// <summary>
/// Turns results into chart HTML fragments (a div and the script that draws it). Implemented in
/// WaferNotebooks.Charts, which the notebook extension loads into a private AssemblyLoadContext
/// (its Plotly.NET needs an FSharp.Core the host may not have), so only Core types and strings
/// cross this interface.
/// </summary>
/// <remarks>
/// With <c>offline</c> false a fragment loads plotly.js from its CDN on its own; with
/// <c>offline</c> true it expects <c>window.Plotly</c>, which the caller provides once per
/// document with <see cref="PlotlyScript"/> placed before the first chart.
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

    /// <summary>MFU against device count (log axis).</summary>
    string SweepMfu(SweepResult sweep, bool offline);

    /// <summary>Goodput (useful share of wall time under interruptions, checkpoints and restarts) against device count (log axis).</summary>
    string SweepGoodput(SweepResult sweep, bool offline);

    /// <summary>Predicted against measured, log-log, a marker per row and metric, the y = x line with a ±10% band.</summary>
    string ValidationParity(ValidationReport report, bool offline);

    /// <summary>One training step as a Gantt chart: a row per lane, a bar per segment.</summary>
    string Timeline(StepTimeline timeline, bool offline);

    /// <summary>Every feasible layout of a plan, time to train against energy (or cost), Pareto front highlighted.</summary>
    string PlanScatter(PlanResult plan, bool offline);

    /// <summary>A script element that defines <c>window.Plotly</c> from the plotly.js bundled with the renderer (about 3.6 MB).</summary>
    string PlotlyScript();
}
