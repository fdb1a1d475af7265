using System.Globalization;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Validation.Calibration;
using static WaferNotebooks.Core.Commands.CommandGrammar;
using static WaferNotebooks.Core.Commands.ValueText;
using static WaferNotebooks.Core.Commands.ViewTableBuilder;

namespace WaferNotebooks.Core.Commands;

/// <summary><c>calibrate</c>: fit catalog constants to measured runs and write them as a catalog overlay.</summary>
public sealed class CalibrateCommand : Subcommand<CalibrateRequest, CalibrationResult>
{
    public static CalibrateCommand Instance { get; } = new();

    public override SubcommandSpec Spec { get; } = new("calibrate",
        "Fit catalog constants to measured runs (least squares on log error) and write them as a catalog overlay.",
        "calibrate --data data/validation/megatron-bridge/runs.csv --fit sustained_matmul_share --out blackwell.json",
        [DataRepeated, Fit, By, Weight, Rows, Out, .. SharedOptions]);

    /// <summary>The files, constants, grouping and row patterns; the command line is rebuilt from them for the overlay's record.</summary>
    public override CalibrateRequest Parse(RequestArgs a)
    {
        // Kept as given (not made absolute), so the overlay records a path another machine can follow.
        var data = a.All(DataRepeated).ToList();
        foreach (var path in data) ValueParsers.ExistingFile(Data.Name, path);
        var fit = List(a.Required(Fit)).Select(n => CalibratedConstant.Find(ValueParsers.ParseChoice(Fit.Name, n, Fit.AllowedValues!), Fit.Name)).Distinct().ToList();
        var by = a.Choice(By) ?? CalibrationFit.ByAccelerator;
        var weight = a.Choice(Weight) ?? CalibrationFit.WeightRows;
        var rows = a.One(Rows) is { } r ? List(r) : [];
        if (a.One(Rows) is not null && rows.Count == 0)
            throw new WaferInputException($"{Rows.Name} is empty; give row ids or patterns, e.g. megatron21-*,korthikanti22-*");
        var output = a.One(Out) is { } o ? (o.Trim().Length > 0 ? o.Trim() : throw new WaferInputException($"{Out.Name} is empty; give a JSON file to write")) : null;
        var command = string.Join(' ', new[] { RootName, Spec.Name }
            .Concat(data.SelectMany(d => new[] { Data.Name, d.Replace('\\', '/') }))
            .Concat(rows.Count > 0 ? [Rows.Name, string.Join(',', rows)] : [])
            .Concat([Fit.Name, string.Join(',', fit.Select(f => f.Name)), By.Name, by])
            .Concat(weight != CalibrationFit.WeightRows ? [Weight.Name, weight] : [])
            .Concat(output is not null ? [Out.Name, output.Replace('\\', '/')] : []));
        return new CalibrateRequest(data, fit, by, rows, output, command, weight);
    }

    private static List<string> List(string text) => [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    public override CalibrationResult Run(CalibrateRequest r, RunContext context) =>
        CalibrationRun.Run(context.Catalog, r.DataPaths, r.Fit, r.By, r.RowPatterns, r.Command, r.OutPath,
            DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Data.Name, r.Weight, context.Cancellation);

    public override ResultView View(CalibrationResult c)
    {
        var fit = c.Fit;
        // Also written to JSON as "values", one object per fitted constant, beside the overlay's own form of the fit.
        var table = new ViewTableBuilder(Text("group", "group"), Text("constant", "constant"), Number("was", "previous"), Number("fitted", "value"),
            Text("band (rows 10-90%)"), Number("low", "low") with { Shown = false }, Number("high", "high") with { Shown = false }, Number("rows", "rows"),
            Number("|error| mean before", "mean_abs_error_before"), Number("after", "mean_abs_error_after"),
            Number("median before", "median_abs_error_before"), Number("after", "median_abs_error_after")) { Key = "values" };
        foreach (var v in fit.Values)
        {
            var (low, high) = (ViewNumber.Of(v.Low, ViewUnit.Constant), ViewNumber.Of(v.High, ViewUnit.Constant));
            table.Add(Group(v), v.Constant, new ViewNumber(v.Previous, ViewUnit.Constant), new ViewNumber(v.Value, ViewUnit.Constant),
                low is not null && high is not null ? ViewPhrase.Of($"{low}–{high}") : "", low, high, (ViewValue)v.Rows.Count,
                new ViewNumber(v.Before.MeanAbsError, ViewUnit.Fraction), new ViewNumber(v.After.MeanAbsError, ViewUnit.Fraction),
                new ViewNumber(v.Before.MedianAbsError, ViewUnit.Fraction), new ViewNumber(v.After.MedianAbsError, ViewUnit.Fraction));
        }
        int used = fit.Data.Sum(d => d.Rows.Count);
        // The fit as the overlay records it, the rows not used and why, notes, and the file written.
        var record = new ViewRecord
        {
            ["fit"] = new ViewDocument(CalibrationOverlay.ToNode(c.Fit)),
            ["unused"] = ViewArray.Of(c.Unused, u => new ViewRecord { ["file"] = u.File, ["id"] = u.Id, ["reason"] = u.Reason }),
            ["notes"] = ViewValue.Strings(c.Notes),
            ["written"] = c.Written,
        };
        return new ResultView($"Calibration: {string.Join(", ", fit.Fit)} by {fit.By}, each of the {fit.Weighting} weighing once",
            $"{used} rows used of {string.Join(", ", fit.Data.Select(d => $"{d.File} ({d.Rows.Count})"))}; {c.Unused.Count} not used; " +
            (c.Written is { } path
                ? $"written: {path} (use it with --catalog {path}, or list it in {UserCatalogs.EnvironmentVariable})"
                : "not written (give --out FILE)"))
        {
            Record = record,
            Tables = [table.Build()],
            Notes =
            [
                .. fit.Values.DistinctBy(v => (v.Accelerator, v.Framework)).Select(v => new ViewNote($"fitted to ({Group(v)})", string.Join(", ", v.Rows))),
                .. c.Unused.GroupBy(u => u.Reason).Select(g => new ViewNote($"not used ({g.Count()})", $"{g.Key}: {string.Join(", ", g.Select(u => u.Id))}")),
                .. c.Notes.Select(n => new ViewNote("note", n)),
            ],
        };
    }

    private static string Group(CalibrationValue v) => v.Framework is { } fw ? $"{v.Accelerator}/{fw}" : v.Accelerator;
}
