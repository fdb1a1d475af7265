using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Validation.Calibration;

/// <summary>The refit values of one held-out group, and the fitted constants it left without rows ("group constant"), which went back to their uncalibrated defaults.</summary>
public sealed record CrossValidationFold(string Group, int Rows, IReadOnlyList<CalibrationValue> Refit, IReadOnlyList<string> Uncalibrated);

/// <summary>
/// <c>wafer validate --cv</c>: the rows predicted with the catalog as it is (<see cref="InSample"/>)
/// and with every calibrated constant refitted without the row's group (<see cref="OutOfGroup"/>,
/// row for row), the group of each row, each fold's refitted values and notes.
/// </summary>
public sealed record CrossValidationReport(
    ValidationReport InSample,
    ValidationReport OutOfGroup,
    string By,
    IReadOnlyList<string> RowGroups,
    IReadOnlyList<CrossValidationFold> Folds,
    IReadOnlyList<string> Notes);

/// <summary>
/// Leave-one-group-out cross-validation of the catalog's calibrations. For each group of the
/// validated file's rows, every fit of <see cref="SimulatorCatalog.Calibrations"/> whose declared
/// rows include a row of the group is run again on its rows minus the group, in the catalog's
/// order, and so is every later fit of a calibration group whose constants changed (a launch cost
/// fitted at one sustained share depends on it). A group whose rows were the whole fit set of a
/// calibration group leaves it uncalibrated. The group's rows are then predicted again, nominal and
/// range, with the refitted catalog (refits weigh rows as the recorded fit did). Declared data files are found as given (from the working directory) or below a
/// parent folder of the validated file.
/// </summary>
public static class CrossValidation
{
    public const string BySource = "source", ByPaper = "paper", BySystem = "system", ByModel = "model";
    public static readonly string[] Groupings = [BySource, ByPaper, BySystem, ByModel];

    /// <summary>
    /// A row's group: source = the row's <c>source</c> column (one table or section of one
    /// publication); paper = that column up to its first comma (the authors and year, or the
    /// publisher's document); system = the <c>system</c> column; model = the <c>model</c> column
    /// (for vTrain tables: hidden size and layer count). An empty source column stands for the data file.
    /// </summary>
    public static string GroupOf(DataRow row, string by)
    {
        string source = row.Case.Source.Trim() is { Length: > 0 } s ? s : Path.GetFileName(row.File);
        return by switch
        {
            BySource => source,
            ByPaper => source.Split(',')[0].Trim(),
            BySystem => row.Case.SystemId,
            ByModel => row.Case.ModelName,
            _ => throw new WaferInputException($"--cv '{by}': expected one of {string.Join(", ", Groupings)}"),
        };
    }

    /// <summary>Progress goes from 0 to 1 in steps of 1/(groups + 1): the in-sample prediction, then each fold as it ends.</summary>
    public static CrossValidationReport Run(SimulatorCatalog catalog, ValidationData data, string by, CancellationToken ct = default, IProgress<double>? progress = null)
    {
        var notes = new List<string>();
        var validated = Calibration.Predict(catalog, data.Rows, ct);
        var groups = data.Rows.Select(r => GroupOf(r, by)).ToArray();
        int steps = groups.Distinct(StringComparer.Ordinal).Count() + 1;
        progress?.Report(1.0 / steps);
        string validatedPath = Path.GetFullPath(data.File);

        // Each fit's declared rows, loaded and predicted with the catalog as it is when a fold first refits it.
        var loaded = new Dictionary<string, IReadOnlyList<PredictedRow>> { [validatedPath] = validated };
        var fits = catalog.Calibrations.Select(fit =>
        {
            var sets = new List<(string Path, HashSet<string> Ids)>();
            foreach (var set in fit.Data)
            {
                if (Resolve(set.File, validatedPath) is { } path) sets.Add((path, set.Rows.ToHashSet(StringComparer.Ordinal)));
                else notes.Add($"the rows of {string.Join(", ", fit.Fit)} ({fit.Command}) in {set.File} were not found from the working directory or above {data.Name}: they cannot be held out, so rows among them are predicted in-sample");
            }
            var rows = new Lazy<IReadOnlyList<(string Path, PredictedRow Row)>>(() => [.. sets.SelectMany(set =>
            {
                if (!loaded.TryGetValue(set.Path, out var predicted))
                    loaded[set.Path] = predicted = Calibration.Predict(catalog, ValidationData.Load(set.Path, "calibration data").Rows, ct);
                return predicted.Where(r => set.Ids.Contains(r.Data.Case.Id) && Calibration.Unusable(r, catalog) is null).Select(r => (set.Path, r));
            })]);
            return (Fit: fit, Sets: sets, Rows: rows);
        }).ToList();

        var outOfGroup = validated.Select(r => r.Prediction).ToArray();
        var folds = new List<CrossValidationFold>();
        foreach (var group in groups.Distinct(StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            var members = Enumerable.Range(0, groups.Length).Where(i => groups[i] == group).ToArray();
            var held = members.Select(i => data.Rows[i].Case.Id).ToHashSet(StringComparer.Ordinal);
            var refit = catalog;
            var changed = new HashSet<string>(StringComparer.Ordinal);
            var values = new List<CalibrationValue>();
            var uncalibrated = new List<string>();
            foreach (var (fit, sets, rows) in fits)
            {
                bool holdsOut = sets.Any(set => set.Path == validatedPath && set.Ids.Overlaps(held));
                var keys = fit.Values.Select(v => v.Accelerator).ToHashSet(StringComparer.Ordinal);
                if (!holdsOut && !keys.Overlaps(changed)) continue;
                var kept = rows.Value.Where(r => !(r.Path == validatedPath && held.Contains(r.Row.Data.Case.Id))).Select(r => r.Row).ToArray();
                var constants = fit.Fit.Select(n => CalibratedConstant.Find(n, "calibration")).ToArray();
                var fitted = Calibration.Fit(refit, kept, constants, fit.By, new List<string>(), ct, fit.Weighting);
                refit = refit.WithRefit(fit, fitted);
                values.AddRange(fitted);
                uncalibrated.AddRange(fit.Values.Where(v => !fitted.Any(f => f.Accelerator == v.Accelerator && f.Framework == v.Framework && f.Constant == v.Constant))
                    .Select(v => $"{v.Accelerator}{(v.Framework is { } fw ? "/" + fw : "")} {v.Constant}"));
                changed.UnionWith(keys);
            }
            // The group's rows predicted again from scratch with the refitted catalog, as validate
            // predicts any row (the range too, with the refitted values' bands); whole-run rows as
            // well: they are not fitted to, but a refitted constant moves them.
            if (changed.Count > 0)
                foreach (int i in members)
                {
                    ct.ThrowIfCancellationRequested();
                    var row = data.Rows[i];
                    outOfGroup[i] = Calibration.RunFor(refit, row.Framework).Predict(row.Case);
                }
            folds.Add(new CrossValidationFold(group, members.Length, values, uncalibrated));
            progress?.Report((folds.Count + 1.0) / steps);
        }
        var malformed = data.Malformed;
        ValidationReport Report(IEnumerable<ValidationRow> rows) => new(data.Name, [.. rows.Concat(malformed).OrderBy(r => r.Line)]);
        var order = validated.Select((r, i) => (r.Prediction.Line, Group: groups[i])).Concat(malformed.Select(m => (m.Line, Group: ""))).OrderBy(x => x.Line);
        return new CrossValidationReport(Report(validated.Select(r => r.Prediction)), Report(outOfGroup), by,
            [.. order.Select(x => x.Group)], folds, notes);
    }

    /// <summary>The data file of a fit: as given (absolute, or from the working directory), else below the validated file's folder or one of its parents.</summary>
    static string? Resolve(string file, string validatedPath)
    {
        if (Path.IsPathRooted(file)) return File.Exists(file) ? Path.GetFullPath(file) : null;
        if (File.Exists(file)) return Path.GetFullPath(file);
        for (var dir = Path.GetDirectoryName(validatedPath); dir is not null; dir = Path.GetDirectoryName(dir))
            if (Path.Combine(dir, file) is var candidate && File.Exists(candidate)) return Path.GetFullPath(candidate);
        return null;
    }
}
