using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Validation;

/// <summary>One measured wafer row and the compute utilisation at which the model reproduces it.</summary>
public sealed record ImpliedUtilisation(string Id, string SystemId, string Release, double Measured, double Utilisation, bool InFitSet);

/// <summary>A leave-one-out prediction: the row predicted with the utilisation fitted to the other rows of the fit set.</summary>
public sealed record HeldOutPrediction(string Id, double Utilisation, double Predicted, double Measured)
{
    public double Error => (Predicted - Measured) / Measured;
}

/// <summary>
/// The wafer's achievable utilisation (fraction of the nominal dense 16-bit peak) fitted to
/// measured Cerebras training logs: for every row, the utilisation at which the wafer model
/// predicts the measured rate (bisection; the rate rises with utilisation); the fit is the
/// geometric mean over the rows of the fit set (rows from the software releases chosen by the
/// caller, e.g. the current 2.x era). Leave-one-out errors say how well a constant fitted this
/// way predicts a row it has not seen. The catalog's <c>compute_utilisation</c> records this fit.
/// </summary>
public sealed record WaferUtilisationFit(IReadOnlyList<ImpliedUtilisation> Rows, double Fitted, IReadOnlyList<HeldOutPrediction> LeaveOneOut)
{
    public double LeaveOneOutMeanAbsError => LeaveOneOut.Count == 0 ? 0 : LeaveOneOut.Average(p => Math.Abs(p.Error));

    public double LowestImplied => Rows.Min(r => r.Utilisation);

    public double HighestImplied => Rows.Max(r => r.Utilisation);

    /// <summary>Fits the rows of a validation CSV (standard columns plus <c>software_release</c>) that ran on wafer systems.</summary>
    public static WaferUtilisationFit Of(string csv, Func<string, bool> releaseInFitSet, Func<string, SystemSpec>? findSystem = null)
    {
        var find = findSystem ?? SimulatorCatalog.Default.FindSystem;
        var records = CsvReader.Parse(csv);
        var header = records[0].Fields.Select((name, i) => (name: name.Trim().ToLowerInvariant(), i))
            .GroupBy(x => x.name).ToDictionary(g => g.Key, g => g.First().i);
        if (!header.TryGetValue("software_release", out int releaseColumn))
            throw new WaferInputException("the wafer fit needs a software_release column (see data/validation/wafer/README.md)");
        var rows = new List<(ValidationCase Case, string Release)>();
        foreach (var record in records.Skip(1))
        {
            var c = ValidationCase.From(record, header);
            if (find(c.SystemId) is WaferCluster) rows.Add((c, record.Fields[releaseColumn].Trim()));
        }
        var implied = rows.Select(r => new ImpliedUtilisation(r.Case.Id, r.Case.SystemId, r.Release, r.Case.Value,
            Solve(r.Case, find), releaseInFitSet(r.Release))).ToList();
        var fitSet = implied.Where(r => r.InFitSet).ToList();
        var heldOut = fitSet.Count < 2 ? [] : fitSet.Select(r =>
        {
            double u = GeometricMean(fitSet.Where(o => o.Id != r.Id).Select(o => o.Utilisation));
            var c = rows.First(x => x.Case.Id == r.Id).Case;
            return new HeldOutPrediction(r.Id, u, Predict(c, find, u) ?? double.NaN, r.Measured);
        }).ToList();
        return new WaferUtilisationFit(implied, fitSet.Count == 0 ? double.NaN : GeometricMean(fitSet.Select(r => r.Utilisation)), heldOut);
    }

    /// <summary>The row's metric predicted with every wafer system's utilisation set to <paramref name="utilisation"/>.</summary>
    public static double? Predict(ValidationCase c, Func<string, SystemSpec> find, double utilisation)
    {
        var run = new ValidationRun(id => find(id) is WaferCluster w
            ? w with { ComputeUtilisation = w.ComputeUtilisation.WithValue(utilisation) } : find(id));
        return run.Predict(c).Predicted;
    }

    static double Solve(ValidationCase c, Func<string, SystemSpec> find)
    {
        double lo = 0.01, hi = 1.0;
        // The metric is a throughput (higher with more utilisation) unless it is a time.
        bool rising = c.Metric != "iteration_s";
        for (int i = 0; i < 40; i++)
        {
            double mid = Math.Sqrt(lo * hi);
            double p = Predict(c, find, mid) ?? double.NaN;
            if (double.IsNaN(p)) return double.NaN;
            if (p < c.Value == rising) lo = mid; else hi = mid;
        }
        return Math.Sqrt(lo * hi);
    }

    static double GeometricMean(IEnumerable<double> values) => Math.Exp(values.Average(Math.Log));
}
