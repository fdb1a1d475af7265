using WaferNotebooks.Core.Charting;
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
            var cv = CrossValidation.Run(context.Catalog, data, by, context.Cancellation, context.Progress);
            return new ValidateResult(cv.InSample, cv);
        }
        return new ValidateResult(Calibration.Validate(context.Catalog, data, context.Cancellation), null);
    }

    /// <summary>Notebook code holds the cross-validated report when there is one, else the report.</summary>
    public override TOut Share<TOut>(ValidateResult result, ISharedValueVisitor<TOut> visitor) =>
        result.CrossValidated is { } cv ? visitor.Visit(cv) : visitor.Visit(result.Report);

    public override void VisitSharedTypes(ISharedTypeVisitor visitor)
    {
        visitor.Visit<ValidationReport>(report => Result(new(report, null)));
        visitor.Visit<CrossValidationReport>(cv => Result(new(cv.InSample, cv)));
    }

    /// <summary>The good rows are reported; the malformed ones are input errors, with their line.</summary>
    public override IReadOnlyList<string> InputErrors(ValidateResult result) =>
        [.. result.Report.Rows.Where(r => r.Skipped && r.Reason is { } reason && reason.Contains("malformed row", StringComparison.Ordinal))
            .Select(r => $"{result.Report.Source} {r.Reason}")];

    public override IReadOnlyList<ChartFigure> Figures(ValidateResult result, IChartRenderer charts) =>
        charts.Validation(result.CrossValidated is { } cv ? cv.OutOfGroup with { Source = cv.OutOfGroup.Source + ", cross-validated" } : result.Report);

    public override ResultView View(ValidateResult result) => result.CrossValidated is { } cv ? CrossValidatedView(cv) : ReportView(result.Report);

    /// <summary>A row's typed values: what the table shows and the record writes under <c>rows</c>.</summary>
    private sealed record RowValues(ValidationRow Row, ViewRecord Record)
    {
        public ViewNumber Measured => Record.Number("measured");

        public ViewNumber? Predicted => Record["predicted"] as ViewNumber;

        public ViewNumber? Error => Record["error"] as ViewNumber;
    }

    /// <summary>Per row: id, metric, measured, predicted, error (signed relative), the range over the open knobs (low, high, inside, assumed), skipped and reason.</summary>
    private static List<RowValues> Rows(ValidationReport v) => [.. v.Rows.Select(r => new RowValues(r, new ViewRecord
    {
        ["id"] = r.Id,
        ["line"] = r.Line,
        ["metric"] = r.Metric,
        ["measured"] = new ViewNumber(r.Measured, ViewUnit.Plain),
        ["predicted"] = ViewNumber.Of(r.Predicted, ViewUnit.Plain),
        ["error"] = ViewNumber.Of(r.Error, ViewUnit.RelativeError),
        ["predicted_low"] = ViewNumber.Of(r.PredictedLow, ViewUnit.Plain),
        ["predicted_high"] = ViewNumber.Of(r.PredictedHigh, ViewUnit.Plain),
        ["inside_range"] = ViewValue.Of(r.InsideRange),
        ["assumed"] = ViewValue.Strings(r.Assumed ?? []),
        ["skipped"] = r.Skipped,
        ["reason"] = r.Reason,
        ["system"] = r.SystemId,
        ["devices"] = r.Devices,
        ["layout"] = r.Layout,
        ["notes"] = ViewValue.Strings(r.Notes ?? []),
        ["does_not_fit"] = r.DoesNotFit,
    }))];

    private static ResultView ReportView(ValidationReport v)
    {
        var rows = Rows(v);
        var table = new ViewTableBuilder(Text("id"), Text("metric"), Text("system"), Number("measured"), Number("predicted"), Number("low"), Number("high"),
            Text("inside"), Number("error"), Number("devices"), Text("layout"), Text("open knobs"), Text("fits"));
        foreach (var values in rows.Where(x => !x.Row.Skipped))
        {
            var r = values.Row;
            table.Add(r.Id, r.Metric, r.SystemId, values.Measured, values.Predicted, values.Record["predicted_low"], values.Record["predicted_high"],
                r.InsideRange switch { true => "yes", false => $"no ({Percent(r.OutsideRange!.Value)} out)", null => null },
                values.Error, Count(r.Devices), Compact(r.Layout), r.Assumed is { Count: > 0 } open ? string.Join(",", open) : "-", Fits(r));
        }
        var (all, throughput) = (Summary(v.Summary), Summary(v.Throughput.Summary));
        return new ResultView($"Validation: {v.Source}", Count(v.Rows.Count, "row"))
        {
            Record = new()
            {
                ["source"] = v.Source,
                ["rows"] = ViewArray.Of(rows, r => r.Record),
                ["summary"] = all.Record,
            },
            Tables = [table.Build()],
            Notes = [new("all rows", all.Text), new("throughput rows", throughput.Text)],
            Lists = [.. DoesNotFit(v), .. Skipped(v)],
        };
    }

    /// <summary>The in-sample rows, each with its group and cross-validated prediction and error; both summaries (all rows and throughput rows); the folds' refitted values.</summary>
    private static ResultView CrossValidatedView(CrossValidationReport cv)
    {
        var rows = Rows(cv.InSample);
        for (var i = 0; i < rows.Count; i++)
        {
            var outside = cv.OutOfGroup.Rows[i];
            rows[i].Record["group"] = cv.RowGroups[i];
            rows[i].Record["cv_predicted"] = ViewNumber.Of(outside.Predicted, ViewUnit.Plain);
            rows[i].Record["cv_error"] = ViewNumber.Of(outside.Error, ViewUnit.RelativeError);
        }
        var table = new ViewTableBuilder(Text("id"), Text("group"), Text("metric"), Number("measured"), Number("in-sample"), Number("error"), Number("cross-validated"), Number("error"), Text("fits"));
        for (var i = 0; i < rows.Count; i++)
        {
            var (r, values) = (rows[i].Row, rows[i]);
            if (r.Skipped) continue;
            table.Add(r.Id, cv.RowGroups[i], r.Metric, values.Measured, values.Predicted, values.Error, values.Record["cv_predicted"], values.Record["cv_error"], Fits(r));
        }
        var folds = cv.Folds.Select(f => $"{f.Group} ({f.Rows} rows): " + (f.Refit.Count + f.Uncalibrated.Count == 0
            ? "no calibration used these rows; predictions as in-sample"
            : string.Join("; ", f.Refit.Select(v => $"{v.Accelerator}{(v.Framework is { } fw ? "/" + fw : "")} {v.Constant} {Constant(v.Value)} ({v.Rows.Count} rows)")
                .Concat(f.Uncalibrated.Select(u => $"{u} uncalibrated (no rows left)")))));
        var (all, allCv) = (Summary(cv.InSample.Summary), Summary(cv.OutOfGroup.Summary));
        var (throughput, throughputCv) = (Summary(cv.InSample.Throughput.Summary), Summary(cv.OutOfGroup.Throughput.Summary));
        return new ResultView($"Cross-validation: {cv.InSample.Source}, leaving out one {cv.By} at a time",
            $"{Count(cv.InSample.Rows.Count, "row")}, cross-validated leaving out one {cv.By} at a time")
        {
            Record = new()
            {
                ["source"] = cv.InSample.Source,
                ["rows"] = ViewArray.Of(rows, r => r.Record),
                ["summary"] = all.Record,
                ["cv_by"] = cv.By,
                ["cv_summary"] = allCv.Record,
                ["throughput_summary"] = throughput.Record,
                ["throughput_cv_summary"] = throughputCv.Record,
                ["folds"] = ViewArray.Of(cv.Folds, f => new ViewRecord
                {
                    ["group"] = f.Group,
                    ["rows"] = f.Rows,
                    ["refit"] = ViewArray.Of(f.Refit, v => new ViewRecord
                    {
                        ["accelerator"] = v.Accelerator,
                        ["framework"] = v.Framework,
                        ["constant"] = v.Constant,
                        ["value"] = new ViewNumber(v.Value, ViewUnit.Constant),
                        ["low"] = ViewNumber.Of(v.Low, ViewUnit.Constant),
                        ["high"] = ViewNumber.Of(v.High, ViewUnit.Constant),
                        ["rows"] = v.Rows.Count,
                    }),
                    ["uncalibrated"] = ViewValue.Strings(f.Uncalibrated),
                }),
                ["notes"] = ViewValue.Strings(cv.Notes),
            },
            Tables = [table.Build()],
            Notes =
            [
                .. cv.Notes.Select(n => new ViewNote("note", n)),
                new("all rows, in-sample", all.Text), new("all rows, cross-validated", allCv.Text),
                new("throughput rows, in-sample", throughput.Text), new("throughput rows, cross-validated", throughputCv.Text),
            ],
            Lists = [new("refitted without each group", [.. folds]), .. DoesNotFit(cv.InSample), .. Skipped(cv.InSample)],
        };
    }

    /// <summary>"no" for a row predicted at a layout the memory model says does not fit.</summary>
    private static string Fits(ValidationRow r) => r.DoesNotFit is null ? "yes" : "no";

    /// <summary>The rows predicted although their layout does not fit, each with the memory model's reason.</summary>
    private static ViewList[] DoesNotFit(ValidationReport v) => v.Rows.Where(r => r.DoesNotFit is not null).ToList() is { Count: > 0 } rows
        ? [new("predicted although the layout does not fit", [.. rows.Select(r => $"{r.Id}: {r.DoesNotFit}")])]
        : [];

    private static ViewList[] Skipped(ValidationReport v) => v.Rows.Where(r => r.Skipped).ToList() is { Count: > 0 } skipped
        ? [new("skipped", [.. skipped.Select(r => $"{(r.Id.Length > 0 ? r.Id : $"line {r.Line}")}: {r.Reason}")])]
        : [];

    /// <summary>
    /// A summary's typed values and the sentence that shows them. Without a predicted row there is
    /// no error, and without a predicted range no coverage: those figures are null (none), not 0,
    /// which would read as a perfect fit.
    /// </summary>
    private static (ViewRecord Record, string Text) Summary(ValidationSummary s)
    {
        bool predicted = s.Predicted > 0, ranged = s.Ranged > 0;
        ViewNumber? Fraction(double value, bool known) => known ? new ViewNumber(value, ViewUnit.Fraction) : null;
        var record = new ViewRecord
        {
            ["count"] = s.Count,
            ["skipped"] = s.Skipped,
            ["mean_abs_error"] = Fraction(s.MeanAbsError, predicted),
            ["median_abs_error"] = Fraction(s.MedianAbsError, predicted),
            ["p90_abs_error"] = Fraction(s.P90AbsError, predicted),
            ["max_abs_error"] = Fraction(s.MaxAbsError, predicted),
            ["coverage"] = Fraction(s.Coverage, ranged),
            ["median_relative_width"] = Fraction(s.MedianRelativeWidth, ranged),
            ["max_outside_range"] = Fraction(s.MaxOutsideRange, ranged),
            ["does_not_fit"] = s.DoesNotFit,
        };
        ViewNumber N(string key) => record.Number(key);
        string counts = $"{s.Count - s.Skipped} predicted, {s.Skipped} skipped; ";
        if (!predicted) return (record, counts + "no row was predicted, so there is no error to summarise");
        return (record, ViewPhrase.Of(
            $"{counts}|error| mean {N("mean_abs_error")}, median {N("median_abs_error")}, p90 {N("p90_abs_error")}, max {N("max_abs_error")}; ").ToString()
            + (ranged
                ? ViewPhrase.Of($"coverage {N("coverage")} inside their range, median range width {N("median_relative_width")}, farthest outside {N("max_outside_range")}").ToString()
                : "no row has a predicted range, so there is no coverage")
            + (s.DoesNotFit > 0 ? $"; {s.DoesNotFit} predicted although the memory model says their layout does not fit" : ""));
    }
}
