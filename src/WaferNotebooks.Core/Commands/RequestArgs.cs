using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// The raw option values of one command line, checked against its subcommand's options (unknown
/// and repeated options are refused here), with the readings every subcommand shares: the job,
/// the system and its device count, the layout, the economics and the objective. A subcommand's
/// unit reads its own options from it. Every problem is a <see cref="WaferInputException"/> that
/// names the option and says what would be right.
/// </summary>
public sealed class RequestArgs
{
    private readonly SubcommandSpec spec;
    private readonly Dictionary<string, IReadOnlyList<string>> values = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="catalog">The catalog ids are looked up in (with the user's files already applied).</param>
    public RequestArgs(SubcommandSpec spec, IReadOnlyDictionary<string, IReadOnlyList<string>> raw, SimulatorCatalog catalog)
    {
        this.spec = spec;
        Catalog = catalog;
        foreach (var (name, list) in raw)
        {
            var option = spec.FindOption(name) ?? throw spec.UnknownOption(name);
            if (!option.Repeatable && !option.IsFlag && list.Count > 1)
                throw new WaferInputException($"{option.Name} is given {list.Count} times; {spec.Name} takes it once");
            values[option.Key] = list;
        }
    }

    public SimulatorCatalog Catalog { get; }

    public string? One(OptionSpec option) => values.TryGetValue(option.Key, out var v) && v.Count > 0 ? v[^1] : null;

    public IReadOnlyList<string> All(OptionSpec option) => Many(option) is { Count: > 0 } v ? v : throw Missing(option);

    /// <summary>Every value of a repeatable option, none when it is absent.</summary>
    public IReadOnlyList<string> Many(OptionSpec option) => values.TryGetValue(option.Key, out var v) ? v : [];

    public string Required(OptionSpec option) => One(option) ?? throw Missing(option);

    public bool Flag(OptionSpec option) =>
        values.TryGetValue(option.Key, out var v) &&
        (v.Count == 0 || ValueParsers.ParseChoice(option.Name, v[^1], ["true", "false"]) == "true");

    /// <summary>One of a choice option's allowed words, or null when the option is absent.</summary>
    public string? Choice(OptionSpec option) => One(option) is { } text ? ValueParsers.ParseChoice(option.Name, text, option.AllowedValues!) : null;

    private WaferInputException Missing(OptionSpec option) =>
        new($"{spec.Name} needs {option.Name} {option.HelpName}; for example: {spec.Example}");

    public OutputOptions Output() => new(
        One(CommandGrammar.Name) is { } name ? ValueParsers.ParseIdentifier(CommandGrammar.Name.Name, name) : null,
        Flag(CommandGrammar.Offline),
        Flag(CommandGrammar.Json));

    /// <summary>
    /// The job: the model, and --seq, --batch, --tokens, --precision and --framework or their defaults
    /// (<see cref="JobDefaults"/>).
    /// </summary>
    public TrainingJob Job()
    {
        var model = Catalog.FindModel(Required(CommandGrammar.Model));
        var seq = One(CommandGrammar.Seq) is { } s ? ValueParsers.ParsePositiveInt(CommandGrammar.Seq.Name, s, kibi: true) : JobDefaults.SeqLen(model);
        if (seq > ModelShape.MaxSeqLen)
            throw new WaferInputException($"{CommandGrammar.Seq.Name} {seq:N0}: the simulator takes sequences of at most {ModelShape.MaxSeqLen:N0} tokens");
        var batch = One(CommandGrammar.Batch) is { } b ? ValueParsers.ParseBatchSequences(CommandGrammar.Batch.Name, b, seq) : JobDefaults.GlobalBatchSeqs(model, seq);
        var tokens = One(CommandGrammar.Tokens) is { } t ? ValueParsers.ParseTokenCount(CommandGrammar.Tokens.Name, t) : JobDefaults.Tokens(model);
        var precision = One(CommandGrammar.Precision) is { } p ? ValueParsers.ParsePrecision(CommandGrammar.Precision.Name, p) : Precision.Bf16;
        var software = One(CommandGrammar.Framework) is { } f ? ValueParsers.ParseFramework(CommandGrammar.Framework.Name, f).Software : null;
        if (One(CommandGrammar.MoeDispatch) is { } dispatch)
        {
            // Accepted silently, it would cost nothing and still print a dispatch assumption for a dense model.
            if (model.Moe is null)
                throw new WaferInputException($"{CommandGrammar.MoeDispatch.Name}: {model.Id} is a dense model (no experts), so there are no tokens to dispatch; leave {CommandGrammar.MoeDispatch.Name} out, or choose a mixture-of-experts model such as mixtral-8x7b");
            var stack = software ?? GpuSoftware.Modern;
            SoftwareWithoutMoeDispatch = stack;
            software = stack.WithMoeDispatch(MoeDispatch.Parse(CommandGrammar.MoeDispatch.Name, dispatch, stack.MoeDispatch));
        }
        var job = new TrainingJob(model, tokens, batch, seq, precision) { Software = software };
        // Less than one step is not a training run: say so rather than print a fraction of a step.
        // The tokens are quoted as read (1.5 is not "2"), or named as the default when not given.
        if (job.Steps < 1)
            throw new WaferInputException(
                (One(CommandGrammar.Tokens) is not null ? $"{CommandGrammar.Tokens.Name}: {tokens:#,0.###} tokens are" : $"{CommandGrammar.Tokens.Name} not given: the default, 20 tokens per parameter ({tokens:N0} tokens), is") +
                $" {job.Steps:G3} of one step of {job.TokensPerStep:N0} tokens (batch {batch:N0} × {seq:N0}); " +
                "give at least one step's tokens with --tokens, or a smaller --batch");
        return job;
    }

    /// <summary>The software stack the job would have without --moe-dispatch, once <see cref="Job"/> read one; null otherwise.</summary>
    public GpuSoftware? SoftwareWithoutMoeDispatch { get; private set; }

    public LayoutSpec? LayoutSpec() => One(CommandGrammar.Layout) is { } text ? Commands.LayoutSpec.Parse(text) : null;

    /// <summary>One run of the job on one system (estimate, timeline): the job, --on with --layout, the economics and the objective.</summary>
    public T Run<T>(Func<TrainingJob, SystemTarget, Layout?, EconomicAssumptions, Planning.Objective, T> request)
    {
        RefuseObjectiveWithLayout();
        var job = Job();
        var (target, layout) = TargetAndLayout(job);
        return request(job, target, layout, Economics(), Objective());
    }

    public (SystemTarget Target, Layout? Layout) TargetAndLayout(TrainingJob job)
    {
        var spec = LayoutSpec();
        var target = Target(Required(CommandGrammar.On), spec);
        target = target with { System = ForSystem(target.System) };
        return (target, spec?.Resolve(target.Devices, job, target.System));
    }

    /// <summary>
    /// The one system a command runs on, with the options of its kind applied (--power-cap on a
    /// GPU-class system, --release on a wafer-scale one) and the options of the other kind refused.
    /// </summary>
    public SystemSpec ForSystem(SystemSpec system)
    {
        RefuseGpuSoftware([system]);
        RefuseInterruptionOptions([system]);
        return WithRelease(WithPowerCap(system));
    }

    /// <summary>The options that set the interruption and evaluation model, which only GPU-class estimates have (goodput, days with downtime).</summary>
    private static readonly OptionSpec[] InterruptionOptions =
        [CommandGrammar.Mtbf, CommandGrammar.CheckpointBandwidth, CommandGrammar.RestartMin, CommandGrammar.EvalInterval, CommandGrammar.EvalIters];

    /// <summary>
    /// The wafer-scale estimator has no published failure rate and so no goodput: given with only
    /// wafer-scale systems, --mtbf and the evaluation options would change nothing while the user
    /// believes they did.
    /// </summary>
    public void RefuseInterruptionOptions(IReadOnlyCollection<SystemSpec> systems)
    {
        if (!systems.All(s => s is WaferCluster)) return;
        foreach (var option in InterruptionOptions)
            if (One(option) is { } text)
                throw new WaferInputException(
                    $"{option.Name} {text}: {(systems.Count == 1 ? $"{systems.First().Id} is" : "every system given is")} wafer-scale, and interruptions and evaluation " +
                    $"(goodput, days with downtime) are modelled for GPU-class systems only (no published failure rate for wafer-scale ones); " +
                    $"leave {option.Name} out, or run on a GPU-class system such as dgx-h100:512");
    }

    /// <summary>
    /// The given options that only one kind of system reads (the GPU stack, power cap and
    /// interruption options; --release), with their text: compare applies each to the systems of
    /// its kind, and the others' estimates say it did not apply to them (<see cref="InputNotes"/>).
    /// </summary>
    public IReadOnlyList<SystemKindOption> SystemKindOptions() =>
    [
        .. new[] { CommandGrammar.Framework, CommandGrammar.MoeDispatch, CommandGrammar.PowerCap }.Concat(InterruptionOptions)
            .Where(o => One(o) is not null).Select(o => new SystemKindOption(o.Name, One(o)!, ForWafer: false)),
        .. One(CommandGrammar.Release) is { } release ? [new SystemKindOption(CommandGrammar.Release.Name, release, ForWafer: true)] : Array.Empty<SystemKindOption>(),
    ];

    /// <summary>
    /// --framework and --moe-dispatch describe a GPU training stack; the wafer-scale estimator runs
    /// the Cerebras stack and reads neither, so given with only wafer-scale systems they would
    /// change nothing while the user believes they did.
    /// </summary>
    public void RefuseGpuSoftware(IReadOnlyCollection<SystemSpec> systems)
    {
        if (!systems.All(s => s is WaferCluster)) return;
        foreach (var option in new[] { CommandGrammar.Framework, CommandGrammar.MoeDispatch })
            if (One(option) is { } text)
                throw new WaferInputException(
                    $"{option.Name} {text}: {Describe(systems)} wafer-scale, which runs the Cerebras software stack, not a GPU training framework; " +
                    $"leave {option.Name} out (choose the Cerebras software with {CommandGrammar.Release.Name}, e.g. {CommandGrammar.Release.Name} 2.1.1), " +
                    "or run on a GPU-class system such as dgx-h100:512");

        static string Describe(IReadOnlyCollection<SystemSpec> systems) =>
            systems.Count == 1 ? $"{systems.First().Id} is" : "every system given is";
    }

    /// <summary>
    /// SYSTEM[:COUNT]. Without a count: the devices a layout with dp implies, else one system of
    /// a wafer-scale (or other non-GPU) kind; a GPU cluster needs a count.
    /// </summary>
    public SystemTarget Target(string text, Commands.LayoutSpec? layout)
    {
        var option = CommandGrammar.On.Name;
        var (id, devices) = ValueParsers.ParseSystemTarget(option, text);
        var system = Catalog.FindSystem(id);
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
    public SystemSpec WithPowerCap(SystemSpec system, bool gpuClassOnly = false)
    {
        if (One(CommandGrammar.PowerCap) is not { } text) return system;
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
    public SystemSpec WithRelease(SystemSpec system, bool wafersOnly = false)
    {
        if (One(CommandGrammar.Release) is not { } text) return system;
        if (system is not WaferCluster wafer)
            return wafersOnly ? system
                : throw new WaferInputException($"{CommandGrammar.Release.Name} {text}: {system.Id} is not a wafer-scale system; GPU-class systems take {CommandGrammar.Framework.Name} NAME[@YYYY-MM]");
        try { return wafer.AtRelease(text); }
        catch (WaferInputException e) { throw new WaferInputException("--" + e.Message, e); }
    }

    public EconomicAssumptions Economics()
    {
        var economics = EconomicAssumptions.Default;
        if (One(CommandGrammar.Pue) is { } pue)
            economics = economics with { Pue = UserValue(ValueParsers.ParseNumber(CommandGrammar.Pue.Name, pue, 1, "1.1", EconomicLimits.MaxPue), CommandGrammar.Pue) };
        if (One(CommandGrammar.Price) is { } price)
            economics = economics with { PricePerDeviceHour = UserValue(ValueParsers.ParseNumber(CommandGrammar.Price.Name, price, 0, "2.5", EconomicLimits.MaxPrice), CommandGrammar.Price) };
        if (One(CommandGrammar.Carbon) is { } carbon)
            economics = economics with { GramsCo2PerKwh = UserValue(ValueParsers.ParseNumber(CommandGrammar.Carbon.Name, carbon, 0, "400", EconomicLimits.MaxCarbon), CommandGrammar.Carbon) };
        return economics with { Reliability = Reliability(), Evaluation = Evaluation() };
    }

    /// <summary>--eval-interval and --eval-iters over Megatron-LM's defaults; null when neither is given.</summary>
    private Reliability.EvaluationAssumptions? Evaluation()
    {
        var e = Core.Reliability.EvaluationAssumptions.Default;
        bool given = false;
        if (One(CommandGrammar.EvalInterval) is { } interval)
        {
            given = true;
            double steps = ValueParsers.ParseWholeNumber(CommandGrammar.EvalInterval.Name, interval, 1, "1000", EconomicLimits.MaxEvalIntervalSteps);
            e = e with { IntervalSteps = UserValue(steps, CommandGrammar.EvalInterval) };
        }
        if (One(CommandGrammar.EvalIters) is { } iters)
        {
            given = true;
            e = e with { Iterations = UserValue(ValueParsers.ParseWholeNumber(CommandGrammar.EvalIters.Name, iters, 0, "100", EconomicLimits.MaxEvalIterations), CommandGrammar.EvalIters) };
        }
        // --eval-iters 0 turns evaluation off, so an interval would be read by nothing while the user believes it counted.
        if (e.Iterations.Value == 0 && One(CommandGrammar.EvalInterval) is { } ignored)
            throw new WaferInputException(
                $"{CommandGrammar.EvalInterval.Name} {ignored}: {CommandGrammar.EvalIters.Name} 0 turns evaluation off, so there is no interval to set; " +
                $"leave {CommandGrammar.EvalInterval.Name} out, or give {CommandGrammar.EvalIters.Name} 1 or more (Megatron-LM's default is 100) to cost an evaluation every {ignored} steps");
        return given ? e : null;
    }

    /// <summary>--mtbf, --checkpoint-bandwidth and --restart-min over their defaults; null when none is given.</summary>
    private Reliability.ReliabilityAssumptions? Reliability()
    {
        var r = Core.Reliability.ReliabilityAssumptions.Default;
        bool given = false;
        Sourced Positive(OptionSpec option, string text, string example, double maximum)
        {
            given = true;
            double v = ValueParsers.ParseNumber(option.Name, text, 0, example, maximum);
            return v > 0 ? UserValue(v, option) : throw new WaferInputException($"{option.Name} {text}: must be positive, e.g. {example}");
        }
        if (One(CommandGrammar.Mtbf) is { } mtbf)
            r = r with { MtbfDeviceHours = Positive(CommandGrammar.Mtbf, mtbf, "50000", EconomicLimits.MaxMtbfDeviceHours) };
        if (One(CommandGrammar.CheckpointBandwidth) is { } bw)
            r = r with { CheckpointGBpsPerDevice = Positive(CommandGrammar.CheckpointBandwidth, bw, "0.5", EconomicLimits.MaxCheckpointGBps) };
        if (One(CommandGrammar.RestartMin) is { } restart)
        {
            given = true;
            r = r with { RestartMinutes = UserValue(ValueParsers.ParseNumber(CommandGrammar.RestartMin.Name, restart, 0, "10", EconomicLimits.MaxRestartMinutes), CommandGrammar.RestartMin) };
        }
        return given ? r : null;
    }

    private static Sourced UserValue(double value, OptionSpec option) => new(value, $"given by the user ({option.Name})", Confidence.Assumed);

    /// <summary>
    /// --objective ranks the layouts the planner tries; beside a --layout, which fixes the layout,
    /// it would change nothing while the user believes the run was chosen for it (estimate,
    /// timeline, sweep; compare also ranks its systems by it, so takes both).
    /// </summary>
    public void RefuseObjectiveWithLayout()
    {
        if (One(CommandGrammar.Objective) is { } text && One(CommandGrammar.Layout) is not null)
        {
            var objective = Objective().ToString().ToLowerInvariant();
            throw new WaferInputException(
                $"{CommandGrammar.Objective.Name} {text}: {CommandGrammar.Layout.Name} fixes the layout, so no layout is chosen for {objective}; " +
                $"leave {CommandGrammar.Objective.Name} out, or leave {CommandGrammar.Layout.Name} out to run the best layout for {objective}");
        }
    }

    public Objective Objective() =>
        One(CommandGrammar.Objective) is { } text
            ? Enum.Parse<Planning.Objective>(ValueParsers.ParseChoice(CommandGrammar.Objective.Name, text, CommandGrammar.Objective.AllowedValues!), true)
            : Planning.Objective.Time;
}
