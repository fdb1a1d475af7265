using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Validation.Calibration;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// Turns raw option values (option name → the strings given for it, as both front ends collect
/// them) into a typed, checked <see cref="CommandRequest"/>. Every problem is a
/// <see cref="WaferInputException"/> that names the option and says what would be right.
/// Names may be given with or without their leading dashes; a flag is on when present with no
/// value or with "true".
/// </summary>
/// <param name="catalog">The catalog ids are looked up in, before user files.</param>
/// <param name="environmentCatalogs">
/// Catalog files applied under every --catalog, as <see cref="UserCatalogs.EnvironmentVariable"/> lists them; null for none.
/// </param>
public sealed class RequestParser(SimulatorCatalog catalog, string? environmentCatalogs = null)
{
    /// <summary>
    /// The built-in catalog and the files in <see cref="UserCatalogs.EnvironmentVariable"/>, read
    /// on each call so that a notebook session may set the variable at any time.
    /// </summary>
    public static RequestParser Default => new(SimulatorCatalog.Default, Environment.GetEnvironmentVariable(UserCatalogs.EnvironmentVariable));

    public SimulatorCatalog Catalog => catalog;

    /// <summary>
    /// Parses one subcommand. The request carries the catalog its ids were found in (the base
    /// catalog with any user files), so the executor lists and validates against the same one.
    /// </summary>
    public CommandRequest Parse(string subcommand, IReadOnlyDictionary<string, IReadOnlyList<string>> values)
    {
        var spec = CommandGrammar.Find(subcommand);
        var args = new Args(spec, values);
        var extended = UserCatalogs.Apply(catalog, environmentCatalogs, args.Many(CommandGrammar.UserCatalog));
        // --framework also picks the constants fitted for that framework (wafer calibrate --by
        // accelerator+framework), as validation applies them to a row of that framework.
        if (spec.Options.Contains(CommandGrammar.Framework) && args.One(CommandGrammar.Framework) is { } framework)
            extended = extended.ForFramework(ValueParsers.ParseFramework(CommandGrammar.Framework.Name, framework).Framework.Name);
        var request = new RequestParser(extended).ParseRequest(spec, args);
        return request with { Output = ParseOutput(args), Catalog = extended };
    }

    private CommandRequest ParseRequest(SubcommandSpec spec, Args args) =>
        spec.Name switch
        {
            "estimate" => ParseEstimate(args),
            "compare" => ParseCompare(args),
            "sweep" => ParseSweep(args),
            "plan" => ParsePlan(args),
            "catalog" => ParseCatalog(args),
            "validate" => ParseValidate(args),
            "calibrate" => ParseCalibrate(args),
            "timeline" => ParseTimeline(args),
            _ => throw new InvalidOperationException($"The grammar has a subcommand '{spec.Name}' the parser does not know."),
        };

    private EstimateRequest ParseEstimate(Args a)
    {
        var job = ParseJob(a);
        var (target, layout) = ParseTargetAndLayout(a, job);
        return new EstimateRequest(job, target, layout, ParseEconomics(a), ParseObjective(a));
    }

    private TimelineRequest ParseTimeline(Args a)
    {
        var job = ParseJob(a);
        var (target, layout) = ParseTargetAndLayout(a, job);
        return new TimelineRequest(job, target, layout, ParseEconomics(a), ParseObjective(a));
    }

    private CompareRequest ParseCompare(Args a)
    {
        var job = ParseJob(a);
        var layout = ParseLayoutSpec(a);
        var targets = a.All(CommandGrammar.OnRepeated)
            .Select(text => ParseTarget(text, layout))
            .Select(t => new ComparisonTarget(WithRelease(WithPowerCap(t.System, a, gpuClassOnly: true), a, wafersOnly: true), t.Devices, layout?.Resolve(t.Devices, job, t.System)))
            .ToList();
        if (a.One(CommandGrammar.PowerCap) is { } cap && targets.All(t => t.System is not GpuCluster))
            throw new WaferInputException($"{CommandGrammar.PowerCap.Name} {cap}: none of the compared systems is GPU-class; wafer-scale systems have no user power limit");
        if (a.One(CommandGrammar.Release) is { } release && targets.All(t => t.System is not WaferCluster))
            throw new WaferInputException($"{CommandGrammar.Release.Name} {release}: none of the compared systems is wafer-scale; GPU-class systems take {CommandGrammar.Framework.Name}");
        return new CompareRequest(job, targets, ParseEconomics(a), ParseObjective(a));
    }

    /// <summary>
    /// Counts come from --counts, or (with --vary) from the count in --on; a fixed --layout keeps
    /// its tp, pp and cp and lets dp grow, so it must leave dp out.
    /// </summary>
    private SweepRequest ParseSweep(Args a)
    {
        var job = ParseJob(a);
        var on = a.Required(CommandGrammar.On);
        var (id, devices) = ValueParsers.ParseSystemTarget(CommandGrammar.On.Name, on);
        var knob = a.One(CommandGrammar.Vary) is { } vary ? ValueParsers.ParseKnob(CommandGrammar.Vary.Name, vary, job.SeqLen) : null;
        IReadOnlyList<int> counts = (a.One(CommandGrammar.Counts), devices, knob) switch
        {
            ({ } text, null, _) => ValueParsers.ParseCounts(CommandGrammar.Counts.Name, text),
            (null, { } n, not null) => [n],
            ({ }, { }, _) => throw new WaferInputException($"{CommandGrammar.On.Name} {on}: sweep takes its device counts from --counts; write --on {id}"),
            _ => throw new WaferInputException($"sweep needs {CommandGrammar.Counts.Name} {CommandGrammar.Counts.HelpName}; for example: {CommandGrammar.Sweep.Example}"),
        };
        var layoutSpec = ParseLayoutSpec(a);
        if (layoutSpec?.Dp is not null)
            throw new WaferInputException($"{CommandGrammar.Layout.Name}: sweep grows dp with the device count; leave dp out");
        var system = WithRelease(WithPowerCap(catalog.FindSystem(id), a), a);
        // The layout is checked at the first count; a later count it cannot use is a skipped point of the sweep.
        var layout = layoutSpec?.Resolve(counts[0], job, system);
        return new SweepRequest(job, system, counts, layout, knob, ParseEconomics(a), ParseObjective(a));
    }

    private PlanRequest ParsePlan(Args a)
    {
        var job = ParseJob(a);
        var target = ParseTarget(a.Required(CommandGrammar.On), null);
        target = target with { System = WithRelease(WithPowerCap(target.System, a), a) };
        var top = a.One(CommandGrammar.Top) is { } t ? ValueParsers.ParsePositiveInt(CommandGrammar.Top.Name, t) : DefaultTop;
        return new PlanRequest(job, target, ParseEconomics(a), ParseObjective(a), top);
    }

    private static CatalogRequest ParseCatalog(Args a)
    {
        var kind = CommandGrammar.Kind;
        return a.One(kind) is { } text
            ? new CatalogRequest([Enum.Parse<CatalogKind>(ValueParsers.ParseChoice(kind.Name, text, kind.AllowedValues!), true)])
            : new CatalogRequest(Enum.GetValues<CatalogKind>());
    }

    private static ValidateRequest ParseValidate(Args a) =>
        new(ValueParsers.ExistingFile(CommandGrammar.Data.Name, a.Required(CommandGrammar.Data)),
            a.One(CommandGrammar.CrossValidate) is { } cv ? ValueParsers.ParseChoice(CommandGrammar.CrossValidate.Name, cv, CommandGrammar.CrossValidate.AllowedValues!) : null);

    /// <summary>The files, constants, grouping and row patterns; the command line is rebuilt from them for the overlay's record.</summary>
    private static CalibrateRequest ParseCalibrate(Args a)
    {
        // Kept as given (not made absolute), so the overlay records a path another machine can follow.
        var data = a.All(CommandGrammar.DataRepeated).ToList();
        foreach (var path in data) ValueParsers.ExistingFile(CommandGrammar.Data.Name, path);
        var fit = List(a.Required(CommandGrammar.Fit)).Select(n => CalibratedConstant.Find(n, CommandGrammar.Fit.Name)).Distinct().ToList();
        var by = a.One(CommandGrammar.By) is { } b ? ValueParsers.ParseChoice(CommandGrammar.By.Name, b, CommandGrammar.By.AllowedValues!) : CalibrationFit.ByAccelerator;
        var weight = a.One(CommandGrammar.Weight) is { } w ? ValueParsers.ParseChoice(CommandGrammar.Weight.Name, w, CommandGrammar.Weight.AllowedValues!) : CalibrationFit.WeightRows;
        var rows = a.One(CommandGrammar.Rows) is { } r ? List(r) : [];
        if (a.One(CommandGrammar.Rows) is not null && rows.Count == 0)
            throw new WaferInputException($"{CommandGrammar.Rows.Name} is empty; give row ids or patterns, e.g. megatron21-*,korthikanti22-*");
        var output = a.One(CommandGrammar.Out) is { } o ? (o.Trim().Length > 0 ? o.Trim() : throw new WaferInputException($"{CommandGrammar.Out.Name} is empty; give a JSON file to write")) : null;
        var command = string.Join(' ', new[] { CommandGrammar.RootName, CommandGrammar.Calibrate.Name }
            .Concat(data.SelectMany(d => new[] { CommandGrammar.Data.Name, d.Replace('\\', '/') }))
            .Concat(rows.Count > 0 ? [CommandGrammar.Rows.Name, string.Join(',', rows)] : [])
            .Concat([CommandGrammar.Fit.Name, string.Join(',', fit.Select(f => f.Name)), CommandGrammar.By.Name, by])
            .Concat(weight != CalibrationFit.WeightRows ? [CommandGrammar.Weight.Name, weight] : [])
            .Concat(output is not null ? [CommandGrammar.Out.Name, output.Replace('\\', '/')] : []));
        return new CalibrateRequest(data, fit, by, rows, output, command, weight);
    }

    private static List<string> List(string text) => [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>How many layouts plan lists unless --top says otherwise.</summary>
    public const int DefaultTop = 5;

    /// <summary>
    /// The job: the model, and --seq, --batch, --tokens, --precision and --framework or their defaults
    /// (<see cref="JobDefaults"/>).
    /// </summary>
    private TrainingJob ParseJob(Args a)
    {
        var model = catalog.FindModel(a.Required(CommandGrammar.Model));
        var seq = a.One(CommandGrammar.Seq) is { } s ? ValueParsers.ParsePositiveInt(CommandGrammar.Seq.Name, s, kibi: true) : JobDefaults.SeqLen(model);
        if (seq > ModelShape.MaxSeqLen)
            throw new WaferInputException($"{CommandGrammar.Seq.Name} {seq:N0}: the simulator takes sequences of at most {ModelShape.MaxSeqLen:N0} tokens");
        var batch = a.One(CommandGrammar.Batch) is { } b ? ValueParsers.ParseBatchSequences(CommandGrammar.Batch.Name, b, seq) : JobDefaults.GlobalBatchSeqs(model, seq);
        var tokens = a.One(CommandGrammar.Tokens) is { } t ? ValueParsers.ParseTokenCount(CommandGrammar.Tokens.Name, t) : JobDefaults.Tokens(model);
        var precision = a.One(CommandGrammar.Precision) is { } p ? ValueParsers.ParsePrecision(CommandGrammar.Precision.Name, p) : Precision.Bf16;
        var software = a.One(CommandGrammar.Framework) is { } f ? ValueParsers.ParseFramework(CommandGrammar.Framework.Name, f).Software : null;
        if (a.One(CommandGrammar.MoeDispatch) is { } dispatch)
        {
            var stack = software ?? Gpu.GpuSoftware.Modern;
            software = stack.WithMoeDispatch(Gpu.MoeDispatch.Parse(CommandGrammar.MoeDispatch.Name, dispatch, stack.MoeDispatch));
        }
        var job = new TrainingJob(model, tokens, batch, seq, precision) { Software = software };
        // Less than one step is not a training run: say so rather than print a fraction of a step.
        if (job.Steps < 1)
            throw new WaferInputException(
                $"{CommandGrammar.Tokens.Name}: {tokens:N0} tokens are {job.Steps:G3} of one step of {job.TokensPerStep:N0} tokens (batch {batch:N0} × {seq:N0}); " +
                "give at least one step's tokens or a smaller --batch");
        return job;
    }

    private static LayoutSpec? ParseLayoutSpec(Args a) => a.One(CommandGrammar.Layout) is { } text ? LayoutSpec.Parse(text) : null;

    private (SystemTarget Target, Layout? Layout) ParseTargetAndLayout(Args a, TrainingJob job)
    {
        var spec = ParseLayoutSpec(a);
        var target = ParseTarget(a.Required(CommandGrammar.On), spec);
        target = target with { System = WithRelease(WithPowerCap(target.System, a), a) };
        return (target, spec?.Resolve(target.Devices, job, target.System));
    }

    /// <summary>
    /// SYSTEM[:COUNT]. Without a count: the devices a layout with dp implies, else one system of
    /// a wafer-scale (or other non-GPU) kind; a GPU cluster needs a count.
    /// </summary>
    private SystemTarget ParseTarget(string text, LayoutSpec? layout)
    {
        var option = CommandGrammar.On.Name;
        var (id, devices) = ValueParsers.ParseSystemTarget(option, text);
        var system = catalog.FindSystem(id);
        var count = devices ?? layout?.ImpliedDevices
            ?? (system is GpuCluster
                ? throw new WaferInputException($"{option} {text}: give the number of devices, e.g. {id}:512 (or a --layout with dp)")
                : 1);
        if (LayoutRules.DeviceProblem(system, count) is { } problem)
            throw new WaferInputException($"{option} {text}: {problem}");
        return new SystemTarget(system, (int)count);
    }

    /// <summary>
    /// The system with --power-cap set as its device's power limit. The cap must lie above the
    /// device's idle power (the top of its catalog range, which the uncertainty analysis reaches)
    /// and at most at its TDP, the default and largest limit of the catalogued devices.
    /// </summary>
    private static SystemSpec WithPowerCap(SystemSpec system, Args a, bool gpuClassOnly = false)
    {
        if (a.One(CommandGrammar.PowerCap) is not { } text) return system;
        var option = CommandGrammar.PowerCap.Name;
        if (system is not GpuCluster cluster)
            return gpuClassOnly ? system
                : throw new WaferInputException($"{option} {text}: {system.Id} is a wafer-scale system without a user power limit; the option applies to GPU-class systems");
        var d = cluster.Device;
        double cap = ValueParsers.ParseNumber(option, text, 0, $"{0.8 * d.TdpW.Value:0}");
        double idle = d.IdleW.High ?? d.IdleW.Value;
        if (cap > d.TdpW.Value)
            throw new WaferInputException($"{option} {text}: the {d.Name} can be capped at most at its TDP of {d.TdpW.Value:0} W; give a value up to {d.TdpW.Value:0}");
        if (cap <= idle)
            throw new WaferInputException($"{option} {text}: the {d.Name} idles at up to {idle:0} W, so a cap must lie above that to leave power for its math units; give a value between {idle:0} and {d.TdpW.Value:0}");
        return cluster with { Device = d with { PowerLimitW = UserValue(cap, CommandGrammar.PowerCap) } };
    }

    /// <summary>The wafer-scale system at the software release era --release selects (default: the catalog's, the newest).</summary>
    private static SystemSpec WithRelease(SystemSpec system, Args a, bool wafersOnly = false)
    {
        if (a.One(CommandGrammar.Release) is not { } text) return system;
        if (system is not WaferCluster wafer)
            return wafersOnly ? system
                : throw new WaferInputException($"{CommandGrammar.Release.Name} {text}: {system.Id} is not a wafer-scale system; GPU-class systems take {CommandGrammar.Framework.Name} NAME[@YYYY-MM]");
        try { return wafer.AtRelease(text); }
        catch (WaferInputException e) { throw new WaferInputException("--" + e.Message, e); }
    }

        private static EconomicAssumptions ParseEconomics(Args a)
    {
        var economics = EconomicAssumptions.Default;
        if (a.One(CommandGrammar.Pue) is { } pue)
            economics = economics with { Pue = UserValue(ValueParsers.ParseNumber(CommandGrammar.Pue.Name, pue, 1, "1.1", EconomicLimits.MaxPue), CommandGrammar.Pue) };
        if (a.One(CommandGrammar.Price) is { } price)
            economics = economics with { PricePerDeviceHour = UserValue(ValueParsers.ParseNumber(CommandGrammar.Price.Name, price, 0, "2.5", EconomicLimits.MaxPrice), CommandGrammar.Price) };
        if (a.One(CommandGrammar.Carbon) is { } carbon)
            economics = economics with { GramsCo2PerKwh = UserValue(ValueParsers.ParseNumber(CommandGrammar.Carbon.Name, carbon, 0, "400", EconomicLimits.MaxCarbon), CommandGrammar.Carbon) };
        return economics with { Reliability = ParseReliability(a), Evaluation = ParseEvaluation(a) };
    }

    /// <summary>--eval-interval and --eval-iters over Megatron-LM's defaults; null when neither is given.</summary>
    private static Reliability.EvaluationAssumptions? ParseEvaluation(Args a)
    {
        var e = Core.Reliability.EvaluationAssumptions.Default;
        bool given = false;
        if (a.One(CommandGrammar.EvalInterval) is { } interval)
        {
            given = true;
            double steps = ValueParsers.ParseNumber(CommandGrammar.EvalInterval.Name, interval, 1, "1000", EconomicLimits.MaxEvalIntervalSteps);
            e = e with { IntervalSteps = UserValue(Math.Round(steps), CommandGrammar.EvalInterval) };
        }
        if (a.One(CommandGrammar.EvalIters) is { } iters)
        {
            given = true;
            e = e with { Iterations = UserValue(Math.Round(ValueParsers.ParseNumber(CommandGrammar.EvalIters.Name, iters, 0, "100", EconomicLimits.MaxEvalIterations)), CommandGrammar.EvalIters) };
        }
        return given ? e : null;
    }

    /// <summary>--mtbf, --checkpoint-bandwidth and --restart-min over their defaults; null when none is given.</summary>
    private static Reliability.ReliabilityAssumptions? ParseReliability(Args a)
    {
        var r = Core.Reliability.ReliabilityAssumptions.Default;
        bool given = false;
        Sourced Positive(OptionSpec option, string text, string example, double maximum)
        {
            given = true;
            double v = ValueParsers.ParseNumber(option.Name, text, 0, example, maximum);
            return v > 0 ? UserValue(v, option) : throw new WaferInputException($"{option.Name} {text}: must be positive, e.g. {example}");
        }
        if (a.One(CommandGrammar.Mtbf) is { } mtbf)
            r = r with { MtbfDeviceHours = Positive(CommandGrammar.Mtbf, mtbf, "50000", EconomicLimits.MaxMtbfDeviceHours) };
        if (a.One(CommandGrammar.CheckpointBandwidth) is { } bw)
            r = r with { CheckpointGBpsPerDevice = Positive(CommandGrammar.CheckpointBandwidth, bw, "0.5", EconomicLimits.MaxCheckpointGBps) };
        if (a.One(CommandGrammar.RestartMin) is { } restart)
        {
            given = true;
            r = r with { RestartMinutes = UserValue(ValueParsers.ParseNumber(CommandGrammar.RestartMin.Name, restart, 0, "10", EconomicLimits.MaxRestartMinutes), CommandGrammar.RestartMin) };
        }
        return given ? r : null;
    }

    private static Sourced UserValue(double value, OptionSpec option) => new(value, $"given by the user ({option.Name})", Confidence.Assumed);

    private static Objective ParseObjective(Args a) =>
        a.One(CommandGrammar.Objective) is { } text
            ? Enum.Parse<Objective>(ValueParsers.ParseChoice(CommandGrammar.Objective.Name, text, CommandGrammar.Objective.AllowedValues!), true)
            : Objective.Time;

    private static OutputOptions ParseOutput(Args a) => new(
        a.One(CommandGrammar.Name) is { } name ? ValueParsers.ParseIdentifier(CommandGrammar.Name.Name, name) : null,
        a.Flag(CommandGrammar.Offline),
        a.Flag(CommandGrammar.Json));

    /// <summary>The raw values, checked against the subcommand's options.</summary>
    private sealed class Args
    {
        private readonly SubcommandSpec spec;
        private readonly Dictionary<string, IReadOnlyList<string>> values = new(StringComparer.OrdinalIgnoreCase);

        public Args(SubcommandSpec spec, IReadOnlyDictionary<string, IReadOnlyList<string>> raw)
        {
            this.spec = spec;
            foreach (var (name, list) in raw)
            {
                var option = spec.FindOption(name) ?? throw spec.UnknownOption(name);
                if (!option.Repeatable && !option.IsFlag && list.Count > 1)
                    throw new WaferInputException($"{option.Name} is given {list.Count} times; {spec.Name} takes it once");
                values[option.Key] = list;
            }
        }

        public string? One(OptionSpec option) => values.TryGetValue(option.Key, out var v) && v.Count > 0 ? v[^1] : null;

        public IReadOnlyList<string> All(OptionSpec option) => Many(option) is { Count: > 0 } v ? v : throw Missing(option);

        /// <summary>Every value of a repeatable option, none when it is absent.</summary>
        public IReadOnlyList<string> Many(OptionSpec option) => values.TryGetValue(option.Key, out var v) ? v : [];

        public string Required(OptionSpec option) => One(option) ?? throw Missing(option);

        public bool Flag(OptionSpec option) =>
            values.TryGetValue(option.Key, out var v) &&
            (v.Count == 0 || ValueParsers.ParseChoice(option.Name, v[^1], ["true", "false"]) == "true");

        private WaferInputException Missing(OptionSpec option) =>
            new($"{spec.Name} needs {option.Name} {option.HelpName}; for example: {spec.Example}");
    }
}
