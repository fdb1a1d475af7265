using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Validation;

/// <summary>One measured wafer row, its release era and month, and the utilisation at which the model reproduces it.</summary>
public sealed record ImpliedUtilisation(string Id, string SystemId, string Era, DateOnly Month, double Measured, double Utilisation);

/// <summary>A held-out prediction: the row predicted with the utilisation the era table fitted without it gives its month.</summary>
public sealed record HeldOutPrediction(string Id, double Utilisation, double Predicted, double Measured)
{
    public double Error => (Predicted - Measured) / Measured;
}

/// <summary>One fitted release era: its first month, utilisation, range and the rows it was fitted to.</summary>
public sealed record FittedEra(string Release, DateOnly From, double Utilisation, double Low, double High, IReadOnlyList<string> Rows);

/// <summary>
/// The wafer's sustained utilisation (fraction of the nominal dense 16-bit peak) per Cerebras
/// software-release era, fitted to measured training logs (docs/wafer-model.md §6.1):
/// <list type="number">
/// <item>for every row, the utilisation at which the wafer model predicts the measured rate
/// (bisection; the rate rises with utilisation);</item>
/// <item>rows are grouped by release era (the <c>software_release</c> column as R<i>major</i>.<i>minor</i>;
/// an era starts at the earliest <c>software_date</c> of its rows);</item>
/// <item>a monotone (non-decreasing in release date) least-squares fit of ln utilisation over the
/// eras, weighted by rows (pool-adjacent-violators): newer software is never assumed slower;</item>
/// <item>each era's range is its value ×/÷ e^k, with k the largest |ln(implied / fitted)| of any
/// row, the spread of rows that share a release around their era.</item>
/// </list>
/// A run's era is the latest that started by its month (the oldest before every era). Cross-
/// validation refits without each row (leave one out) and without each era (leave one release
/// out) and predicts the held-out rows with the era their month selects.
/// </summary>
public sealed record WaferUtilisationFit(
    IReadOnlyList<ImpliedUtilisation> Rows,
    IReadOnlyList<FittedEra> Eras,
    double LogBand,
    IReadOnlyList<HeldOutPrediction> LeaveOneOut,
    IReadOnlyList<HeldOutPrediction> LeaveOneReleaseOut)
{
    public double LeaveOneOutMeanAbsError => MeanAbs(LeaveOneOut);

    public double LeaveOneReleaseOutMeanAbsError => MeanAbs(LeaveOneReleaseOut);

    public FittedEra Newest => Eras[^1];

    static double MeanAbs(IReadOnlyList<HeldOutPrediction> p) => p.Count == 0 ? 0 : p.Average(x => Math.Abs(x.Error));

    /// <summary>Fits the rows of a validation CSV (standard columns plus <c>software_release</c>) that ran on wafer systems.</summary>
    public static WaferUtilisationFit Of(string csv, Func<string, SystemSpec>? findSystem = null)
    {
        var catalogFind = findSystem ?? SimulatorCatalog.Default.FindSystem;
        // Solving for one utilisation per row: the catalog's eras must not re-select it.
        SystemSpec Find(string id) => catalogFind(id) is WaferCluster w ? w with { UtilisationEras = null, Release = null } : catalogFind(id);
        var records = CsvReader.Parse(csv);
        var header = records[0].Fields.Select((name, i) => (name: name.Trim().ToLowerInvariant(), i))
            .GroupBy(x => x.name).ToDictionary(g => g.Key, g => g.First().i);
        if (!header.TryGetValue("software_release", out int releaseColumn))
            throw new WaferInputException("the wafer fit needs a software_release column (see data/validation/wafer/README.md)");
        var cases = new Dictionary<string, ValidationCase>();
        var implied = new List<ImpliedUtilisation>();
        foreach (var record in records.Skip(1))
        {
            var c = ValidationCase.From(record, header);
            if (Find(c.SystemId) is not WaferCluster) continue;
            string release = record.Fields[releaseColumn].Trim();
            var version = UtilisationEra.ParseVersion(release)
                ?? throw new WaferInputException($"{c.Id}: software_release '{release}' is not a release R<major>.<minor>[.<patch>]");
            var month = c.Inputs.SoftwareDate ?? throw new WaferInputException($"{c.Id}: the wafer fit needs the row's software_date (YYYY-MM)");
            cases[c.Id] = c;
            implied.Add(new ImpliedUtilisation(c.Id, c.SystemId, UtilisationEra.NameOf(version), month, c.Value, Solve(c, Find)));
        }
        if (implied.Count == 0) throw new WaferInputException("the wafer fit found no rows on wafer-scale systems");

        var eras = Monotone(implied);
        double band = implied.Max(r => Math.Abs(Math.Log(r.Utilisation / eras.First(e => e.Release == r.Era).Value)));
        var fitted = eras.Select(e => new FittedEra(e.Release, e.From, e.Value, e.Value * Math.Exp(-band), e.Value * Math.Exp(band),
            [.. implied.Where(r => r.Era == e.Release).Select(r => r.Id)])).ToList();

        HeldOutPrediction HeldOut(ImpliedUtilisation r, IEnumerable<ImpliedUtilisation> training)
        {
            double u = ValueAt(Monotone(training.ToList()), r.Month);
            return new HeldOutPrediction(r.Id, u, Predict(cases[r.Id], Find, u) ?? double.NaN, r.Measured);
        }
        var looRows = implied.Count < 2 ? [] : implied.Select(r => HeldOut(r, implied.Where(o => o.Id != r.Id))).ToList();
        var loroRows = eras.Count < 2 ? [] : implied.Select(r => HeldOut(r, implied.Where(o => o.Era != r.Era))).ToList();
        return new WaferUtilisationFit(implied, fitted, band, looRows, loroRows);
    }

    /// <summary>The row's metric predicted with every wafer system's utilisation set to <paramref name="utilisation"/>.</summary>
    public static double? Predict(ValidationCase c, Func<string, SystemSpec> find, double utilisation)
    {
        var run = new ValidationRun(id => find(id) is WaferCluster w
            ? w with { ComputeUtilisation = w.ComputeUtilisation.WithValue(utilisation) } : find(id));
        return run.Predict(c).Predicted;
    }

    sealed record Era(string Release, DateOnly From, double Value);

    /// <summary>Non-decreasing least-squares fit of ln utilisation over eras in date order, weighted by rows (pool adjacent violators).</summary>
    static List<Era> Monotone(IReadOnlyList<ImpliedUtilisation> rows)
    {
        var groups = rows.GroupBy(r => r.Era).Select(g => (Release: g.Key, From: g.Min(r => r.Month), Logs: g.Select(r => Math.Log(r.Utilisation)).ToList()))
            .OrderBy(g => g.From).ToList();
        var blocks = new List<(double Sum, int Count, int Eras)>();
        foreach (var g in groups)
        {
            blocks.Add((g.Logs.Sum(), g.Logs.Count, 1));
            while (blocks.Count > 1 && blocks[^2].Sum / blocks[^2].Count > blocks[^1].Sum / blocks[^1].Count)
            {
                var (a, b) = (blocks[^2], blocks[^1]);
                blocks.RemoveRange(blocks.Count - 2, 2);
                blocks.Add((a.Sum + b.Sum, a.Count + b.Count, a.Eras + b.Eras));
            }
        }
        var values = blocks.SelectMany(b => Enumerable.Repeat(Math.Exp(b.Sum / b.Count), b.Eras)).ToList();
        return [.. groups.Select((g, i) => new Era(g.Release, g.From, values[i]))];
    }

    /// <summary>The era in use in a month: the latest that started by then, the oldest before every era.</summary>
    static double ValueAt(IReadOnlyList<Era> eras, DateOnly month) => (eras.LastOrDefault(e => e.From <= month) ?? eras[0]).Value;

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
}
