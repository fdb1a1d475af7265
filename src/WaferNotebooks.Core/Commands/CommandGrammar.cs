using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Validation.Calibration;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// The one definition of the <c>wafer</c> grammar (docs/architecture.md): subcommands, their options,
/// descriptions, examples, value kinds, defaults and completion sources. The CLI builds its
/// System.CommandLine tree from it and the notebook builds its <c>#!wafer</c> directive from it;
/// neither adds options of its own. Values are parsed by <see cref="RequestParser"/>.
/// </summary>
public static class CommandGrammar
{
    public const string RootName = "wafer";

    public const string RootDescription =
        "Analytical simulator of LLM training on GPU clusters and Cerebras wafer-scale systems: time, throughput, MFU, memory, energy, cost.";

    public static readonly OptionSpec Model = new("--model",
        "Model id from the catalog (e.g. llama2-70b), or an inline architecture such as layers=48,hidden=6144,heads=64,vocab=51200.",
        ValueKind.Model, "ID", Required: true, Completions: CompletionSource.ModelIds);

    public static readonly OptionSpec On = new("--on",
        "System to run on, with an optional device count: dgx-h100:512, cs-3:16.",
        ValueKind.SystemTarget, "SYSTEM[:COUNT]", Required: true, Completions: CompletionSource.SystemIds);

    /// <summary>compare takes --on once per system.</summary>
    public static readonly OptionSpec OnRepeated = On with
    {
        Description = "A system to compare, with an optional device count; repeat for each system: --on dgx-h100:512 --on cs-3:16.",
        Repeatable = true,
    };

    public static readonly OptionSpec Tokens = new("--tokens",
        "Training tokens, with an optional K/M/B/T suffix (powers of ten): 2T = 2·10^12.",
        ValueKind.TokenCount, "N", DefaultText: "20 tokens per parameter (Chinchilla, Hoffmann et al. 2022)");

    public static readonly OptionSpec Batch = new("--batch",
        "Global batch: sequences (1024), or tokens with a K/M suffix in powers of two as papers quote them (4M = 4·2^20 tokens = 1024 sequences of 4096).",
        ValueKind.Batch, "SEQS|TOKENS", DefaultText: "the model's published batch (catalog batch_seqs; the same tokens per step when --seq differs), else 4M tokens (2^22, the batch of LLaMA 1 and 2) in whole sequences");

    public static readonly OptionSpec Seq = new("--seq",
        "Sequence length in tokens; K = 1024 (8K = 8192).",
        ValueKind.Integer, "TOKENS", DefaultText: "the model's published sequence length");

    public static readonly OptionSpec Precision = new("--precision",
        "GEMM precision. fp8/fp4 narrow only the GEMM inputs; master weights, gradients and optimizer state stay 16/32-bit.",
        ValueKind.Choice, "bf16|fp16|fp8|fp4", DefaultText: "bf16", AllowedValues: ["bf16", "fp16", "fp8", "fp4"]);

    public static readonly OptionSpec Framework = new("--framework",
        "Training framework whose software profile to cost (fused attention, overlapped gradient reduction, interleaved pipeline schedule), optionally run under torch.compile (+compiled: an eager PyTorch stack's elementwise ops fused) and as of a release month: deepspeed, fsdp, torchtitan+compiled, megatron-lm@2021-04. GPU-class systems only.",
        ValueKind.Choice, "NAME[+compiled][@YYYY-MM]", DefaultText: "megatron-core: today's mainstream stack (fused attention, overlapped reduction)",
        AllowedValues: Gpu.TrainingFramework.Names);

    public static readonly OptionSpec MoeDispatch = new("--moe-dispatch",
        "How a mixture-of-experts model's tokens reach their experts (GPU-class systems): nodes=M routes each token to experts on at most M nodes, sent once per node and fanned out over NVLink (nodes=0: a flat all-to-all); fp8=on dispatches in FP8 (combines stay BF16); overlap=on runs the all-to-alls and pipeline sends under another micro-batch's compute with the DualPipe schedule (DeepSeek-V3); gemm=grouped runs a rank's experts as one grouped GEMM kernel, gemm=loop as one GEMM per expert (Transformer Engine's GroupedLinear, at least 33 µs each); imbalance=F gives the busiest expert-parallel rank F times the mean routed tokens (1 balanced; 1–1.25 plausible when routing is not forced to balance); sync=off drops the device-to-host sync of the split sizes before the all-to-all, after which the GPU waits on the host's launches (Megatron-Core's dispatcher); recipe=current|mxfp8|blockwise names Transformer Engine's FP8 scaling recipe, whose per-expert quantize kernels (3, 1, 1 per expert and tensor) the per-expert loop launches one by one (delayed: one fused launch); graphs=attn+moe_router+moe_preprocess names the parts Megatron-Core captures in CUDA graphs, each one host operation before the dispatcher's sync. Keys left out keep the framework's defaults.",
        ValueKind.Text, "nodes=M,fp8=on|off,overlap=on|off,gemm=grouped|loop,imbalance=F,sync=on|off,recipe=delayed|current|mxfp8|blockwise,graphs=none|attn+moe_router+moe_preprocess", DefaultText: "the framework's: nodes=0,fp8=off,overlap=off,gemm=loop,imbalance=1,sync=on,recipe=delayed,graphs=none; hai-llm (deepseek): nodes=4,fp8=on,overlap=on,gemm=grouped,sync=off");

    public static readonly OptionSpec Layout = new("--layout",
        "Parallel layout: tp=8,pp=4,dp=32,cp=1,ep=1,vpp=2,mb=1,zero=1,recompute=selective,sp=1. Keys left out are 1 (zero=0, recompute=none, sp=0), except dp, which fills the devices. With recompute=full, rl=N recomputes only N layers of each pipeline stage (Megatron's block method). first=N and last=N give the first and last pipeline stages N layers, the others splitting the rest evenly (Llama 3: pp=16,first=7,last=7 for 126 layers). shard=N shards ZeRO over N of the data-parallel ranks and replicates the shards across the rest (HSDP, MiCS; zero=3,shard=8 shards within a node). hpz=N keeps a second copy of ZeRO-3's weights sharded over N ranks for the backward's gathers (ZeRO++ hpZ). offload=N keeps the activations of N layers per pipeline stage in host memory, copied over the device's host link (not with recompute=full). remat=NAME names a MaxText (JAX) remat policy (full, minimal, minimal_with_context, save_dot_with_context_except_mlp, save_dot_except_mlpwi, save_dot_except_mlp, save_qkv_proj, save_out_proj): what each layer keeps and recomputes, as JAX does; it implies recompute=full for full, selective otherwise. Omit the option to let the planner choose.",
        ValueKind.Layout, "K=V,...", DefaultText: "the planner's best layout for --objective");

    public static readonly OptionSpec Pue = new("--pue",
        "Power usage effectiveness of the data centre (facility power / IT power, at least 1).",
        ValueKind.Number, "RATIO", DefaultText: "1.2 (modern AI data centre; Uptime Institute 2023)");

    public static readonly OptionSpec Price = new("--price",
        "Price in USD per device-hour (per system-hour for wafer-scale systems).",
        ValueKind.Number, "USD", DefaultText: "the system's catalog price");

    public static readonly OptionSpec Carbon = new("--carbon",
        "Carbon intensity of the electricity, g CO2 per kWh.",
        ValueKind.Number, "G_PER_KWH", DefaultText: "367 (world average 2023, IEA/Ember)");

    public static readonly OptionSpec Objective = new("--objective",
        "What the planner minimises when it chooses a layout.",
        ValueKind.Choice, "time|energy|cost", DefaultText: "time", AllowedValues: ["time", "energy", "cost"]);

    public static readonly OptionSpec Top = new("--top",
        "How many of the best layouts to list.",
        ValueKind.Integer, "K", DefaultText: "5");

    public static readonly OptionSpec Counts = new("--counts",
        "Device counts to sweep: a list 8,16,32, a doubling range 8..4096, or a stepped range 64..512:64. K = 1000.",
        ValueKind.Counts, "LIST|A..B[:STEP]", DefaultText: "the count of --on, when --vary is given");

    public static readonly OptionSpec Vary = new("--vary",
        "A second knob to sweep, with its values: batch=512,1024,4M, seq=2K,4K,8K, tokens=1T,2T, price=1.5,2.5, pue=1.1,1.4 or carbon=50,400.",
        ValueKind.Knob, "KNOB=V1,V2,...", AllowedValues: ["batch", "seq", "tokens", "price", "pue", "carbon"]);

    public static readonly OptionSpec Data = new("--data",
        "CSV of published runs in the schema of data/validation/README.md.",
        ValueKind.File, "FILE", Required: true);

    /// <summary>calibrate takes --data once per file.</summary>
    public static readonly OptionSpec DataRepeated = Data with
    {
        Description = "A file of measured runs to fit to: a CSV in the schema of data/validation/README.md or a vTrain ground-truth table; repeat for several files.",
        Repeatable = true,
    };

    public static readonly OptionSpec Fit = new("--fit",
        "Constants to fit, comma-separated: sustained_matmul_share (share of the measured matmul maximum sustained in training, searched in [0.5, 1]), " +
        "launch_s (host time to launch one layer's forward kernels, searched in [0, 5 ms]).",
        ValueKind.Choice, "NAME[,NAME]", Required: true, AllowedValues: [.. CalibratedConstant.All.Select(c => c.Name)]);

    public static readonly OptionSpec By = new("--by",
        "One value per accelerator (accelerators of one die share a calibration group, e.g. a100, blackwell), or per accelerator and framework (the rows' framework column), or per accelerator and software family (pytorch-native: fsdp, torchtitan; megatron: megatron-lm, megatron-core, megatron-bridge, deepspeed; any other framework its own).",
        ValueKind.Choice, "accelerator|accelerator+framework|accelerator+family", DefaultText: "accelerator", AllowedValues: CalibrationFit.Groupings);

    public static readonly OptionSpec Weight = new("--weight",
        "How rows weigh in the fit: rows = each row once; paper = each publication once (the source column up to its first comma), " +
        "so a file of a hundred rows from one paper does not outweigh a paper of four; source = each source (one table or section) once.",
        ValueKind.Choice, "rows|paper|source", DefaultText: "rows", AllowedValues: CalibrationFit.Weightings);

    public static readonly OptionSpec Rows = new("--rows",
        "Row ids to fit to, comma-separated; * and ? are wildcards (megatron21-*,korthikanti22-*). Only steady-state throughput rows on GPU-class systems are used.",
        ValueKind.Text, "ID|PATTERN,...", DefaultText: "every usable row of the files");

    public static readonly OptionSpec Out = new("--out",
        "Write the fitted values as a catalog overlay to this JSON file, for --catalog or WAFER_CATALOG; an overlay that exists keeps its other fits.",
        ValueKind.OutputFile, "FILE", DefaultText: "report only, write nothing");

    public static readonly OptionSpec CrossValidate = new("--cv",
        "Cross-validate: for each group of rows, refit every calibrated constant without the group and predict the group (leave one group out). " +
        "source = the row's source column, paper = its authors and year (the source up to the first comma), system = the system column, model = the model column.",
        ValueKind.Choice, "source|paper|system|model", DefaultText: "no cross-validation: the catalog's constants as they are", AllowedValues: CrossValidation.Groupings);

    public static readonly OptionSpec Kind = new("--kind",
        "What to list; may be given without its name (catalog systems).",
        ValueKind.Choice, "models|accelerators|systems", DefaultText: "all three", Implicit: true,
        AllowedValues: ["models", "accelerators", "systems"]);

    public static readonly OptionSpec UserCatalog = new("--catalog",
        "A JSON file of your own accelerators, systems and models, in the schema of docs/catalog.md; entries add to the built-in catalog or replace those with the same id. " +
        $"Repeat it to apply several files in order. The files listed in the environment variable {UserCatalogs.EnvironmentVariable} (separated by '{Path.PathSeparator}') are applied first, " +
        "so a shell or a notebook session can set them once. Completions list the built-in ids only.",
        ValueKind.File, "FILE", DefaultText: $"the built-in catalog, plus the files in {UserCatalogs.EnvironmentVariable} if it is set", Repeatable: true);

    public static readonly OptionSpec Name = new("--name",
        "Store the result as a C# variable with this name in the notebook.",
        ValueKind.Identifier, "VAR", FrontEnd: FrontEnd.NotebookOnly);

    public static readonly OptionSpec Offline = new("--offline",
        "Render charts that need no internet (plotly.js inlined once per document).",
        ValueKind.Flag, "", FrontEnd: FrontEnd.NotebookOnly);

    public static readonly OptionSpec Json = new("--json",
        "Print the result as snake_case JSON on stdout instead of text.",
        ValueKind.Flag, "", FrontEnd: FrontEnd.CliOnly);

    // Hardware settings and run physics of GPU-class systems (issue 10), kept in one block.
    public static readonly OptionSpec PowerCap = new("--power-cap",
        "Power limit per GPU-class device in watts (nvidia-smi -pl); the tensor clock falls to what the cap allows and busy kernels draw the cap. Wafer-scale systems have no user power limit; compare applies it to its GPU-class systems only.",
        ValueKind.Number, "W", DefaultText: "the device's TDP (its default power limit)");

    public static readonly OptionSpec Mtbf = new("--mtbf",
        "Mean time between job interruptions per device, in device-hours: a job on N devices is interrupted every MTBF/N hours. Sets the goodput and the wall days with downtime of GPU-class estimates.",
        ValueKind.Number, "DEVICE_HOURS", DefaultText: "45,570 (Llama 3: 466 interruptions in 54 days on 16,384 H100s)");

    public static readonly OptionSpec CheckpointBandwidth = new("--checkpoint-bandwidth",
        "Storage bandwidth per device for writing and restoring checkpoints, GB/s (the job's aggregate divided by its devices).",
        ValueKind.Number, "GB_PER_S", DefaultText: "0.122 (Llama 3: 2 TB/s for 16,384 GPUs)");

    public static readonly OptionSpec RestartMin = new("--restart-min",
        "Minutes to restart a job after an interruption, before its checkpoint is read back.",
        ValueKind.Number, "MINUTES", DefaultText: "10 (assumed)");

    /// <summary>Wafer-scale systems: the Cerebras software release whose measured utilisation to cost (docs/wafer-model.md §6.1).</summary>
    public static readonly OptionSpec Release = new("--release",
        "Cerebras software release whose measured sustained utilisation a wafer-scale estimate uses: a release (R2.0, 2.1.1; the latest measured era at or before it) or a month YYYY-MM (the era in use then). GPU-class systems take --framework instead; compare applies it to its wafer-scale systems only.",
        ValueKind.Text, "RELEASE|YYYY-MM", DefaultText: "the newest measured release era");

    public static readonly OptionSpec EvalInterval = new("--eval-interval",
        "Training steps between evaluations on held-out data (GPU-class systems): the evaluation time is counted in the wall days with downtime, as MLPerf's time-to-train counts it.",
        ValueKind.Number, "STEPS", DefaultText: "1000 (Megatron-LM's default)");

    public static readonly OptionSpec EvalIters = new("--eval-iters",
        "Forward-only global batches per evaluation; 0 for none.",
        ValueKind.Number, "N", DefaultText: "100 (Megatron-LM's default)");

    public static readonly OptionSpec[] PhysicsOptions = [PowerCap, Release, Mtbf, CheckpointBandwidth, RestartMin, EvalInterval, EvalIters];

    public static readonly OptionSpec[] JobOptions = [Model, Tokens, Batch, Seq, Precision, Framework, MoeDispatch];
    public static readonly OptionSpec[] EconomicOptions = [Pue, Price, Carbon];
    /// <summary>What every subcommand takes: user catalog files, and the front ends' output options.</summary>
    public static readonly OptionSpec[] SharedOptions = [UserCatalog, Name, Offline, Json];

    // Each subcommand's own entry lives in its unit (Estimate/EstimateCommand.cs, ...).
    public static SubcommandSpec Estimate => EstimateCommand.Instance.Spec;
    public static SubcommandSpec Compare => CompareCommand.Instance.Spec;
    public static SubcommandSpec Sweep => SweepCommand.Instance.Spec;
    public static SubcommandSpec Plan => PlanCommand.Instance.Spec;
    public static SubcommandSpec Catalog => CatalogCommand.Instance.Spec;
    public static SubcommandSpec Validate => ValidateCommand.Instance.Spec;
    public static SubcommandSpec Calibrate => CalibrateCommand.Instance.Spec;
    public static SubcommandSpec Timeline => TimelineCommand.Instance.Spec;

    /// <summary>Every subcommand's grammar entry, in the order of <see cref="Commands.Subcommands.All"/>.</summary>
    /// <remarks>Built on first use, not at type initialisation: the units' entries refer to this class's options.</remarks>
    public static IReadOnlyList<SubcommandSpec> Subcommands => subcommands ??= [.. Commands.Subcommands.All.Select(s => s.Spec)];

    private static IReadOnlyList<SubcommandSpec>? subcommands;

    /// <summary>
    /// Completion values for an option: catalog ids for --model and --on, the allowed words of a
    /// choice, and "KNOB=" for --vary.
    /// </summary>
    public static IEnumerable<string> CompletionsFor(OptionSpec option, SimulatorCatalog? catalog = null) => option.Completions switch
    {
        CompletionSource.ModelIds => (catalog ?? SimulatorCatalog.Default).Models.Select(m => m.Id),
        CompletionSource.SystemIds => (catalog ?? SimulatorCatalog.Default).Systems.Select(s => s.Id),
        _ when option.Kind == ValueKind.Knob => option.AllowedValues!.Select(k => k + "="),
        _ => option.AllowedValues ?? [],
    };

    /// <summary>The subcommand of this name, or a <see cref="WaferInputException"/> listing the valid ones.</summary>
    public static SubcommandSpec Find(string name) =>
        Subcommands.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new WaferInputException(
            $"Unknown subcommand '{name}'; " +
            CloseMatches.DidYouMean(name, Subcommands.Select(s => s.Name)) +
            $"Expected one of {string.Join(", ", Subcommands.Select(s => s.Name))}.");
}
