using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Timeline;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Validation.Calibration;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// The machine-readable form of every result: snake_case keys, SI-style units in the key names
/// (_s, _gb, _mwh, _usd, _t), fractions for MFU/HFU/efficiency, and null for a number that
/// could not be computed (an infeasible layout's NaN). The key set is the contract of
/// <c>wafer ... --json</c>; it is written out here rather than derived from the records so that
/// renaming a C# member cannot silently change it.
/// </summary>
public static class ResultJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        // Keep "·", "×", "–" and quotes in reasons readable rather than \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(object result) => ToNode(result).ToJsonString(Options);

    public static JsonNode ToNode(object result) => result switch
    {
        Estimate e => Estimate(e),
        Comparison c => Comparison(c),
        SweepResult s => Sweep(s),
        PlanResult p => Plan(p),
        CatalogListing l => Catalog(l),
        StepTimeline t => Timeline(t),
        ValidationReport v => Validation(v),
        CrossValidationReport cv => CrossValidated(cv),
        CalibrationResult c => Calibrated(c),
        _ => throw new ArgumentException($"No JSON form for {result.GetType().Name}.", nameof(result)),
    };

    public static JsonObject Estimate(Estimate e)
    {
        var o = new JsonObject
        {
            ["model"] = e.ModelId,
            ["system"] = e.SystemId,
            ["device"] = e.DeviceName,
            ["devices"] = e.Devices,
            ["execution_mode"] = e.ExecutionMode,
            ["layout"] = Layout(e.Layout),
            ["job"] = new JsonObject
            {
                ["tokens"] = Number(e.Job.Tokens),
                ["global_batch_seqs"] = e.Job.GlobalBatchSeqs,
                ["seq_len"] = e.Job.SeqLen,
                ["tokens_per_step"] = Number(e.Job.TokensPerStep),
                ["steps"] = Number(e.Job.Steps),
                ["precision"] = e.Job.Precision.ToString().ToLowerInvariant(),
            },
            ["feasible"] = e.Feasible,
            ["reason"] = e.Reason,
            ["bottleneck"] = e.Bottleneck,
            ["step_time_s"] = Number(e.StepTimeS),
            ["breakdown"] = Map(e.Breakdown.Parts.Select(p => (p.Name, p.Seconds))),
            ["tokens_per_s"] = Number(e.TokensPerS),
            ["tokens_per_s_per_device"] = Number(e.TokensPerSPerDevice),
            ["model_tflops_per_device"] = Number(e.ModelTflopsPerDevice),
            ["hardware_tflops_per_device"] = Number(e.HardwareTflopsPerDevice),
            ["mfu"] = Number(e.Mfu),
            ["hfu"] = Number(e.Hfu),
            ["memory_per_device_gb"] = Number(e.Memory.TotalGb),
            ["memory_capacity_gb"] = Number(e.Memory.CapacityGb),
            ["memory_where"] = e.Memory.Where,
            ["memory_breakdown_gb"] = Map(e.Memory.Parts.Select(p => (p.Name, p.Gb))),
            ["time_to_train_days"] = Number(e.TimeToTrainDays),
            ["expected_interruptions"] = e.Goodput is { } g1 ? Number(g1.ExpectedInterruptions) : null,
            ["goodput"] = e.Goodput is { } g2 ? Number(g2.Share) : null,
            ["time_to_train_days_with_downtime"] = e.Goodput is { } g3 ? Number(g3.DaysWithDowntime) : null,
            ["device_hours"] = Number(e.DeviceHours),
            ["average_power_kw"] = Number(e.AveragePowerKw),
            ["energy_mwh"] = Number(e.EnergyMwh),
            ["cost_usd"] = Number(e.CostUsd),
            ["co2_t"] = Number(e.Co2Tonnes),
            ["assumptions"] = Strings(e.Assumptions),
        };
        if (e.Ranges is { } r)
        {
            o["range"] = new JsonObject
            {
                ["step_time_s"] = Range(r.StepTimeS),
                ["time_to_train_days"] = Range(r.TimeToTrainDays),
                ["tokens_per_s"] = Range(r.TokensPerS),
                ["energy_mwh"] = Range(r.EnergyMwh),
                ["cost_usd"] = Range(r.CostUsd),
                ["co2_t"] = Range(r.Co2Tonnes),
                ["method"] = r.Method,
            };
            // Apart from the model's range above: how far the user's open choices move the totals.
            if (r.Choices is { } c)
                o["choice_range"] = new JsonObject
                {
                    ["energy_mwh"] = Choice(c.EnergyMwh),
                    ["cost_usd"] = Choice(c.CostUsd),
                    ["co2_t"] = Choice(c.Co2Tonnes),
                };
        }
        if (e.Goodput is { } g)
        {
            o["reliability"] = new JsonObject
            {
                ["job_mtbf_hours"] = Number(g.JobMtbfHours),
                ["mtbf_device_hours"] = Number(g.Inputs.MtbfDeviceHours.Value),
                ["checkpoint_gb"] = Number(g.CheckpointGb),
                ["checkpoint_write_s"] = Number(g.CheckpointWriteS),
                ["checkpoint_interval_s"] = Number(g.CheckpointIntervalS),
                ["checkpoint_gbps_per_device"] = Number(g.Inputs.CheckpointGBpsPerDevice.Value),
                ["restart_min"] = Number(g.Inputs.RestartMinutes.Value),
            };
        }
        if (e.Sensitivities is { Count: > 0 } sensitivities)
        {
            o["sensitivities"] = Array(sensitivities, s => new JsonObject
            {
                ["parameter"] = s.Parameter,
                ["source"] = s.Source,
                ["nominal"] = Number(s.NominalValue),
                ["low"] = Number(s.LowValue),
                ["high"] = Number(s.HighValue),
                ["days_at_low"] = Number(s.DaysAtLow),
                ["days_at_high"] = Number(s.DaysAtHigh),
                ["mwh_at_low"] = Number(s.MwhAtLow),
                ["mwh_at_high"] = Number(s.MwhAtHigh),
            });
        }
        return o;
    }

    public static JsonObject Layout(Layout l) => new()
    {
        ["tp"] = l.Tp,
        ["pp"] = l.Pp,
        ["dp"] = l.Dp,
        ["cp"] = l.Cp,
        ["ep"] = l.Ep,
        ["vpp"] = l.Vpp,
        ["micro_batch"] = l.MicroBatch,
        ["zero_stage"] = l.ZeroStage,
        ["recompute"] = l.Recompute.ToString().ToLowerInvariant(),
        ["sequence_parallel"] = l.SequenceParallel,
        ["recompute_layers"] = l.PartialRecompute ? l.RecomputeLayers : null,
    };

    private static JsonObject Comparison(Comparison c) => new()
    {
        ["model"] = c.Job.Model.Id,
        ["objective"] = Lower(c.Objective),
        ["estimates"] = Array(c.Estimates, Estimate),
        ["best"] = Winner(c.Best(c.Objective)),
        ["fastest"] = Winner(c.Fastest),
        ["least_energy"] = Winner(c.LeastEnergy),
        ["cheapest"] = Winner(c.Cheapest),
        ["least_co2"] = Winner(c.LeastCo2),
    };

    /// <summary>One estimate object per point, with the point's device count, knob value and scaling efficiency.</summary>
    private static JsonObject Sweep(SweepResult s) => new()
    {
        ["model"] = s.Job.Model.Id,
        ["system"] = s.SystemId,
        ["objective"] = Lower(s.Objective),
        ["fixed_layout"] = s.FixedLayout is { } l ? Layout(l) : null,
        ["knob"] = s.Knob is { } k ? Lower(k) : null,
        ["points"] = Array(s.Points, p =>
        {
            var o = Estimate(p.Estimate);
            o["knob_value"] = p.KnobValue is { } v ? Number(v) : null;
            o["scaling_efficiency"] = p.ScalingEfficiency is { } eff ? Number(eff) : null;
            return o;
        }),
        ["skipped"] = Array(s.Skipped, k => new JsonObject
        {
            ["devices"] = k.Devices,
            ["knob_value"] = k.KnobValue is { } v ? Number(v) : null,
            ["reason"] = k.Reason,
        }),
    };

    private static JsonObject Plan(PlanResult p) => new()
    {
        ["model"] = p.Job.Model.Id,
        ["system"] = p.SystemId,
        ["devices"] = p.Devices,
        ["objective"] = Lower(p.Objective),
        ["evaluated"] = p.Evaluated,
        ["feasible"] = p.FeasibleCount,
        ["infeasible"] = p.Infeasible,
        ["why"] = p.Why,
        ["best"] = p.Best is { } b ? Estimate(b) : null,
        ["top"] = Array(p.TopK, Estimate),
        ["pareto_front"] = Array(p.ParetoFront, Estimate),
        ["points"] = Array(p.Points, pt => new JsonObject
        {
            ["layout"] = Layout(pt.Layout),
            ["step_time_s"] = Number(pt.StepTimeS),
            ["time_to_train_days"] = Number(pt.TimeToTrainDays),
            ["energy_mwh"] = Number(pt.EnergyMwh),
            ["cost_usd"] = Number(pt.CostUsd),
            ["tokens_per_s"] = Number(pt.TokensPerS),
            ["mfu"] = Number(pt.Mfu),
            ["memory_per_device_gb"] = Number(pt.MemoryPerDeviceGb),
            ["on_pareto_front"] = pt.OnParetoFront,
        }),
        ["infeasibility_reasons"] = Array(p.InfeasibilityReasons, r => new JsonObject
        {
            ["reason"] = r.Reason,
            ["count"] = r.Count,
            ["example_layout"] = Layout(r.Example),
        }),
        ["nearest_miss"] = p.NearestMiss is { } miss ? Estimate(miss) : null,
    };

    private static JsonObject Catalog(CatalogListing listing)
    {
        var o = new JsonObject();
        foreach (var table in listing.Tables())
        {
            o[table.Title.ToLowerInvariant()] = Array(table.Rows, row =>
            {
                var entry = new JsonObject();
                for (var i = 0; i < table.Columns.Count; i++)
                    entry[table.Columns[i].Key] = Cell(row[i]);
                return entry;
            });
        }
        return o;
    }

    /// <summary>Per row: id, metric, measured, predicted, error (signed relative), the range over the open knobs (low, high, inside, assumed), skipped and reason; then the summary.</summary>
    private static JsonObject Validation(ValidationReport v)
    {
        var summary = v.Summary;
        return new JsonObject
        {
            ["source"] = v.Source,
            ["rows"] = Array(v.Rows, r => new JsonObject
            {
                ["id"] = r.Id,
                ["line"] = r.Line,
                ["metric"] = r.Metric,
                ["measured"] = Number(r.Measured),
                ["predicted"] = r.Predicted is { } p ? Number(p) : null,
                ["error"] = r.Error is { } e ? Number(e) : null,
                ["predicted_low"] = r.PredictedLow is { } lo ? Number(lo) : null,
                ["predicted_high"] = r.PredictedHigh is { } hi ? Number(hi) : null,
                ["inside_range"] = r.InsideRange,
                ["assumed"] = Strings(r.Assumed ?? []),
                ["skipped"] = r.Skipped,
                ["reason"] = r.Reason,
                ["system"] = r.SystemId,
                ["devices"] = r.Devices,
                ["layout"] = r.Layout,
                ["notes"] = Strings(r.Notes ?? []),
            }),
            ["summary"] = Summary(summary),
        };
    }

    /// <summary>The in-sample report, each row with its group and cross-validated prediction and error; both summaries (all rows and throughput rows); the folds' refitted values.</summary>
    private static JsonObject CrossValidated(CrossValidationReport cv)
    {
        var o = Validation(cv.InSample);
        var rows = (JsonArray)o["rows"]!;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = (JsonObject)rows[i]!;
            var outside = cv.OutOfGroup.Rows[i];
            row["group"] = cv.RowGroups[i];
            row["cv_predicted"] = outside.Predicted is { } p ? Number(p) : null;
            row["cv_error"] = outside.Error is { } e ? Number(e) : null;
        }
        o["cv_by"] = cv.By;
        o["cv_summary"] = Summary(cv.OutOfGroup.Summary);
        o["throughput_summary"] = Summary(cv.InSample.Throughput.Summary);
        o["throughput_cv_summary"] = Summary(cv.OutOfGroup.Throughput.Summary);
        o["folds"] = Array(cv.Folds, f => new JsonObject
        {
            ["group"] = f.Group,
            ["rows"] = f.Rows,
            ["refit"] = Array(f.Refit, v => new JsonObject
            {
                ["accelerator"] = v.Accelerator,
                ["framework"] = v.Framework,
                ["constant"] = v.Constant,
                ["value"] = Number(v.Value),
                ["rows"] = v.Rows.Count,
            }),
            ["uncalibrated"] = Strings(f.Uncalibrated),
        });
        o["notes"] = Strings(cv.Notes);
        return o;
    }

    /// <summary>The fit as the overlay records it, the rows not used and why, notes, and the file written.</summary>
    private static JsonObject Calibrated(CalibrationResult c) => new()
    {
        ["fit"] = CalibrationOverlay.ToNode(c.Fit),
        ["unused"] = Array(c.Unused, u => new JsonObject { ["file"] = u.File, ["id"] = u.Id, ["reason"] = u.Reason }),
        ["notes"] = Strings(c.Notes),
        ["written"] = c.Written,
    };

    private static JsonObject Summary(ValidationSummary s) => new()
    {
        ["count"] = s.Count,
        ["skipped"] = s.Skipped,
        ["mean_abs_error"] = Number(s.MeanAbsError),
        ["median_abs_error"] = Number(s.MedianAbsError),
        ["p90_abs_error"] = Number(s.P90AbsError),
        ["max_abs_error"] = Number(s.MaxAbsError),
        ["coverage"] = Number(s.Coverage),
        ["median_relative_width"] = Number(s.MedianRelativeWidth),
        ["max_outside_range"] = Number(s.MaxOutsideRange),
    };

    private static JsonObject Timeline(StepTimeline t) => new()
    {
        ["model"] = t.ModelId,
        ["system"] = t.SystemId,
        ["layout"] = t.Layout,
        ["feasible"] = t.DoesNotFit is null,
        ["reason"] = t.DoesNotFit,
        ["step_time_s"] = Number(t.StepTimeS),
        ["schedule"] = t.Schedule,
        ["lanes"] = Array(t.Lanes, lane => new JsonObject
        {
            ["name"] = lane.Name,
            ["kind"] = lane.Kind,
            ["segments"] = Array(lane.Segments, s => new JsonObject
            {
                ["start_s"] = Number(s.StartS),
                ["duration_s"] = Number(s.DurationS),
                ["label"] = s.Label,
                ["part"] = s.Part,
            }),
        }),
    };

    private static JsonObject? Winner(Estimate? e) => e is null ? null : new JsonObject { ["system"] = e.SystemId, ["devices"] = e.Devices };

    private static JsonObject Range(MetricRange r) => new() { ["low"] = Number(r.Low), ["high"] = Number(r.High) };

    private static JsonObject Choice(ChoiceRange r) => new() { ["low"] = Number(r.Low), ["high"] = Number(r.High), ["inputs"] = Strings(r.Inputs) };

    private static JsonObject Map(IEnumerable<(string Key, double Value)> items)
    {
        var o = new JsonObject();
        foreach (var (key, value) in items)
            o[key] = Number(value);
        return o;
    }

    private static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(s => (JsonNode?)JsonValue.Create(s))]);

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> map) => new([.. items.Select(map)]);

    /// <summary>NaN and infinities have no JSON form: they become null.</summary>
    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static JsonNode? Cell(object? cell) => cell switch
    {
        null => null,
        double d => Number(d),
        int i => JsonValue.Create(i),
        _ => JsonValue.Create(cell.ToString()),
    };

    /// <summary>An enum member in snake_case: GlobalBatch → global_batch.</summary>
    private static string Lower<T>(T value) where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
