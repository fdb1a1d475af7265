using System.Text.RegularExpressions;
using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Validation.Calibration;

/// <summary>
/// What <c>wafer calibrate</c> returns: the fit as the overlay records it (values, rows, error
/// before and after), the rows not used and why, notes on constants the rows could not pin
/// down, and the overlay file written (null when no <c>--out</c> was given).
/// </summary>
public sealed record CalibrationResult(CalibrationFit Fit, IReadOnlyList<UnusedRow> Unused, IReadOnlyList<string> Notes, string? Written);

/// <summary>The <c>wafer calibrate</c> command: load the data files, select rows, fit, and write the overlay.</summary>
public static class CalibrationRun
{
    public static CalibrationResult Run(
        SimulatorCatalog catalog, IReadOnlyList<string> dataPaths, IReadOnlyList<CalibratedConstant> constants, string by,
        IReadOnlyList<string> rowPatterns, string command, string? outPath, string date, string givenBy = "--data",
        string weight = CalibrationFit.WeightRows, CancellationToken ct = default)
    {
        var data = dataPaths.Select(p => ValidationData.Load(p, givenBy)).ToArray();
        var selected = data.SelectMany(d => d.Rows).ToList();
        if (rowPatterns.Count > 0)
        {
            var patterns = rowPatterns.Select(p => (Text: p, Regex: Glob(p))).ToArray();
            foreach (var p in patterns.Where(p => !selected.Any(r => p.Regex.IsMatch(r.Case.Id))))
                throw new WaferInputException($"--rows '{p.Text}' matches no row id of {string.Join(", ", data.Select(d => d.Name))}");
            selected = selected.Where(r => patterns.Any(p => p.Regex.IsMatch(r.Case.Id))).ToList();
        }
        var predicted = Calibration.Predict(catalog, selected, ct);
        var unused = data.SelectMany(d => d.Malformed.Select(m => new UnusedRow(d.File, m.Id, m.Reason ?? "malformed"))).ToList();
        var usable = new List<PredictedRow>();
        foreach (var row in predicted)
        {
            if (Calibration.Unusable(row, catalog) is { } why) unused.Add(new UnusedRow(row.Data.File, row.Data.Case.Id, why));
            else usable.Add(row);
        }
        if (usable.Count == 0)
            throw new WaferInputException($"calibrate: no row of {string.Join(", ", data.Select(d => d.Name))} can be fitted" +
                (unused.Count > 0 ? $" (first: {unused[0].Id}: {unused[0].Reason})" : "") + "; fits need throughput rows on GPU-class systems");

        var notes = new List<string>();
        var values = Calibration.Fit(catalog, usable, constants, by, notes, ct, weight);
        var sets = dataPaths.Select(p => new CalibrationDataSet(p.Replace('\\', '/'), [.. usable.Where(r => r.Data.File == p).Select(r => r.Data.Case.Id)]))
            .Where(s => s.Rows.Count > 0).ToArray();
        var fit = new CalibrationFit(command, date, [.. constants.Select(c => c.Name)], by, sets, values, weight == CalibrationFit.WeightRows ? null : weight);
        if (outPath is not null && values.Count > 0) CalibrationOverlay.Write(outPath, fit);
        else if (outPath is not null) notes.Add($"nothing was fitted, so {outPath} was not written");
        return new CalibrationResult(fit, unused, notes, outPath is not null && values.Count > 0 ? outPath : null);
    }

    /// <summary>A row-id pattern: * any run of characters, ? one; case-insensitive, whole id.</summary>
    public static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern.Trim()).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
