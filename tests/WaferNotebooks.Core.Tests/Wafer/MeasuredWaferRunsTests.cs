using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Tests.Catalog;
using Xunit;
using Xunit.Abstractions;

namespace WaferNotebooks.Core.Tests.Wafer;

/// <summary>
/// The wafer model against measured Cerebras training logs (data/validation/wafer/runs.csv):
/// each measurement inside the range the tool reports, and the catalog's utilisation equal to
/// the fit to the 2.x-era rows, with its leave-one-out error reported and bounded.
/// </summary>
public class MeasuredWaferRunsTests(ITestOutputHelper output)
{
    static string Csv => File.ReadAllText(Path.Combine(CatalogDataTests.RepoRoot(), "data", "validation", "wafer", "runs.csv"));

    /// <summary>The fit set: the current 2.x software era (the 1.x rows are a slower, older software).</summary>
    internal static bool CurrentEra(string release) => !release.StartsWith("R1", StringComparison.Ordinal);

    static readonly Lazy<WaferUtilisationFit> Fit = new(() => WaferUtilisationFit.Of(Csv, CurrentEra));

    [Fact]
    public void Every_row_is_predicted_and_lies_inside_the_reported_range()
    {
        var report = new ValidationRun().Run(Csv, "wafer/runs.csv");
        Assert.Equal(6, report.Rows.Count);
        foreach (var row in report.Rows)
        {
            output.WriteLine($"{row.Id}: measured {row.Measured:N0}, predicted {row.Predicted:N0} ({row.Error:+0.0%;-0.0%}), range {row.PredictedLow:N0}–{row.PredictedHigh:N0}, {row.Layout}");
            Assert.False(row.Skipped, row.Reason);
            Assert.NotNull(row.PredictedLow);
            Assert.True(row.InsideRange, $"{row.Id}: {row.Measured:N0} outside {row.PredictedLow:N0}–{row.PredictedHigh:N0}");
            Assert.Contains(row.Notes!, n => n.StartsWith("range over the catalog's uncertain wafer inputs"));
        }
        output.WriteLine($"nominal |error| over all rows (in-sample for the 2.x rows): mean {report.Summary.MeanAbsError:P1}, max {report.Summary.MaxAbsError:P1}");
        // Measured 36.2% when the constant was fitted (the two R1.x rows, outside the fit set, contribute +52% and +87%).
        Assert.True(report.Summary.MeanAbsError < 0.40, $"nominal mean |error| {report.Summary.MeanAbsError:P1}");
    }

    [Fact]
    public void Catalog_utilisation_is_the_fit_to_the_current_era_and_its_range_covers_every_release()
    {
        var fit = Fit.Value;
        foreach (var r in fit.Rows)
            output.WriteLine($"{r.Id} ({r.Release}, {r.SystemId}): implied utilisation {r.Utilisation:F3}{(r.InFitSet ? "" : " (not in fit set)")}");
        output.WriteLine($"fitted {fit.Fitted:F3}; lowest {fit.LowestImplied:F3}, highest {fit.HighestImplied:F3}");
        foreach (var c in WaferFixtures.Clusters)
        {
            Assert.Equal(fit.Fitted, c.ComputeUtilisation.Value, 0.005);
            Assert.True(c.ComputeUtilisation.Low <= fit.LowestImplied, $"{c.Id}: low {c.ComputeUtilisation.Low} above the slowest release's {fit.LowestImplied:F3}");
            Assert.True(c.ComputeUtilisation.High >= fit.HighestImplied, $"{c.Id}: high {c.ComputeUtilisation.High} below the best row's {fit.HighestImplied:F3}");
        }
    }

    [Fact]
    public void Leave_one_out_error_of_the_fitted_utilisation_is_reported_and_bounded()
    {
        var fit = Fit.Value;
        foreach (var p in fit.LeaveOneOut)
            output.WriteLine($"{p.Id}: utilisation fitted without it {p.Utilisation:F3}, predicted {p.Predicted:N0} vs {p.Measured:N0} ({p.Error:+0.0%;-0.0%})");
        output.WriteLine($"leave-one-out mean |error| {fit.LeaveOneOutMeanAbsError:P1} over {fit.LeaveOneOut.Count} rows");
        Assert.Equal(4, fit.LeaveOneOut.Count);
        Assert.True(fit.LeaveOneOutMeanAbsError < LeaveOneOutBound, $"leave-one-out mean |error| {fit.LeaveOneOutMeanAbsError:P1}");
    }

    /// <summary>Measured level when the fit was made, with a margin; see data/validation/wafer/README.md.</summary>
    const double LeaveOneOutBound = 0.30;
}
