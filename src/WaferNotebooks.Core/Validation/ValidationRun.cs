using System.Globalization;
using System.Text.RegularExpressions;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Validation;

/// <summary>
/// Runs published measurements through the simulator. Reads any CSV in the schema of
/// data/validation/README.md, maps each row to a job, a system and a layout, predicts the
/// row's metric in its unit and reports the signed relative error. Rows that cannot be
/// simulated are reported as skipped with the reason (malformed rows with their line number).
/// <para>Layouts go through the one planner (<see cref="Planner"/>), restricted to what the row
/// publishes; the knobs it leaves empty are chosen by the <see cref="LayoutPolicy"/>: by default
/// as the framework would (<see cref="UnpublishedKnobs"/>), or the planner's fastest. Rows
/// without a device count (whole-run rows only) run on as many devices as the global batch has
/// sequences, rounded up to whole nodes: one sequence per device per step, the scale of the
/// published large runs.</para>
/// </summary>
/// <param name="findSystem">Resolves a system id (the catalog's lookup).</param>
/// <param name="estimatorFor">Estimator for systems that are not GPU clusters (default: <see cref="Simulator.EstimatorFor"/>).</param>
/// <param name="software">Overrides the per-row choice of GPU software stack (<see cref="SoftwareFor"/>).</param>
/// <param name="policy">How unpublished layout knobs are chosen.</param>
public sealed partial class ValidationRun(
    Func<string, SystemSpec> findSystem,
    Func<SystemSpec, IEstimator?>? estimatorFor = null,
    Func<ValidationCase, SystemSpec, GpuSoftware>? software = null,
    LayoutPolicy policy = LayoutPolicy.FrameworkDefaults)
{
    readonly EconomicAssumptions economics = EconomicAssumptions.Default;

    /// <summary>Runs against the built-in catalog.</summary>
    public ValidationRun() : this(SimulatorCatalog.Default.FindSystem) { }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*M\s+tokens", RegexOptions.IgnoreCase)]
    private static partial Regex BatchTokens();

    [GeneratedRegex(@"deepspeed|gpt-neox", RegexOptions.IgnoreCase)]
    private static partial Regex DeepSpeedText();

    [GeneratedRegex(@"flash|xformers|fused attention|memory-efficient attention", RegexOptions.IgnoreCase)]
    private static partial Regex FusedAttentionText();

    [GeneratedRegex(@"gradients reduced in bf16|grad_reduce_in_fp32 (?:=\s*)?false", RegexOptions.IgnoreCase)]
    private static partial Regex Bf16GradientsText();

    public ValidationReport RunFile(string path)
    {
        if (!File.Exists(path))
            throw new WaferInputException($"validation data not found: {path} (give a CSV in the schema of data/validation/README.md)");
        return Run(File.ReadAllText(path), Path.GetFileName(path));
    }

    /// <summary>Parses CSV text in the schema and predicts every row.</summary>
    /// <summary>
    /// The most rows one file may hold: each row runs a plan (milliseconds to tens of
    /// milliseconds), so 100,000 rows is already minutes; a larger file is refused up front.
    /// </summary>
    public const int MaxRows = 100_000;

    public ValidationReport Run(string csv, string source = "csv", CancellationToken ct = default)
    {
        IReadOnlyList<CsvRecord> records;
        try { records = CsvReader.Parse(csv); }
        catch (FormatException e) { throw new WaferInputException($"{source}: {e.Message}"); }
        if (records.Count == 0) throw new WaferInputException($"{source} is empty: expected the header line " + string.Join(',', ValidationCase.Columns));
        var header = records[0].Fields.Select((name, i) => (name: name.Trim().ToLowerInvariant(), i))
            .GroupBy(x => x.name).ToDictionary(g => g.Key, g => g.First().i);
        var missing = new[] { "id", "layers", "hidden", "heads", "seq_len", "system", "metric", "value" }.Where(c => !header.ContainsKey(c)).ToArray();
        if (missing.Length > 0)
            throw new WaferInputException($"{source} line 1: the header lacks column(s) {string.Join(", ", missing)}; expected " + string.Join(',', ValidationCase.Columns));

        if (records.Count - 1 > MaxRows)
            throw new WaferInputException($"{source} has {records.Count - 1:N0} rows; at most {MaxRows:N0} are validated in one run: split the file.");
        var rows = new List<ValidationRow>();
        foreach (var record in records.Skip(1))
        {
            ct.ThrowIfCancellationRequested();
            ValidationCase c;
            try
            {
                if (record.Fields.Count != records[0].Fields.Count)
                    throw new FormatException($"has {record.Fields.Count} fields, the header has {records[0].Fields.Count}");
                c = ValidationCase.From(record, header);
            }
            catch (FormatException e)
            {
                string id = header.TryGetValue("id", out int i) && i < record.Fields.Count ? record.Fields[i] : "";
                rows.Add(ValidationRow.Skip(id, record.Line, "", 0, $"line {record.Line}: malformed row: {e.Message}"));
                continue;
            }
            rows.Add(Predict(c));
        }
        if (rows.Count == 0)
            throw new WaferInputException($"{source} has a header and no rows: there is nothing to validate (an error of 0.0% would mean nothing).");
        return new ValidationReport(source, rows);
    }

    public ValidationReport Run(IEnumerable<ValidationCase> cases, string source) => new(source, cases.Select(Predict).ToArray());

    /// <summary>Predicts one row.</summary>
    public ValidationRow Predict(ValidationCase c)
    {
        ValidationRow Skip(string reason) => ValidationRow.Skip(c.Id, c.Line, c.Metric, c.Value, reason);
        if (MetricValue(c.Metric, null) is null)
            return Skip($"unknown metric '{c.Metric}' (known: {string.Join(", ", Metrics)})");
        if (c.Value <= 0) return Skip("measured value is not positive");

        SystemSpec system;
        try { system = findSystem(c.SystemId); }
        catch (Exception e) when (e is WaferInputException or KeyNotFoundException)
        {
            return Skip($"system '{c.SystemId}' is not in the catalog: {e.Message}");
        }

        var stack = (software ?? SoftwareFor)(c, system);
        IEstimator? estimator;
        try { estimator = system is GpuCluster ? new GpuEstimator(stack) : (estimatorFor ?? Simulator.EstimatorFor)(system); }
        catch (WaferInputException e) { return Skip(e.Message); }
        if (estimator is null || !estimator.Supports(system))
            return Skip($"no estimator for system '{system.Id}'");

        var model = CaseModel.Build(c);
        // A shape no model can have (heads that do not divide hidden, more active experts than
        // experts) is a malformed row, refused on its own line rather than predicted.
        if (ModelShape.Problem(model, requireDivisibleHeads: model.HeadDim == c.Hidden / c.Heads) is { } shape)
            return Skip($"line {c.Line}: malformed row: impossible shape: {shape}");
        var notes = new List<string>();
        if (system is GpuCluster) notes.Add(stack.Describe());
        int? batch = c.GlobalBatchSeqs ?? BatchFromNotes(c);
        if (batch is null) return Skip("global batch not given in sequences and no 'N M tokens' batch in the notes");
        if (IsWholeRun(c.Metric) && c.TokensB is null) return Skip($"whole-run metric {c.Metric} needs tokens_b");
        int devices = c.Devices ?? DevicesFor(batch.Value, system);
        if (c.Devices is null) notes.Add($"devices not published: {devices} chosen (one sequence per device per step, whole nodes)");
        if (c.GlobalBatchSeqs is null && batch.Value % devices != 0)
        {
            // A batch quoted in tokens ("2M tokens") is approximate; the run's real batch is a
            // multiple of its data-parallel size. The nearest multiple of the device count is a
            // multiple of every data-parallel size a layout of these devices can have.
            int rounded = Math.Max(devices, (int)Math.Round((double)batch.Value / devices) * devices);
            notes.Add($"batch from the notes ({batch.Value} sequences) rounded to {rounded}, the nearest multiple of the {devices} devices, so every data-parallel size divides it");
            batch = rounded;
        }
        double tokens = (c.TokensB ?? 1) * 1e9;
        var job = new TrainingJob(model, tokens, batch.Value, c.SeqLen, c.Precision);

        Estimate? best;
        try { best = Choose(estimator, job, system, devices, c); }
        catch (WaferInputException e) { return Skip(e.Message); }
        if (best is null) return Skip($"no layout consistent with the row's fields can run on {devices} devices of {system.Id}");
        if (!best.Feasible) notes.Add($"the memory model says the chosen layout does not fit ({best.Reason}); predicted anyway");
        notes.Add(policy == LayoutPolicy.FrameworkDefaults
            ? "unpublished layout knobs set as the framework defaults them (micro-batch 1, no interleaving unless stated, ZeRO-1, smallest model-parallel size and least recompute that fit)"
            : "unpublished layout knobs set to the planner's fastest");

        double predicted = MetricValue(c.Metric, best)!.Value;
        double error = (predicted - c.Value) / c.Value;
        return new ValidationRow(c.Id, c.Line, c.Metric, c.Value, predicted, error, false, null, system.Id, devices, best.Layout.ToString(), notes);
    }

    public static readonly string[] Metrics =
        ["hfu_tflops_per_device", "mfu_percent", "tokens_per_s_per_device", "iteration_s", "wall_days", "device_hours", "energy_mwh", "time_to_train_min"];

    static bool IsWholeRun(string metric) => metric is "wall_days" or "device_hours" or "energy_mwh" or "time_to_train_min";

    /// <summary>The estimate's value in the metric's unit; null for an unknown metric. With a null estimate, only checks the name.</summary>
    static double? MetricValue(string metric, Estimate? e) => metric switch
    {
        "hfu_tflops_per_device" => e?.HardwareTflopsPerDevice ?? 0,
        "mfu_percent" => (e?.Mfu ?? 0) * 100,
        "tokens_per_s_per_device" => e?.TokensPerSPerDevice ?? 0,
        "iteration_s" => e?.StepTimeS ?? 0,
        "wall_days" => e?.TimeToTrainDays ?? 0,
        "device_hours" => e?.DeviceHours ?? 0,
        "energy_mwh" => e?.EnergyMwh ?? 0,
        "time_to_train_min" => (e?.TimeToTrainDays ?? 0) * 24 * 60,
        _ => null,
    };

    /// <summary>
    /// The software stack is not a column. Attention: notes naming FlashAttention or xformers
    /// mean fused; otherwise fused on accelerators with FP8 units (H100 generation and later,
    /// whose published runs all postdate FlashAttention, 2022), materialised scores and no
    /// gradient bucketing on older ones, whose published runs used 2021–2022 Megatron-LM-era
    /// stacks. Framework: a row whose notes, source or model name say DeepSpeed or GPT-NeoX
    /// (built on DeepSpeed) ran DeepSpeed's pipeline engine (<see cref="GpuSoftware.WithDeepSpeedPipeline"/>).
    /// Gradients: fp32 accumulation and reduction (Megatron-LM with bf16) unless the notes say
    /// they were reduced in bf16 (<see cref="GpuSoftware.WithBf16GradientReduction"/>).
    /// </summary>
    public static GpuSoftware SoftwareFor(ValidationCase c, SystemSpec system)
    {
        var attention = FusedAttentionText().IsMatch(c.Notes) || system is GpuCluster { Device.PeakTflopsFp8: not null }
            ? GpuSoftware.Modern : GpuSoftware.Megatron2021;
        var stack = DeepSpeedText().IsMatch($"{c.Notes} {c.Source} {c.ModelName}") ? attention.WithDeepSpeedPipeline() : attention;
        return Bf16GradientsText().IsMatch(c.Notes) ? stack.WithBf16GradientReduction() : stack;
    }

    /// <summary>"4M tokens" in the notes: batch sizes in tokens are binary millions (4M = 2²²), as the papers use them.</summary>
    static int? BatchFromNotes(ValidationCase c)
    {
        var m = BatchTokens().Match(c.Notes);
        if (!m.Success) return null;
        double millions = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return (int)Math.Round(millions * (1 << 20) / c.SeqLen);
    }

    static int DevicesFor(int batch, SystemSpec system)
    {
        int perNode = system is GpuCluster g ? g.DevicesPerNode : 1;
        int devices = (batch + perNode - 1) / perNode * perNode;
        return system.MaxDevices is { } max ? Math.Min(devices, max) : devices;
    }

    /// <summary>
    /// The planner, searching only the layouts the row allows. With the framework-default policy
    /// the first feasible layout in the policy's order of preference is taken, otherwise the
    /// fastest; when nothing fits, the layout that came closest (reported as not fitting).
    /// </summary>
    Estimate? Choose(IEstimator estimator, TrainingJob job, SystemSpec system, int devices, ValidationCase c)
    {
        var constrained = new ConstrainedEstimator(estimator,
            candidates => UnpublishedKnobs.Constrain(candidates, c, job, devices, policy));
        if (system.MaxDevices is { } max && devices > max)
            throw new WaferInputException($"{devices} devices exceed the {max} that the catalog's {system.Id} is built with");
        if (!constrained.CandidateLayouts(job, system, devices).Any()) return null;
        var plan = Planner.Plan(constrained, job, system, devices, economics, Objective.Time, topK: 1);
        if (plan.Points.Count == 0)
            // Nothing fits: predict the closest miss, unless no layout could run at all (nothing was computed).
            return plan.NearestMiss is { StepTimeS: > 0 } miss ? miss : throw new WaferInputException(plan.Why ?? "no layout of the row can run");
        return policy == LayoutPolicy.Fastest ? plan.Best : estimator.Estimate(job, system, devices, plan.Points[0].Layout, economics);
    }
}
