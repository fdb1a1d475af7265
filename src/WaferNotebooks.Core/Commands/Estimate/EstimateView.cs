using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using static WaferNotebooks.Core.Commands.ValueText;
using static WaferNotebooks.Core.Commands.ViewTableBuilder;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// The view of one estimate, which estimate shows and compare, sweep and plan nest (each of
/// their estimates is this view inside theirs, so a system in a comparison reads and writes as
/// the same job estimated alone). Its record is the estimate's <c>--json</c>; a job that does not
/// fit keeps its job, layout, memory and reason, names the overflowing part with its hints, and has
/// NaN (null in JSON) for every figure of a run that cannot happen.
/// </summary>
public static class EstimateView
{
    public static string Title(Estimate e) => $"{e.ModelId} on {Count(e.Devices)} × {e.SystemId} ({e.DeviceName}), {e.ExecutionMode}";

    /// <summary>The model on the system with its layout, and the job.</summary>
    public static string Subtitle(Estimate e) =>
        $"{e.ModelId} on {e.SystemId} with layout {e.Layout}; " +
        $"{Scaled(e.Job.Tokens)} tokens, batch {Count(e.Job.GlobalBatchSeqs)} × {Count(e.Job.SeqLen)} = {Scaled(e.Job.TokensPerStep)} tokens, " +
        $"{e.Job.Precision.ToString().ToLowerInvariant()}, {Scaled(e.Job.Steps)} steps";

    /// <summary>The view of an estimate: headline facts with ranges, the step, memory and sensitivity tables, or only why it does not fit.</summary>
    public static ResultView For(Estimate e, string? reason = null)
    {
        var fits = e.Feasible;
        var (r, g) = (fits ? e.Ranges : null, fits ? e.Goodput : null);
        ViewNumber Run(double value, ViewUnit unit, MetricRange? range = null, ChoiceRange? choices = null) =>
            new(fits ? value : double.NaN, unit, range, choices);
        var dnf = fits ? null : DoesNotFit(e, reason);
        var stepTime = Run(e.StepTimeS, ViewUnit.Seconds, r?.StepTimeS);
        var breakdown = e.Breakdown.Parts.Select(p => (p.Name, Number: Run(p.Seconds, ViewUnit.Seconds), p.Description, Share: p.Seconds / e.StepTimeS)).ToList();
        var memory = e.Memory.Parts.Select(p => (p.Name, Number: new ViewNumber(p.Gb, ViewUnit.Gigabytes), p.Description)).ToList();
        var tokensPerS = Run(e.TokensPerS, ViewUnit.TokensPerSecond, r?.TokensPerS);
        var perDevice = Run(e.TokensPerSPerDevice, ViewUnit.TokensPerSecondPerDevice);
        var modelTflops = Run(e.ModelTflopsPerDevice, ViewUnit.TflopsPerSecond);
        var hardwareTflops = Run(e.HardwareTflopsPerDevice, ViewUnit.TflopsPerSecond);
        var (mfu, hfu) = (Run(e.Mfu, ViewUnit.Fraction), Run(e.Hfu, ViewUnit.Fraction));
        var (memoryGb, capacityGb) = (new ViewNumber(e.Memory.TotalGb, ViewUnit.Gigabytes), new ViewNumber(e.Memory.CapacityGb, ViewUnit.Gigabytes));
        var days = Run(e.TimeToTrainDays, ViewUnit.Days, r?.TimeToTrainDays);
        var interruptions = new ViewNumber(g?.ExpectedInterruptions ?? double.NaN, ViewUnit.Plain);
        var goodput = new ViewNumber(g?.Share ?? double.NaN, ViewUnit.Fraction);
        var daysWithDowntime = new ViewNumber(g?.DaysWithDowntime ?? double.NaN, ViewUnit.Days);
        var evaluationDays = new ViewNumber(g?.EvaluationDays ?? double.NaN, ViewUnit.Days);
        var deviceHours = Run(e.DeviceHours, ViewUnit.DeviceHours);
        var power = Run(e.AveragePowerKw, ViewUnit.Kilowatts);
        var energy = Run(e.EnergyMwh, ViewUnit.MegawattHours, r?.EnergyMwh, r?.Choices?.EnergyMwh);
        var cost = Run(e.CostUsd, ViewUnit.Usd, r?.CostUsd, r?.Choices?.CostUsd);
        var co2 = Run(e.Co2Tonnes, ViewUnit.Tonnes, r?.Co2Tonnes, r?.Choices?.Co2Tonnes);

        var record = new ViewRecord
        {
            ["model"] = e.ModelId,
            ["system"] = e.SystemId,
            ["device"] = e.DeviceName,
            ["devices"] = e.Devices,
            ["execution_mode"] = e.ExecutionMode.Id,
            ["layout"] = Layout(e.Layout),
            ["job"] = new ViewRecord
            {
                ["tokens"] = new ViewNumber(e.Job.Tokens, ViewUnit.Tokens),
                ["global_batch_seqs"] = e.Job.GlobalBatchSeqs,
                ["seq_len"] = e.Job.SeqLen,
                ["tokens_per_step"] = new ViewNumber(e.Job.TokensPerStep, ViewUnit.Tokens),
                ["steps"] = new ViewNumber(e.Job.Steps, ViewUnit.Tokens),
                ["precision"] = e.Job.Precision.ToString().ToLowerInvariant(),
            },
            ["feasible"] = fits,
            ["reason"] = e.Reason,
            ["bottleneck"] = fits ? e.Bottleneck : null,
            ["step_time_s"] = stepTime,
            ["breakdown"] = fits ? ViewRecord.Map(breakdown.Select(p => (p.Name, p.Number))) : null,
            ["tokens_per_s"] = tokensPerS,
            ["tokens_per_s_per_device"] = perDevice,
            ["model_tflops_per_device"] = modelTflops,
            ["hardware_tflops_per_device"] = hardwareTflops,
            ["mfu"] = mfu,
            ["hfu"] = hfu,
            ["memory_per_device_gb"] = memoryGb,
            ["memory_capacity_gb"] = capacityGb,
            ["memory_where"] = e.Memory.Where,
            ["memory_breakdown_gb"] = ViewRecord.Map(memory.Select(p => (p.Name, p.Number))),
            ["time_to_train_days"] = days,
            ["expected_interruptions"] = interruptions,
            ["goodput"] = goodput,
            ["time_to_train_days_with_downtime"] = daysWithDowntime,
            ["evaluation_days"] = evaluationDays,
            ["device_hours"] = deviceHours,
            ["average_power_kw"] = power,
            ["energy_mwh"] = energy,
            ["cost_usd"] = cost,
            ["co2_t"] = co2,
            ["assumptions"] = ViewValue.Strings(e.Assumptions),
            // Also the last assumptions; apart, so a program finds what the user's options did not do.
            ["input_notes"] = ViewValue.Strings(e.InputNotes),
        };
        if (dnf is not null)
        {
            record["overflowing_part"] = dnf.OverflowingPart;
            record["hints"] = dnf.OverflowingPart is null ? null : ViewValue.Strings(dnf.Hints ?? []);
            return new ResultView($"{Title(e)}: does not fit", Subtitle(e))
            {
                DoesNotFit = dnf,
                Record = record,
                Tables = e.Memory is { Parts.Count: > 0, Fits: false } ? [MemoryTable(memory)] : [],
                Notes = [.. ViewNote.Warnings(e.InputNotes)],
            };
        }
        if (g is not null)
            record["reliability"] = new ViewRecord
            {
                ["job_mtbf_hours"] = new ViewNumber(g.JobMtbfHours, ViewUnit.Hours),
                ["mtbf_device_hours"] = new ViewNumber(g.Inputs.MtbfDeviceHours.Value, ViewUnit.DeviceHours),
                ["checkpoint_gb"] = new ViewNumber(g.CheckpointGb, ViewUnit.Gigabytes),
                ["checkpoint_write_s"] = new ViewNumber(g.CheckpointWriteS, ViewUnit.Seconds),
                ["checkpoint_interval_s"] = new ViewNumber(g.CheckpointIntervalS, ViewUnit.Seconds),
                ["checkpoint_gbps_per_device"] = new ViewNumber(g.Inputs.CheckpointGBpsPerDevice.Value, ViewUnit.GigabytesPerSecond),
                ["restart_min"] = new ViewNumber(g.Inputs.RestartMinutes.Value, ViewUnit.Plain),
            };

        var step = new ViewTableBuilder(Text("step part"), Number("time"), Number("share"), Text("what"));
        foreach (var p in breakdown)
            step.Add(p.Name, p.Number, new ViewNumber(e.StepTimeS > 0 ? p.Share : double.NaN, ViewUnit.Fraction), p.Description);
        var tables = new List<ViewTable> { step.Build(), MemoryTable(memory) };
        if (e.Sensitivities is { Count: > 0 } sensitivities)
        {
            var table = new ViewTableBuilder(Text("uncertain input", "parameter"), Text("source", "source") with { Shown = false },
                Number("low", "low"), Number("nominal", "nominal"), Number("high", "high"), Number("days at low", "days_at_low"), Number("days at high", "days_at_high"),
                Number("MWh at low", "mwh_at_low"), Number("MWh at high", "mwh_at_high")) { Key = "sensitivities" };
            foreach (var s in sensitivities.OrderByDescending(s => s.Swing))
                table.Add(s.Parameter, s.Source, Plain(s.LowValue), Plain(s.NominalValue), Plain(s.HighValue),
                    new ViewNumber(s.DaysAtLow, ViewUnit.Days), new ViewNumber(s.DaysAtHigh, ViewUnit.Days),
                    new ViewNumber(s.MwhAtLow, ViewUnit.MegawattHours), new ViewNumber(s.MwhAtHigh, ViewUnit.MegawattHours));
            tables.Add(table.Build());
        }
        return new ResultView(Title(e), Subtitle(e))
        {
            Record = record,
            RangeMethod = r?.Method,
            Facts =
            [
                new("time to train", ViewPhrase.Of($"{days} days"), "without interruptions"),
                g is null ? new("with downtime", "not modelled", "no failure rate for this system")
                    : g.Share > 0 ? new("with downtime", ViewPhrase.Of($"{daysWithDowntime} days"), ViewPhrase.Of($"goodput {goodput}, {interruptions} interruptions expected, {evaluationDays} days of evaluation"))
                    : new("with downtime", "never finishes", "interruptions come faster than checkpoints save work"),
                new("throughput", ViewPhrase.Of($"{tokensPerS} tokens/s"), ViewPhrase.Of($"{perDevice} per device")),
                new("MFU / HFU", ViewPhrase.Of($"{mfu} / {hfu}")),
                new("step time", stepTime),
                new("TFLOP/s per device", ViewPhrase.Of($"{modelTflops} model"), ViewPhrase.Of($"{hardwareTflops} hardware")),
                new("memory per device", ViewPhrase.Of($"{memoryGb} GB"), ViewPhrase.Of($"of {capacityGb} GB {e.Memory.Where}")),
                new("energy", ViewPhrase.Of($"{energy} MWh"), ViewPhrase.Of($"{power} kW average")),
                new("cost", cost, ViewPhrase.Of($"{deviceHours} device-hours")),
                new("CO2", ViewPhrase.Of($"{co2} t")),
            ],
            Tables = tables,
            Notes = [new("Bottleneck", e.Bottleneck), .. ViewNote.Warnings(e.InputNotes)],
            // The input notes close the assumptions (and the JSON's); the card and the text show them once, as notes.
            Lists = [new("assumptions", [.. e.Assumptions.SkipLast(e.InputNotes.Count), .. r is null ? Array.Empty<string>() : [$"ranges: {r.Method}"]])],
        };
    }

    private static ViewNumber Plain(double value) => new(value, ViewUnit.Plain);

    /// <summary>
    /// Why an estimate does not fit: the reason and, when memory overflows, by how much, the
    /// largest part and what shrinks that part (<see cref="MemoryHints"/>).
    /// </summary>
    public static DoesNotFitView DoesNotFit(Estimate e, string? reason = null)
    {
        var why = reason ?? e.Reason ?? "the layout does not fit";
        if (e.Memory is not { Parts.Count: > 0 } m || m.Fits)
            return new DoesNotFitView(why);
        var largest = MemoryHints.Largest(m);
        var needs = $"needs {Num(m.TotalGb)} GB per device of {Num(m.CapacityGb)} GB {m.Where}";
        var part = $"largest part: {largest.Name} {Num(largest.Gb)} GB ({largest.Description})";
        // The GPU model's reason already names the largest part and its hints, which the state
        // gives on lines of their own: say it once.
        return why == StepModel.MemoryAdvice(m, e.Layout)
            ? new DoesNotFitView(needs, part, MemoryHints.For(largest.Name, e.Layout)) { OverflowingPart = largest.Name }
            : new DoesNotFitView(why, $"{needs}; {part}", MemoryHints.For(largest.Name, e.Layout)) { OverflowingPart = largest.Name };
    }

    private static ViewTable MemoryTable(IEnumerable<(string Name, ViewNumber Gb, string Description)> parts)
    {
        var table = new ViewTableBuilder(Text("memory part"), Number("GB"), Text("what"));
        foreach (var (name, gb, description) in parts)
            table.Add(name, gb, description);
        return table.Build();
    }

    /// <summary>A layout as JSON writes it, with <c>recompute_layers</c> only for partial recompute and the
    /// uneven-stage, sharding and offload keys only when the layout sets them.</summary>
    public static ViewRecord Layout(Layout l) => new()
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
        ["recompute_layers"] = ViewValue.Of(l.PartialRecompute ? l.RecomputeLayers : null),
        ["first_stage_layers"] = ViewValue.Of(l.FirstStageLayers > 0 ? l.FirstStageLayers : null),
        ["last_stage_layers"] = ViewValue.Of(l.LastStageLayers > 0 ? l.LastStageLayers : null),
        ["shard_group"] = ViewValue.Of(l.ShardGroup > 0 ? l.ShardGroup : null),
        ["hpz_group"] = ViewValue.Of(l.SecondaryShard > 0 ? l.SecondaryShard : null),
        ["offload_layers"] = ViewValue.Of(l.OffloadLayers > 0 ? l.OffloadLayers : null),
    };
}
