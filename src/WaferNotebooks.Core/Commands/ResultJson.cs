using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// The machine-readable form of results: snake_case keys, SI-style units in the key names
/// (_s, _gb, _mwh, _usd, _t), fractions for MFU/HFU/efficiency, and null for a number that does
/// not exist (a job that does not fit has no time, throughput, energy or cost, never zeros). Each
/// subcommand's unit writes its own result's keys (<see cref="Subcommand{TRequest, TResult}.Json"/>)
/// from the pieces here; the key set is the contract of <c>wafer ... --json</c>, written out
/// rather than derived from the records so that renaming a C# member cannot silently change it.
/// </summary>
public static class ResultJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        // Keep "·", "×", "–" and quotes in reasons readable rather than \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(CommandResult result) => result.ToJson().ToJsonString(Options);

    /// <summary>
    /// One estimate. A job that does not fit keeps its job, layout, memory and reason, names the
    /// part of memory that overflows with the hints for it, and has null for every figure of a run
    /// that cannot happen (step time, throughput, MFU, time, energy, cost, CO2).
    /// </summary>
    public static JsonObject Estimate(Estimate e)
    {
        var fits = e.Feasible;
        JsonNode? Run(double value) => fits ? Number(value) : null;
        var overflow = e.Memory is { Parts.Count: > 0, Fits: false } m ? MemoryHints.Largest(m) : null;
        var o = new JsonObject
        {
            ["model"] = e.ModelId,
            ["system"] = e.SystemId,
            ["device"] = e.DeviceName,
            ["devices"] = e.Devices,
            ["execution_mode"] = e.ExecutionMode.Id,
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
            ["step_time_s"] = Run(e.StepTimeS),
            ["breakdown"] = fits ? Map(e.Breakdown.Parts.Select(p => (p.Name, p.Seconds))) : null,
            ["tokens_per_s"] = Run(e.TokensPerS),
            ["tokens_per_s_per_device"] = Run(e.TokensPerSPerDevice),
            ["model_tflops_per_device"] = Run(e.ModelTflopsPerDevice),
            ["hardware_tflops_per_device"] = Run(e.HardwareTflopsPerDevice),
            ["mfu"] = Run(e.Mfu),
            ["hfu"] = Run(e.Hfu),
            ["memory_per_device_gb"] = Number(e.Memory.TotalGb),
            ["memory_capacity_gb"] = Number(e.Memory.CapacityGb),
            ["memory_where"] = e.Memory.Where,
            ["memory_breakdown_gb"] = Map(e.Memory.Parts.Select(p => (p.Name, p.Gb))),
            ["time_to_train_days"] = Run(e.TimeToTrainDays),
            ["expected_interruptions"] = fits && e.Goodput is { } g1 ? Number(g1.ExpectedInterruptions) : null,
            ["goodput"] = fits && e.Goodput is { } g2 ? Number(g2.Share) : null,
            ["time_to_train_days_with_downtime"] = fits && e.Goodput is { } g3 ? Number(g3.DaysWithDowntime) : null,
            ["evaluation_days"] = fits && e.Goodput is { } g4 ? Number(g4.EvaluationDays) : null,
            ["device_hours"] = Run(e.DeviceHours),
            ["average_power_kw"] = Run(e.AveragePowerKw),
            ["energy_mwh"] = Run(e.EnergyMwh),
            ["cost_usd"] = Run(e.CostUsd),
            ["co2_t"] = Run(e.Co2Tonnes),
            ["assumptions"] = Strings(e.Assumptions),
        };
        if (!fits)
        {
            o["overflowing_part"] = overflow?.Name;
            o["hints"] = overflow is null ? null : Strings(MemoryHints.For(overflow.Name, e.Layout));
        }
        if (fits && e.Ranges is { } r)
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
        if (fits && e.Goodput is { } g)
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
        if (fits && e.Sensitivities is { Count: > 0 } sensitivities)
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

    private static JsonObject Range(MetricRange r) => new() { ["low"] = Number(r.Low), ["high"] = Number(r.High) };

    private static JsonObject Choice(ChoiceRange r) => new() { ["low"] = Number(r.Low), ["high"] = Number(r.High), ["inputs"] = Strings(r.Inputs) };

    private static JsonObject Map(IEnumerable<(string Key, double Value)> items)
    {
        var o = new JsonObject();
        foreach (var (key, value) in items)
            o[key] = Number(value);
        return o;
    }

    public static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(s => (JsonNode?)JsonValue.Create(s))]);

    public static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> map) => new([.. items.Select(map)]);

    /// <summary>NaN and infinities have no JSON form: they become null.</summary>
    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    /// <summary>An enum member in snake_case: GlobalBatch → global_batch.</summary>
    public static string Lower<T>(T value) where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
