using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Uncertainty;

namespace WaferNotebooks.Core.Validation;

/// <summary>
/// What differs when a validation row ran on a Cerebras wafer-scale cluster.
/// <para>The micro-batch is not a user knob there: the Cerebras compiler searches it ("Gradient
/// accumulation will search for an optimal micro batch size based on internal performance
/// models", as the ALCF CS-2 log of 2024-03-21 prints). So a wafer row's unpublished knobs are
/// the estimator's fastest layout, not the GPU frameworks' default micro-batch of 1.</para>
/// <para>Each wafer row also gets the range of its metric over the catalog's uncertain inputs,
/// re-choosing the layout for every variant as the compiler would, so a test can check that
/// the measurement lies inside what the tool reports.</para>
/// </summary>
public static class WaferRows
{
    /// <summary>
    /// The wafer system as a row ran it: the utilisation of the release era its software_date
    /// selects, or, with no date, the newest era's with a range over every era (the release is
    /// not known). Other systems are returned as they are.
    /// </summary>
    public static SystemSpec ForRow(SystemSpec system, DateOnly? softwareDate) => system is WaferCluster w
        ? softwareDate is { } month && w.EraAt(month) is { } era ? w.AtEra(era) : w.AtUnknownRelease()
        : system;

    public static LayoutPolicy PolicyFor(SystemSpec system, LayoutPolicy requested) =>
        system is WaferCluster ? LayoutPolicy.Fastest : requested;

    public const string KnobsNote = "unpublished micro-batch and recompute set to the fastest the wafer model finds (the Cerebras compiler searches the micro-batch itself)";

    /// <summary>Low and high of a throughput metric over the system's ranged inputs; null for metrics without a range.</summary>
    public static MetricRange? Range(string metric, Estimate nominal, SystemSpec system, EconomicAssumptions economics, Func<SystemSpec, Estimate> choose)
    {
        Func<Estimate, double>? value = metric switch
        {
            "tokens_per_s_per_device" => e => e.TokensPerSPerDevice,
            "iteration_s" => e => e.StepTimeS,
            "mfu_percent" => e => e.Mfu * 100,
            "hfu_tflops_per_device" => e => e.HardwareTflopsPerDevice,
            _ => null,
        };
        if (value is null || !nominal.Feasible) return null;
        var analysed = UncertaintyAnalysis.Analyze(nominal, system, economics, (s, _) => choose(s));
        if (analysed.Ranges is not { } r) return null;
        // Every metric here is a fixed function of the step time for a given job and system, so the step time's extremes carry over.
        double Scale(double stepS) => value(nominal) * (metric == "iteration_s" ? stepS / nominal.StepTimeS : nominal.StepTimeS / stepS);
        double a = Scale(r.StepTimeS.Low), b = Scale(r.StepTimeS.High);
        return new MetricRange(Math.Min(a, b), Math.Max(a, b));
    }

    public static string RangeNote(MetricRange range, string metric) =>
        $"range over the catalog's uncertain wafer inputs: {range.Low:G4}–{range.High:G4} ({metric})";
}
