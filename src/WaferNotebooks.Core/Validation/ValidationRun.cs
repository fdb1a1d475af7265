using System.Globalization;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Estimation;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Uncertainty;
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
/// <para>Besides the nominal, each row gets a range: the metric over the plausible values of the
/// knobs it leaves open (<see cref="RangeOf"/>; an open batch over 1M–16M tokens), combined in
/// quadrature with the spread of the system's ranged inputs (<see cref="CatalogSpread"/>: the
/// catalog's sourced ranges and the fitted constants' bands). Nothing is read from the notes
/// column: every input is a column (<see cref="CaseInputs"/>).</para>
/// </summary>
/// <param name="findSystem">Resolves a system id (the catalog's lookup).</param>
/// <param name="estimatorFor">Estimator for systems that are not GPU clusters (default: <see cref="Simulator.EstimatorFor"/>).</param>
/// <param name="software">Overrides the per-row choice of GPU software stack (<see cref="SoftwareFor"/>).</param>
/// <param name="policy">How unpublished layout knobs are chosen.</param>
public sealed class ValidationRun(
    Func<string, SystemSpec> findSystem,
    Func<SystemSpec, IEstimator?>? estimatorFor = null,
    Func<ValidationCase, SystemSpec, GpuSoftware>? software = null,
    LayoutPolicy policy = LayoutPolicy.FrameworkDefaults)
{
    readonly EconomicAssumptions economics = EconomicAssumptions.Default;

    /// <summary>Runs against the built-in catalog.</summary>
    public ValidationRun() : this(SimulatorCatalog.Default.FindSystem) { }

    public ValidationReport RunFile(string path)
    {
        if (!File.Exists(path))
            throw new WaferInputException($"validation data not found: {path} (give a CSV in the schema of data/validation/README.md)");
        return Run(File.ReadAllText(path), Path.GetFileName(path));
    }

    /// <summary>
    /// The most rows one file may hold: each row runs a plan (milliseconds to tens of
    /// milliseconds), so 100,000 rows is already minutes; a larger file is refused up front.
    /// </summary>
    public const int MaxRows = 100_000;

    /// <summary>Parses CSV text in the schema and predicts every row, checking for cancellation between rows.</summary>
    public ValidationReport Run(string csv, string source = "csv", CancellationToken ct = default)
    {
        var (cases, malformed) = Parse(csv, source);
        return new ValidationReport(source, [.. cases.Select(c =>
        {
            ct.ThrowIfCancellationRequested();
            return Predict(c);
        }).Concat(malformed).OrderBy(r => r.Line)]);
    }

    /// <summary>
    /// CSV text in the schema as cases, and a skipped row (with its line) for each malformed
    /// record. A file without the schema's header is a <see cref="WaferInputException"/>.
    /// </summary>
    public static (IReadOnlyList<ValidationCase> Cases, IReadOnlyList<ValidationRow> Malformed) Parse(string csv, string source)
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
        // A misspelt or repeated column would be read as empty, or not at all, and its rows predicted with the default.
        var names = records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).Where(n => n.Length > 0).ToArray();
        if (names.FirstOrDefault(n => !ValidationCase.KnownColumns.Contains(n)) is { } unknown)
            throw new WaferInputException($"{source} line 1: column '{unknown}' is not one validation reads, so its values would be ignored; " +
                Catalog.CloseMatches.DidYouMean(unknown, ValidationCase.KnownColumns) + "known columns: " + string.Join(", ", ValidationCase.KnownColumns));
        if (names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new WaferInputException($"{source} line 1: column '{repeated.Key}' appears {repeated.Count()} times; give each column once");

        if (records.Count - 1 > MaxRows)
            throw new WaferInputException($"{source} has {records.Count - 1:N0} rows; at most {MaxRows:N0} are validated in one run: split the file.");
        if (records.Count == 1)
            throw new WaferInputException($"{source} has a header and no rows: there is nothing to validate (an error of 0.0% would mean nothing).");
        var cases = new List<ValidationCase>();
        var malformed = new List<ValidationRow>();
        foreach (var record in records.Skip(1))
        {
            try
            {
                // A row may stop before trailing optional columns it leaves empty (a column added later need not touch every row).
                int fields = record.Fields.Count, columns = records[0].Fields.Count;
                if (fields > columns || (fields < columns && !records[0].Fields.Skip(fields).All(c => CaseInputs.Columns.Contains(c.Trim()))))
                    throw new FormatException($"has {fields} fields, the header has {columns}");
                cases.Add(ValidationCase.From(record, header));
            }
            catch (FormatException e)
            {
                string id = header.TryGetValue("id", out int i) && i < record.Fields.Count ? record.Fields[i] : "";
                malformed.Add(ValidationRow.Skip(id, record.Line, "", 0, $"line {record.Line}: malformed row: {e.Message}"));
            }
        }
        return (cases, malformed);
    }

    public ValidationReport Run(IEnumerable<ValidationCase> cases, string source) => new(source, cases.Select(Predict).ToArray());

    /// <summary>Predicts one row.</summary>
    public ValidationRow Predict(ValidationCase c)
    {
        ValidationRow Skip(string reason) => ValidationRow.Skip(c.Id, c.Line, c.Metric, c.Value, reason);
        if (MetricValue(c.Metric, null) is null)
            return Skip($"unknown metric '{c.Metric}': {CloseMatches.DidYouMean(c.Metric, Metrics)}known: {string.Join(", ", Metrics)}");
        if (c.Value <= 0) return Skip("measured value is not positive");
        // MFU is a percentage; a training run below 1% is implausible, so such a value is a fraction
        // written in the wrong unit, and one above 100% is not a share of the peak at all.
        if (c.Metric == "mfu_percent" && c.Value < 1)
            return Skip($"mfu_percent {c.Value} looks like a fraction: the column is in percent (write {c.Value * 100:0.##} for {c.Value * 100:0.##}%)");
        if (c.Metric == "mfu_percent" && c.Value > 100)
            return Skip($"mfu_percent {c.Value} is above 100: MFU is a percentage of the peak (45 for 45%)");
        if (c.Contradiction() is { } contradiction) return Skip($"line {c.Line}: contradictory row: {contradiction}");

        SystemSpec system;
        try { system = findSystem(c.SystemId); }
        catch (Exception e) when (e is WaferInputException or KeyNotFoundException)
        {
            return Skip($"system '{c.SystemId}' is not in the catalog: {e.Message}");
        }
        system = WaferRows.ForRow(system, c.Inputs.SoftwareDate);

        if (c.Inputs.PowerCapW is { } cap && system is GpuCluster { Device: var d })
        {
            double idle = d.IdleW.High ?? d.IdleW.Value;
            if (cap > d.TdpW.Value || cap <= idle)
                return Skip($"line {c.Line}: power_cap_w {cap:0} W is outside what the {d.Name} can be capped to (above {idle:0} W idle, at most its {d.TdpW.Value:0} W TDP)");
        }
        system = PowerCapped(c, system);

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
        if (c.Inputs.ActivationOffloadLayers is { } offloaded) notes.Add($"activation_offload = {offloaded} layers per stage: their activations in host memory (offload={offloaded}), copied over the host link");
        if (c.Inputs.PowerCapW is { } capW) notes.Add($"power cap {capW:0} W: the tensor clock and busy power follow it");
        if (c.Inputs.Includes.Count > 0) notes.Add($"the measured figure includes {string.Join(", ", c.Inputs.Includes)}: not modelled");
        if (IsWholeRun(c.Metric) && c.TokensB is null) return Skip($"whole-run metric {c.Metric} needs tokens_b");

        var assumed = OpenKnobs(c);
        // The batch: published in sequences; in tokens (rounded per layout to its dp); or open:
        // the documented default as nominal and 1M–16M tokens as the range.
        int batch = c.GlobalBatchSeqs ?? BatchFromTokens(c) ?? Sequences(JobDefaults.DefaultBatchTokens, c.SeqLen);
        if (c.GlobalBatchSeqs is null && c.Inputs.BatchTokens is null)
            notes.Add($"global batch not published: {batch} sequences ({JobDefaults.DefaultBatchTokens / (1 << 20):0}M tokens, the documented default) as nominal; the range spans {OpenBatchTokens[0] / (1 << 20):0}M to {OpenBatchTokens[^1] / (1 << 20):0}M tokens");
        int devices = c.Devices ?? DevicesFor(batch, system);
        if (c.Devices is null) notes.Add($"devices not published: {devices} chosen (one sequence per device per step, whole nodes)");
        double tokens = (c.TokensB ?? 1) * 1e9;
        var job = new TrainingJob(model, tokens, batch, c.SeqLen, c.Precision);
        if (system.MaxDevices is { } max && devices > max)
            return Skip($"{devices} devices exceed the {max} that the catalog's {system.Id} is built with");

        Estimate? best;
        Range range;
        try
        {
            // A batch not given in sequences is approximate: each layout runs it rounded to its dp.
            IEstimator InnerFor(int seqs) => c.GlobalBatchSeqs is null ? new TokenBatchEstimator(estimator, seqs) : estimator;
            var inner = InnerFor(batch);
            best = Choose(inner, job, system, devices, c, policy);
            if (best is null) return Skip($"no layout consistent with the row's fields can run on {devices} devices of {system.Id}");
            range = RangeOf(inner, job, system, devices, c, best);
            if (c.GlobalBatchSeqs is null && c.Inputs.BatchTokens is null)
                foreach (int end in OpenBatchTokens.Select(t => Sequences(t, c.SeqLen)))
                {
                    // A published micro-batch fixes the smallest batch the run could have used:
                    // one micro-batch on every data-parallel rank. An end of the span below it
                    // moves up to it; a batch no layout of the row can run is no alternative.
                    int seqs = c.MicroBatch is null ? end : RoundUp(end, best.Layout.Dp * best.Layout.MicroBatch);
                    Estimate? alt;
                    try { alt = Choose(InnerFor(seqs), job with { GlobalBatchSeqs = seqs }, system, devices, c, policy); }
                    catch (WaferInputException) { alt = null; }
                    if (alt is { Feasible: true }) range = range.With(MetricValue(c.Metric, alt)!.Value);
                }
        }
        catch (WaferInputException e) { return Skip(e.Message); }
        if (best.Job.GlobalBatchSeqs != batch)
            notes.Add($"the batch of {batch} sequences is rounded to {best.Job.GlobalBatchSeqs}, the nearest multiple of the layout's dp = {best.Layout.Dp}");
        if (!best.Feasible) notes.Add($"the memory model says the chosen layout does not fit ({best.Reason}); predicted anyway");
        notes.Add(system is WaferCluster ? WaferRows.KnobsNote : policy == LayoutPolicy.FrameworkDefaults
            ? $"unpublished layout knobs set as {c.Inputs.ResolvedFramework.Name} defaults them (micro-batch 1, interleaving only when stated, ZeRO-{c.Inputs.ResolvedFramework.PreferredZeroStage}, smallest model-parallel size and least recompute that fit)"
            : "unpublished layout knobs set to the planner's fastest");
        if (assumed.Count > 0) notes.Add($"range over the open knobs ({string.Join(", ", assumed)}): {range.Alternatives} plausible alternatives");

        double predicted = MetricValue(c.Metric, best)!.Value;
        range = range.With(predicted);
        if (system is WaferCluster)
        {
            // The compiler re-chooses the micro-batch for every variant of the wafer's inputs, so the spread re-plans each.
            if (WaferRows.Range(c.Metric, best, system, economics, s => ChooseOrNothing(estimator, job, s, devices, c) ?? best with { Feasible = false }) is { } w)
            {
                range = range.With(w.Low).With(w.High);
                notes.Add(WaferRows.RangeNote(w, c.Metric));
            }
        }
        else if (best.Feasible && CatalogSpread(estimator, best, system, c.Metric) is var (down, up))
            range = range with { Low = Combined(predicted, range.Low, down), High = Combined(predicted, range.High, up) };
        double error = (predicted - c.Value) / c.Value;
        return new ValidationRow(c.Id, c.Line, c.Metric, c.Value, predicted, error, false, null, system.Id, devices, best.Layout.ToString(), notes,
            range.Low, range.High, assumed)
        {
            // The job as the layout ran it (a batch in tokens is rounded to its dp).
            Repredict = changed => MetricValue(c.Metric, estimator.Estimate(best.Job, changed, devices, best.Layout, economics)),
            DoesNotFit = best.Feasible ? null : best.Reason ?? "the memory model gives no reason",
        };
    }

    /// <summary>
    /// The system with the row's published power cap as the device's limit: the clock and busy power
    /// follow it (docs/gpu-model.md §3.6). Calibration re-predicts a row on this system, so a fitted
    /// constant sees the clock the run had.
    /// </summary>
    public static SystemSpec PowerCapped(ValidationCase c, SystemSpec system) =>
        c.Inputs.PowerCapW is { } cap && system is GpuCluster capped
            ? capped with { Device = capped.Device with { PowerLimitW = new Sourced(cap, $"power_cap_w of validation row {c.Id}", Confidence.Measured) } }
            : system;

    /// <summary>Global batches, in tokens, a run that does not publish its batch plausibly used: 1M to 16M (2^20 to 2^24; GPT-3 1.3B and 2.7B used 1M, Brown et al. 2020 Table 2.1; Llama 3 405B 16M).</summary>
    static readonly double[] OpenBatchTokens = [1 << 20, 1 << 24];

    static int Sequences(double tokens, int seqLen) => Math.Max(1, (int)Math.Round(tokens / seqLen));

    static int RoundUp(int value, int unit) => (value + unit - 1) / unit * unit;

    /// <summary>The knobs the row leaves open, by column name.</summary>
    static List<string> OpenKnobs(ValidationCase c)
    {
        var open = new List<string>();
        if (c.GlobalBatchSeqs is null) open.Add(c.Inputs.BatchTokens is null ? "global_batch" : "global_batch (rounded to dp)");
        if (c.Devices is null) open.Add("devices");
        if (c.Tp is null) open.Add("tp");
        if (c.Pp is null) open.Add("pp");
        if (c.Dp is null && (c.Tp is null || c.Pp is null)) open.Add("dp");
        if (c.MicroBatch is null) open.Add("micro_batch");
        if (c.Vpp is null && c.Pp != 1 && c.Inputs.Interleaved != false) open.Add("vpp");
        if (c.ZeroStage is null) open.Add("zero_stage");
        if (c.Recompute is null) open.Add("recompute");
        return open;
    }

    /// <summary>Low and high of the row's metric over the plausible alternatives, and how many there were.</summary>
    readonly record struct Range(double Low, double High, int Alternatives)
    {
        public Range With(double value) => new(Math.Min(Low, value), Math.Max(High, value), Alternatives);
    }

    /// <summary>
    /// Share of the fastest layout's step time within which a layout counts as one a practitioner
    /// would plausibly have run when the row leaves the layout open: the planner's best and its
    /// near ties. Assumed (a few percent: within run-to-run noise of published throughputs).
    /// </summary>
    public const double NearBestShare = 0.05;

    /// <summary>
    /// The metric over the plausible alternatives to the nominal layout, among the layouts the row
    /// allows with its open knobs free: (a) the same tp, pp, cp, ep, ZeRO stage and recompute policy
    /// as the nominal with another micro-batch, interleaving or count of recomputed layers (the
    /// framework's documented alternatives for those knobs), and (b) when the row leaves tp or pp
    /// open, every layout within <see cref="NearBestShare"/> of the fastest step time.
    /// </summary>
    Range RangeOf(IEstimator inner, TrainingJob job, SystemSpec system, int devices, ValidationCase c, Estimate nominal)
    {
        double value = MetricValue(c.Metric, nominal)!.Value;
        var range = new Range(value, value, 0);
        if (!nominal.Feasible) return range;
        if (OpenKnobs(c).Count == 0) return range;
        bool layoutOpen = c.Tp is null || c.Pp is null;
        var n = nominal.Layout;
        bool SameStructure(Layout l) => (l.Tp, l.Pp, l.Cp, l.Ep, l.ZeroStage, l.Recompute) == (n.Tp, n.Pp, n.Cp, n.Ep, n.ZeroStage, n.Recompute);
        // Only an open layout needs every candidate (to find the near-best ones); otherwise only the nominal's structure is estimated.
        var free = new ConstrainedEstimator(inner, candidates =>
            UnpublishedKnobs.Constrain(candidates, c, JobFor(inner, job), devices, LayoutPolicy.Fastest).Where(l => layoutOpen || SameStructure(l)));
        if (!free.CandidateLayouts(job, system, devices).Any()) return range;
        var plan = Planner.Plan(free, job, system, devices, economics, Objective.Time, topK: 1);
        if (plan.Best is null) return range;
        double fastest = plan.Best.StepTimeS;
        var jobFor = JobFor(inner, job);
        // A micro-batch so large that a pipeline gets fewer micro-batches than stages (the bubble,
        // (p − 1)/m of the step, Narayanan et al. 2021, then exceeds the compute) is not a setting anyone runs.
        bool FillsPipeline(Layout l) => l.Pp == 1 || jobFor(l.Dp).GlobalBatchSeqs / (l.Dp * l.MicroBatch) >= l.Pp;
        var plausible = plan.Points.Where(p => FillsPipeline(p.Layout) && (SameStructure(p.Layout) || (layoutOpen && p.StepTimeS <= fastest * (1 + NearBestShare))));
        int count = 0;
        foreach (var p in plausible)
        {
            if (p.Layout == n) continue;
            range = range.With(MetricValue(c.Metric, free.Estimate(job, system, devices, p.Layout, economics))!.Value);
            count++;
        }
        return range with { Alternatives = count };
    }

    /// <summary>
    /// The factors by which the system's ranged inputs (bandwidths, latencies, efficiencies with a
    /// low/high in the catalog, and the fitted constants with their bands,
    /// <see cref="Catalog.CalibrationValue.Low"/>) move the row's metric at the nominal layout
    /// (<see cref="UncertaintyAnalysis"/>): the inputs are as uncertain as the knobs, so the range
    /// carries both.
    /// </summary>
    (double Down, double Up)? CatalogSpread(IEstimator estimator, Estimate nominal, SystemSpec system, string metric)
    {
        var analysed = UncertaintyAnalysis.Analyze(estimator, nominal, system, economics);
        if (analysed.Ranges is not { } r) return null;
        (MetricRange range, double value) = metric switch
        {
            "iteration_s" => (r.StepTimeS, nominal.StepTimeS),
            "wall_days" or "time_to_train_min" or "device_hours" => (r.TimeToTrainDays, nominal.TimeToTrainDays),
            "energy_mwh" => (r.EnergyMwh, nominal.EnergyMwh),
            _ => (r.TokensPerS, nominal.TokensPerS),
        };
        return value > 0 ? (Math.Min(1, range.Low / value), Math.Max(1, range.High / value)) : null;
    }

    /// <summary>
    /// One side of the range from two independent spreads, the knobs' (the nominal to
    /// <paramref name="knobEnd"/>) and the inputs' (the factor <paramref name="inputFactor"/>):
    /// their log distances from the nominal added in quadrature. What a practitioner chose and how
    /// fast the hardware and the fitted constants turn out are independent, so their extremes
    /// need not coincide (stacking them would make every range wider than its parts justify).
    /// </summary>
    static double Combined(double nominal, double knobEnd, double inputFactor)
    {
        double knob = Math.Log(knobEnd / nominal), input = Math.Log(inputFactor);
        double side = Math.Sqrt(knob * knob + input * input);
        return nominal * Math.Exp(knobEnd < nominal || inputFactor < 1 ? -side : side);
    }

    static Func<int, TrainingJob> JobFor(IEstimator inner, TrainingJob job) =>
        inner is TokenBatchEstimator t ? dp => t.JobFor(job, dp) : _ => job;

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
    /// The software stack: the <c>framework</c> column's profile at the row's <c>software_date</c>
    /// (<see cref="TrainingFramework"/>: DeepSpeed before 2021-10 gathers ZeRO-3 parameters one
    /// tensor at a time), or with no framework named the mainstream stack of that era (today's
    /// when the date is empty too); then the explicit columns override it: <c>attention</c>
    /// (fused/unfused), <c>grad_reduce_dtype</c> (bf16/fp16: gradients accumulated and reduced in
    /// 16 bits, <see cref="GpuSoftware.WithBf16GradientReduction"/>), <c>tp_comm_overlap</c>
    /// (<see cref="GpuSoftware.WithTensorParallelOverlap"/>), <c>fp8_param_gather</c>
    /// (<see cref="GpuSoftware.WithFp8ParamGather"/>), <c>fp8_recipe</c> (<see cref="MoeDispatch.Recipe"/>), <c>cuda_graph_scope</c> (<see cref="MoeDispatch.Graphs"/>) and <c>compiled</c> (1: <c>torch.compile</c>
    /// fuses the elementwise ops an eager stack runs one by one).
    /// </summary>
    public static GpuSoftware SoftwareFor(ValidationCase c, SystemSpec system)
    {
        var inputs = c.Inputs;
        var stack = inputs.ResolvedFramework.SoftwareAt(inputs.SoftwareDate);
        if (inputs.FusedAttention is { } fused) stack = stack with { FusedAttention = fused };
        if (inputs.GradientsInFp32 is { } fp32) stack = stack with { GradientsInFp32 = fp32 };
        if (inputs.Compiled == true) stack = stack.WithEagerKernels(false);
        if (inputs.TpCommOverlap is { } overlap) stack = stack with { TensorParallelOverlap = overlap };
        if (inputs.Fp8ParamGather is { } fp8Gather) stack = stack with { Fp8ParamGather = fp8Gather };
        if (inputs.Fp8Recipe is { } recipe) stack = stack.WithMoeDispatch(stack.MoeDispatch with { Recipe = recipe });
        if (inputs.CudaGraphScope is { } graphs) stack = stack.WithMoeDispatch(stack.MoeDispatch with { Graphs = graphs });
        return stack;
    }

    /// <summary>batch_tokens in whole sequences (nearest).</summary>
    static int? BatchFromTokens(ValidationCase c) =>
        c.Inputs.BatchTokens is { } tokens ? (int)Math.Max(1, Math.Round((double)tokens / c.SeqLen)) : null;

    static int DevicesFor(int batch, SystemSpec system)
    {
        int perNode = system is GpuCluster g ? g.DevicesPerNode : 1;
        int devices = (batch + perNode - 1) / perNode * perNode;
        return system.MaxDevices is { } max ? Math.Min(devices, max) : devices;
    }

    /// <summary>A variant of the system on which no layout runs is left out of a range, not an error.</summary>
    Estimate? ChooseOrNothing(IEstimator estimator, TrainingJob job, SystemSpec system, int devices, ValidationCase c)
    {
        try { return Choose(estimator, job, system, devices, c, policy); }
        catch (WaferInputException) { return null; }
    }

    /// <summary>
    /// The planner, searching only the layouts the row allows. With the framework-default policy
    /// the first feasible layout in the policy's order of preference is taken, otherwise the
    /// fastest; when nothing fits, the layout that came closest (reported as not fitting).
    /// </summary>
    Estimate? Choose(IEstimator estimator, TrainingJob job, SystemSpec system, int devices, ValidationCase c, LayoutPolicy policy)
    {
        var rowPolicy = WaferRows.PolicyFor(system, policy);
        var constrained = new ConstrainedEstimator(estimator,
            candidates => UnpublishedKnobs.Constrain(candidates, c, JobFor(estimator, job), devices, rowPolicy));
        if (!constrained.CandidateLayouts(job, system, devices).Any()) return null;
        var plan = Planner.Plan(constrained, job, system, devices, economics, Objective.Time, topK: 1);
        if (plan.Points.Count == 0)
            // Nothing fits: predict the closest miss, unless no layout could run at all (nothing was computed).
            return plan.NearestMiss is { StepTimeS: > 0 } miss ? miss : throw new WaferInputException(plan.Why ?? "no layout of the row can run");
        return rowPolicy == LayoutPolicy.Fastest ? plan.Best : constrained.Estimate(job, system, devices, plan.Points[0].Layout, economics);
    }
}
