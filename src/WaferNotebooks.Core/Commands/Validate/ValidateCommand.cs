using WaferNotebooks.Core.Charting;
using System.Text.Json.Nodes;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Validation.Calibration;
using static WaferNotebooks.Core.Commands.CommandGrammar;
using static WaferNotebooks.Core.Commands.ValueText;
using static WaferNotebooks.Core.Commands.ViewTableBuilder;

namespace WaferNotebooks.Core.Commands;

/// <summary>What validate returns: the in-sample report, and with --cv the cross-validated one beside it.</summary>
public sealed record ValidateResult(ValidationReport Report, CrossValidationReport? CrossValidated);

/// <summary><c>validate</c>: predict every row of a file of published runs and report the errors; with --cv, leave one group out.</summary>
public sealed class ValidateCommand : Subcommand<ValidateRequest, ValidateResult>
{
    public static ValidateCommand Instance { get; } = new();

    public override SubcommandSpec Spec { get; } = new("validate",
        "Predict each row of a CSV of published training runs and report the errors; with --cv, also the errors with the calibrated constants refitted without each row's group.",
        "validate --data data/validation/runs.csv --cv paper",
        [Data, CrossValidate, .. SharedOptions]);

    public override ValidateRequest Parse(RequestArgs a) =>
        new(ValueParsers.ExistingFile(Data.Name, a.Required(Data)), a.Choice(CrossValidate));

    /// <summary>
    /// Predicts every row of the file (a CSV in the schema, or a vTrain table), with the fitted
    /// values of each row's framework; with --cv, also leave-one-group-out. A file that cannot be
    /// read or lacks the schema's header is bad input; malformed rows are reported as skipped.
    /// </summary>
    public override ValidateResult Run(ValidateRequest r, RunContext context)
    {
        var data = ValidationData.Load(r.DataPath, Data.Name);
        if (r.CrossValidateBy is { } by)
        {
            var cv = CrossValidation.Run(context.Catalog, data, by, context.Cancellation);
            return new ValidateResult(cv.InSample, cv);
        }
        return new ValidateResult(Calibration.Validate(context.Catalog, data, context.Cancellation), null);
    }

    public override object Shared(ValidateResult result) => (object?)result.CrossValidated ?? result.Report;

    public override IReadOnlyList<Type> SharedTypes => [typeof(ValidationReport), typeof(CrossValidationReport)];

    public override ValidateResult FromShared(object shared) =>
        shared is CrossValidationReport cv ? new(cv.InSample, cv) : new((ValidationReport)shared, null);

    /// <summary>The good rows are reported; the malformed ones are input errors, with their line.</summary>
    public override IReadOnlyList<string> InputErrors(ValidateResult result) =>
        [.. result.Report.Rows.Where(r => r.Skipped && r.Reason is { } reason && reason.Contains("malformed row", StringComparison.Ordinal))
            .Select(r => $"{result.Report.Source} {r.Reason}")];

    public override IReadOnlyList<string> Charts(ValidateResult result, IChartRenderer charts, bool offline) =>
        [charts.ValidationParity(result.CrossValidated is { } cv ? cv.OutOfGroup with { Source = cv.OutOfGroup.Source + ", cross-validated" } : result.Report, offline)];

    public override ResultView View(ValidateResult result) => result.CrossValidated is { } cv ? CrossValidatedView(cv) : ReportView(result.Report);

    private static ResultView ReportView(ValidationReport v)
    {
        var table = new ViewTableBuilder(Text("id"), Text("metric"), Text("system"), Number("measured"), Number("predicted"), Number("low"), Number("high"),
            Text("inside"), Number("error"), Number("devices"), Text("layout"), Text("open knobs"));
        foreach (var r in v.Rows.Where(r => !r.Skipped))
            table.Add(r.Id, r.Metric, r.SystemId, Num(r.Measured), r.Predicted is { } p ? Num(p) : null,
                r.PredictedLow is { } lo ? Num(lo) : null, r.PredictedHigh is { } hi ? Num(hi) : null,
                r.InsideRange switch { true => "yes", false => $"no ({Percent(r.OutsideRange!.Value)} out)", null => null },
                Signed(r.Error), Count(r.Devices), Compact(r.Layout), r.Assumed is { Count: > 0 } open ? string.Join(",", open) : "-");
        return new ResultView($"Validation: {v.Source}", $"{v.Rows.Count} rows")
        {
            Tables = [table.Build()],
            Notes = [new("all rows", SummaryText(v.Summary)), new("throughput rows", SummaryText(v.Throughput.Summary))],
            Lists = Skipped(v),
        };
    }

    private static ResultView CrossValidatedView(CrossValidationReport cv)
    {
        var table = new ViewTableBuilder(Text("id"), Text("group"), Text("metric"), Number("measured"), Number("in-sample"), Number("error"), Number("cross-validated"), Number("error"));
        for (var i = 0; i < cv.InSample.Rows.Count; i++)
        {
            var (r, x) = (cv.InSample.Rows[i], cv.OutOfGroup.Rows[i]);
            if (r.Skipped) continue;
            table.Add(r.Id, cv.RowGroups[i], r.Metric, Num(r.Measured), r.Predicted is { } p ? Num(p) : null, Signed(r.Error),
                x.Predicted is { } q ? Num(q) : null, Signed(x.Error));
        }
        var folds = cv.Folds.Select(f => $"{f.Group} ({f.Rows} rows): " + (f.Refit.Count + f.Uncalibrated.Count == 0
            ? "no calibration used these rows; predictions as in-sample"
            : string.Join("; ", f.Refit.Select(v => $"{v.Accelerator}{(v.Framework is { } fw ? "/" + fw : "")} {v.Constant} {Constant(v.Value)} ({v.Rows.Count} rows)")
                .Concat(f.Uncalibrated.Select(u => $"{u} uncalibrated (no rows left)")))));
        var summaries = new[] { ("all rows", cv.InSample, cv.OutOfGroup), ("throughput rows", cv.InSample.Throughput, cv.OutOfGroup.Throughput) }
            .SelectMany(s => new[] { new ViewNote($"{s.Item1}, in-sample", SummaryText(s.Item2.Summary)), new ViewNote($"{s.Item1}, cross-validated", SummaryText(s.Item3.Summary)) });
        return new ResultView($"Cross-validation: {cv.InSample.Source}, leaving out one {cv.By} at a time",
            $"{cv.InSample.Rows.Count} rows, cross-validated leaving out one {cv.By} at a time")
        {
            Tables = [table.Build()],
            Notes = [.. cv.Notes.Select(n => new ViewNote("note", n)), .. summaries],
            Lists = [new("refitted without each group", [.. folds]), .. Skipped(cv.InSample)],
        };
    }

    private static ViewList[] Skipped(ValidationReport v) => v.Rows.Where(r => r.Skipped).ToList() is { Count: > 0 } skipped
        ? [new("skipped", [.. skipped.Select(r => $"{(r.Id.Length > 0 ? r.Id : $"line {r.Line}")}: {r.Reason}")])]
        : [];

    private static string SummaryText(ValidationSummary s) =>
        $"{s.Count - s.Skipped} predicted, {s.Skipped} skipped; |error| mean {Percent(s.MeanAbsError)}, median {Percent(s.MedianAbsError)}, p90 {Percent(s.P90AbsError)}, max {Percent(s.MaxAbsError)}; " +
        $"coverage {Percent(s.Coverage)} inside their range, median range width {Percent(s.MedianRelativeWidth)}, farthest outside {Percent(s.MaxOutsideRange)}";

    public override JsonNode Json(ValidateResult result) => result.CrossValidated is { } cv ? CrossValidated(cv) : Report(result.Report);

    /// <summary>Per row: id, metric, measured, predicted, error (signed relative), the range over the open knobs (low, high, inside, assumed), skipped and reason; then the summary.</summary>
    private static JsonObject Report(ValidationReport v) => new()
    {
        ["source"] = v.Source,
        ["rows"] = ResultJson.Array(v.Rows, r => new JsonObject
        {
            ["id"] = r.Id,
            ["line"] = r.Line,
            ["metric"] = r.Metric,
            ["measured"] = ResultJson.Number(r.Measured),
            ["predicted"] = r.Predicted is { } p ? ResultJson.Number(p) : null,
            ["error"] = r.Error is { } e ? ResultJson.Number(e) : null,
            ["predicted_low"] = r.PredictedLow is { } lo ? ResultJson.Number(lo) : null,
            ["predicted_high"] = r.PredictedHigh is { } hi ? ResultJson.Number(hi) : null,
            ["inside_range"] = r.InsideRange,
            ["assumed"] = ResultJson.Strings(r.Assumed ?? []),
            ["skipped"] = r.Skipped,
            ["reason"] = r.Reason,
            ["system"] = r.SystemId,
            ["devices"] = r.Devices,
            ["layout"] = r.Layout,
            ["notes"] = ResultJson.Strings(r.Notes ?? []),
        }),
        ["summary"] = Summary(v.Summary),
    };

    /// <summary>The in-sample report, each row with its group and cross-validated prediction and error; both summaries (all rows and throughput rows); the folds' refitted values.</summary>
    private static JsonObject CrossValidated(CrossValidationReport cv)
    {
        var o = Report(cv.InSample);
        var rows = (JsonArray)o["rows"]!;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = (JsonObject)rows[i]!;
            var outside = cv.OutOfGroup.Rows[i];
            row["group"] = cv.RowGroups[i];
            row["cv_predicted"] = outside.Predicted is { } p ? ResultJson.Number(p) : null;
            row["cv_error"] = outside.Error is { } e ? ResultJson.Number(e) : null;
        }
        o["cv_by"] = cv.By;
        o["cv_summary"] = Summary(cv.OutOfGroup.Summary);
        o["throughput_summary"] = Summary(cv.InSample.Throughput.Summary);
        o["throughput_cv_summary"] = Summary(cv.OutOfGroup.Throughput.Summary);
        o["folds"] = ResultJson.Array(cv.Folds, f => new JsonObject
        {
            ["group"] = f.Group,
            ["rows"] = f.Rows,
            ["refit"] = ResultJson.Array(f.Refit, v => new JsonObject
            {
                ["accelerator"] = v.Accelerator,
                ["framework"] = v.Framework,
                ["constant"] = v.Constant,
                ["value"] = ResultJson.Number(v.Value),
                ["low"] = v.Low is { } lo ? ResultJson.Number(lo) : null,
                ["high"] = v.High is { } hi ? ResultJson.Number(hi) : null,
                ["rows"] = v.Rows.Count,
            }),
            ["uncalibrated"] = ResultJson.Strings(f.Uncalibrated),
        });
        o["notes"] = ResultJson.Strings(cv.Notes);
        return o;
    }

    private static JsonObject Summary(ValidationSummary s) => new()
    {
        ["count"] = s.Count,
        ["skipped"] = s.Skipped,
        ["mean_abs_error"] = ResultJson.Number(s.MeanAbsError),
        ["median_abs_error"] = ResultJson.Number(s.MedianAbsError),
        ["p90_abs_error"] = ResultJson.Number(s.P90AbsError),
        ["max_abs_error"] = ResultJson.Number(s.MaxAbsError),
        ["coverage"] = ResultJson.Number(s.Coverage),
        ["median_relative_width"] = ResultJson.Number(s.MedianRelativeWidth),
        ["max_outside_range"] = ResultJson.Number(s.MaxOutsideRange),
    };
}
