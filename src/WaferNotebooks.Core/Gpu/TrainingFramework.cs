using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// A training framework and what it does by default at a given date: the <see cref="GpuSoftware"/>
/// profile (fused attention, overlapped gradient reduction, interleaved pipeline schedule) and the
/// ZeRO stage it uses unless told otherwise. The one place where framework names, eras and their
/// sources live: the validation CSV's <c>framework</c>/<c>software_date</c> columns and the
/// <c>--framework</c> option both resolve here.
/// <para>Eras (each switch with its source):</para>
/// <list type="bullet">
/// <item>Megatron-LM until 2023-09: scores materialised (fused scale-mask-softmax, no
/// FlashAttention) and gradients reduced after the backward pass (Narayanan et al. 2021;
/// Korthikanti et al. 2022). <c>--overlap-grad-reduce</c> arrived in Megatron-LM in
/// September 2023 (NVIDIA/Megatron-LM issue 391, answered 2023-09-30), by when
/// <c>--use-flash-attn</c>/Transformer Engine attention was in place: from 2023-10 the modern stack.</item>
/// <item>Megatron-Core, NeMo, Megatron-Bridge: the modern stack (they start in 2023 with
/// Transformer Engine fused attention and bucketed, overlapped reduction); a date before 2023 means
/// NeMo Megatron running Megatron-LM's kernels, so the Megatron-LM profile of that date.</item>
/// <item>DeepSpeed (Megatron-DeepSpeed, GPT-NeoX): the pipeline engine (<see cref="GpuSoftware.WithDeepSpeedPipeline"/>);
/// attention materialised before 2023, FlashAttention from 2023 (FlashAttention, Dao et al.
/// 2022, entered these code bases from late 2022). Before 2021-10, ZeRO-3 gathered parameters one
/// tensor at a time, each synchronised, nothing prefetched (<see cref="GpuSoftware.WithDeepSpeed2021Zero3"/>:
/// PR #1188, merged September 2021, grouped a module's gathers); it changes only ZeRO-3 layouts.</item>
/// <item>Fully sharded data parallel (PyTorch FSDP, torchtitan; FairScale FSDP as in metaseq):
/// prefers full sharding (ZeRO-3). From 2022-03 (PyTorch 1.11 ships FSDP with backward prefetch;
/// Zhao et al. 2023, PyTorch FSDP, VLDB) gathers are prefetched and reduce-scatters overlapped;
/// before, FairScale's FSDP gathered each layer's weights when the layer ran: costed as not
/// overlapped, with scores materialised (the 2021 profile). Attention fused from 2023-03, when
/// PyTorch 2.0 shipped <c>scaled_dot_product_attention</c> with the FlashAttention kernel.
/// From 2022-03 the model code runs as eager PyTorch kernels (<see cref="ElementwiseKernels"/>;
/// the <c>compiled</c> column or <c>+compiled</c> says otherwise), FP8 goes through
/// Transformer Engine <c>te.Linear</c> layers (llm-foundry's <c>fc_type: te</c>) and the loss is
/// flash-attn's fused cross entropy (<see cref="CrossEntropyKernel.FlashXentropy"/>: llm-foundry's
/// default <c>loss_fn: fused_crossentropy</c>, which its benchmark configs keep; TinyLlama's too).</item>
/// <item>torchtitan (2024–): FSDP2 with the modern stack, eager PyTorch kernels unless compiled,
/// FP8 by torchao's dynamic tensorwise scaling; its loss is <c>F.cross_entropy(pred.float(), ...)</c>
/// op by op, also when the model is compiled (<see cref="CrossEntropyKernel.Fp32LogSoftmax"/>);
/// selective recompute is its op-level policy, every second matmul and the elementwise ops
/// recomputed (<see cref="OpSelectiveRecompute"/>; the same policy from 2024-04 to 2024-12).</item>
/// <item>The loss (<see cref="CrossEntropyKernel"/>): Megatron-LM and Megatron-Core run
/// <c>vocab_parallel_cross_entropy</c> op by op (<c>cross_entropy_loss_fusion = False</c> in
/// <c>model_parallel_config.py</c> since the fusion arrived, 2024-06-14; <see cref="CrossEntropyKernel.MegatronUnfused"/>,
/// the max subtracted out of place from 2022-10 to 2024-06: <see cref="CrossEntropyKernel.MegatronUnfused2022"/>),
/// and so do Megatron-DeepSpeed and GPT-NeoX, whose copies of it move the same bytes. NeMo 1 set the
/// fusion per recipe (the launcher's Llama 3 and small Nemotron configs from 2024-06, Llama 2 from
/// 2024-08; GPT-3 never), so its default is op by op; NeMo 2's <c>GPTConfig</c> turns it on from
/// 2024-09 (NVIDIA/NeMo PR #10209; <see cref="CrossEntropyKernel.MegatronFused"/>). Megatron-Bridge from
/// 2025-09 to 2026-06: Transformer Engine's cross entropy, the gradient in the 16-bit logits
/// (<see cref="MegatronBridge"/>). Stacks whose loss is not counted: <see cref="CrossEntropyKernel.Fp32Copy"/>.</item>
/// <item>ZeRO stages a row's unpublished knobs may take (<see cref="UnpublishedZeroStagesAt"/>): any, except on
/// the Megatron family, whose data-parallel path is plain DDP (0) or the distributed optimizer (1,
/// <c>--use-distributed-optimizer</c>; NeMo's <c>distributed_fused_adam</c>) until Megatron-Core can shard
/// parameters: PyTorch FSDP2 (<c>--use-torch-fsdp2</c>, Megatron-LM !2150, 2024-11-13, core_r0.10.0), then
/// Megatron's own FSDP (<c>--use-custom-fsdp</c>, !2071, 2025-02-26, core_r0.11.0). From 2024-12 ZeRO-3 as a
/// last resort. NeMo 1's torch-FSDP strategy (<c>fsdp: True</c>) is another engine (no distributed optimizer,
/// no O2 precision) that its performance recipes leave off, so it is not counted.</item>
/// <item>Attention kernels (<see cref="AttentionKernels"/>): Megatron-Core, NeMo and Megatron-Bridge
/// run Transformer Engine's cuDNN fused attention, native on Hopper; the PyTorch-native stacks
/// (FSDP/llm-foundry, torchtitan) and DeepSpeed from 2023 run FlashAttention-2-class kernels written
/// for Ampere (SDPA's flash backend, the flash-attn package), a third of the peak on Hopper; FSDP
/// before 2024-01 the first generation (PyTorch 2.0–2.1 SDPA, llm-foundry's Triton kernel). PyTorch kept cuDNN attention opt-in on H100 after 2.5
/// (pytorch/pytorch#138522; SDPA at 329 against cuDNN's 631 TFLOP/s, #142132, 2024-12), and
/// torchtitan selects cuDNN only on Blackwell (pytorch/torchtitan#1196, 2025-05).</item>
/// <item>JAX/XLA (MaxText, Pax, T5X): XLA schedules collectives asynchronously under compute;
/// fused (Pallas flash/splash) attention from 2024, materialised before.</item>
/// <item>AWS Neuron (NxD Training): Megatron-style modern stack (NKI flash attention, overlapped reduction).</item>
/// <item>DeepSeek HAI-LLM: the modern stack with DeepSeek-V3's expert dispatch (node-limited, FP8, DualPipe).</item>
/// </list>
/// With no framework named, the mainstream stack of the era: Megatron-LM before 2023, Megatron-Core
/// from 2023 and when the date is not known either (<see cref="Mainstream"/>).
/// </summary>
public sealed record TrainingFramework(string Name, string Description, IReadOnlyList<string> Aliases, Func<DateOnly?, GpuSoftware> SoftwareAt, int PreferredZeroStage = 1)
{
    /// <summary>The ZeRO stages the framework can run at a date when a row does not say which (any by default).</summary>
    public Func<DateOnly?, IReadOnlyList<int>> UnpublishedZeroStagesAt { get; init; } = _ => AnyZeroStage;

    static readonly IReadOnlyList<int> AnyZeroStage = [0, 1, 2, 3];

    /// <summary>The month the framework was first released (its source in <see cref="FirstReleaseSource"/>): an
    /// <c>@YYYY-MM</c> before it names a stack that did not exist and is refused.</summary>
    public DateOnly FirstRelease { get; init; }

    public string FirstReleaseSource { get; init; } = "";

    static readonly DateOnly MegatronOverlap = new(2023, 10, 1);
    static readonly DateOnly FlashInDeepSpeed = new(2023, 1, 1);
    static readonly DateOnly DeepSpeedGroupedGathers = new(2021, 10, 1);
    static readonly DateOnly TorchFsdp = new(2022, 3, 1);
    static readonly DateOnly TorchSdpa = new(2023, 3, 1);
    static readonly DateOnly TorchFlash2 = new(2024, 1, 1);
    static readonly DateOnly PallasFlash = new(2024, 1, 1);
    static readonly DateOnly BridgeTeCrossEntropy = new(2025, 9, 1);
    static readonly DateOnly TeFp32CrossEntropy = new(2026, 7, 1);
    static readonly DateOnly MegatronOutOfPlaceLoss = new(2022, 10, 1);
    static readonly DateOnly MegatronInPlaceLoss = new(2024, 7, 1);
    static readonly DateOnly NemoFusedLoss = new(2024, 9, 1);
    static readonly DateOnly MegatronTorchFsdp = new(2024, 12, 1);

    /// <summary>Megatron's op-by-op loss of the date (<see cref="CrossEntropyKernel.MegatronUnfused"/>).</summary>
    static CrossEntropyKernel MegatronLoss(DateOnly? d) =>
        d is { } m && m >= MegatronOutOfPlaceLoss && m < MegatronInPlaceLoss ? CrossEntropyKernel.MegatronUnfused2022 : CrossEntropyKernel.MegatronUnfused;

    /// <summary>Megatron's data-parallel path: DDP or the distributed optimizer, and ZeRO-3 once Megatron-Core shards parameters (FSDP2).</summary>
    static IReadOnlyList<int> MegatronZeroStages(DateOnly? d) => Before<IReadOnlyList<int>>(d, MegatronTorchFsdp, [0, 1], [0, 1, 3]);

    static T Before<T>(DateOnly? date, DateOnly boundary, T old, T current) =>
        date is { } d && d < boundary ? old : current;

    static GpuSoftware Unfused(GpuSoftware s) => s with { FusedAttention = false };

    /// <summary>A PyTorch-native stack: the model's Python code runs op by op (no <c>torch.compile</c>
    /// by default: llm-foundry's benchmark configs and torchtitan's default <c>compile = false</c>), the loss by its own kernel.</summary>
    static GpuSoftware EagerTorch(GpuSoftware s, Fp8Casts fp8, CrossEntropyKernel loss) => s.WithEagerKernels().WithCrossEntropy(loss) with { Fp8Casts = fp8 };

    /// <summary>FlashAttention-2-class attention (Ampere <c>mma.sync</c> kernels; <see cref="AttentionKernels"/>): PyTorch SDPA's flash
    /// backend, the flash-attn package, Triton flash-attention before Triton's Hopper support.</summary>
    static GpuSoftware AmpereAttention(GpuSoftware s) => s.WithAttentionKernel(AttentionKernel.AmpereMma);

    /// <summary>PyTorch's attention by date: the first FlashAttention generation in PyTorch 2.0–2.1
    /// (and llm-foundry's Triton kernel of that time), FlashAttention-2 from PyTorch 2.2 (2024-01).</summary>
    static GpuSoftware TorchAttention(DateOnly? d, GpuSoftware s) =>
        Before(d, TorchFlash2, s.WithAttentionKernel(AttentionKernel.FlashV1), AmpereAttention(s));

    public static TrainingFramework MegatronLm { get; } = new("megatron-lm",
        "NVIDIA Megatron-LM (2021-22 stack until 2023-09: scores materialised, reduction after backward)", [],
        d => Before(d, MegatronOverlap, GpuSoftware.Megatron2021, GpuSoftware.Modern).WithCrossEntropy(MegatronLoss(d)))
    { UnpublishedZeroStagesAt = MegatronZeroStages, FirstRelease = new(2019, 8, 1), FirstReleaseSource = "NVIDIA ADLR, \"MegatronLM: Training Billion+ Parameter Language Models Using GPU Model Parallelism\", 2019-08-13, with the code" };

    public static TrainingFramework MegatronCore { get; } = new("megatron-core",
        "Megatron-Core: fused attention, overlapped bucketed reduction, the loss op by op",
        [],
        d => Before(d, new DateOnly(2023, 1, 1), MegatronLm.SoftwareAt(d), GpuSoftware.Modern.WithCrossEntropy(MegatronLoss(d))))
    { UnpublishedZeroStagesAt = MegatronZeroStages, FirstRelease = new(2019, 8, 1), FirstReleaseSource = "before 2023 it costs NeMo running Megatron-LM's kernels, which date from 2019-08 (NVIDIA ADLR MegatronLM post, 2019-08-13)" };

    /// <summary>
    /// NVIDIA NeMo on Megatron-Core: Megatron-Core's stack; from 2024-09 NeMo 2's <c>GPTConfig</c> turns on
    /// Megatron-Core's compiled loss fusion (<c>cross_entropy_loss_fusion = True</c>, NVIDIA/NeMo PR #10209,
    /// 2024-09-06; <see cref="CrossEntropyKernel.MegatronFused"/>). NeMo 1 left it to each recipe.
    /// </summary>
    public static TrainingFramework Nemo { get; } = new("nemo",
        "NVIDIA NeMo (on Megatron-Core): Megatron-Core's stack, the loss by its compiled fusion from 2024-09 (NeMo 2)",
        [],
        d => Before(d, NemoFusedLoss, MegatronCore.SoftwareAt(d), MegatronCore.SoftwareAt(d).WithCrossEntropy(CrossEntropyKernel.MegatronFused)))
    { UnpublishedZeroStagesAt = MegatronZeroStages, FirstRelease = new(2019, 8, 1), FirstReleaseSource = "before 2023 it costs NeMo running Megatron-LM's kernels, which date from 2019-08 (NVIDIA ADLR MegatronLM post, 2019-08-13)" };

    /// <summary>
    /// NVIDIA Megatron-Bridge: Megatron-Core under Bridge's recipes, whose performance configurations
    /// take Transformer Engine's cross entropy (<see cref="CrossEntropyKernel.InPlace16"/>):
    /// <c>cross_entropy_fusion_impl = "te"</c> in the performance scripts from Bridge PR #403
    /// (2025-08-28) and in the Llama 3 and Qwen recipes from PR #1154 (2025-11-05). From 2026-07 TE's
    /// kernel keeps the gradient in fp32 (TransformerEngine PR #3193, <see cref="CrossEntropyKernel.TeFp32Gradient"/>).
    /// </summary>
    public static TrainingFramework MegatronBridge { get; } = new("megatron-bridge",
        "NVIDIA Megatron-Bridge (Megatron-Core with Bridge's recipes): Transformer Engine's cross entropy from 2025-09, its gradient in place in the 16-bit logits until 2026-06, in fp32 from 2026-07",
        [],
        d => Before(d, BridgeTeCrossEntropy, MegatronCore.SoftwareAt(d),
            MegatronCore.SoftwareAt(d).WithCrossEntropy(Before(d, TeFp32CrossEntropy, CrossEntropyKernel.InPlace16, CrossEntropyKernel.TeFp32Gradient))))
    { UnpublishedZeroStagesAt = MegatronZeroStages, FirstRelease = new(2025, 9, 1), FirstReleaseSource = "Megatron-Bridge 0.1.0 in the NeMo Framework 25.09 container (Megatron-Bridge docs/releases/changelog.md)" };

    public static TrainingFramework DeepSpeed { get; } = new("deepspeed",
        "DeepSpeed pipeline engine (Megatron-DeepSpeed, GPT-NeoX): plain 1F1B, reduction after the flush",
        ["megatron-deepspeed", "gpt-neox"],
        d => Before(d, DeepSpeedGroupedGathers, Unfused(GpuSoftware.Modern).WithDeepSpeed2021Zero3(),
            Before(d, FlashInDeepSpeed, Unfused(GpuSoftware.Modern), AmpereAttention(GpuSoftware.Modern))).WithDeepSpeedPipeline().WithCrossEntropy(CrossEntropyKernel.MegatronUnfused))
    { FirstRelease = new(2020, 2, 1), FirstReleaseSource = "open-sourced with the ZeRO & DeepSpeed post, Microsoft Research blog, 2020-02-10" };

    public static TrainingFramework Fsdp { get; } = new("fsdp",
        "PyTorch FSDP (llm-foundry, metaseq): full sharding, prefetched gathers, overlapped reduce-scatter; since 2022-03 eager PyTorch kernels, FP8 through Transformer Engine linears, flash-attn's fused cross entropy",
        ["llm-foundry", "composer", "metaseq", "fairscale"],
        d => Before(d, TorchFsdp, GpuSoftware.Megatron2021.WithCrossEntropy(CrossEntropyKernel.Fp32Copy), EagerTorch(Before(d, TorchSdpa, Unfused(GpuSoftware.Modern), TorchAttention(d, GpuSoftware.Modern)), Fp8Casts.TransformerEngineLinear, CrossEntropyKernel.FlashXentropy)),
        PreferredZeroStage: 3)
    { FirstRelease = new(2021, 2, 1), FirstReleaseSource = "FullyShardedDataParallel first released in FairScale 0.3.0, 2021-02-22 (FairScale CHANGELOG)" };

    public static TrainingFramework Torchtitan { get; } = new("torchtitan",
        "torchtitan (PyTorch-native FSDP2, TP, PP, CP): eager PyTorch kernels unless compiled, FP8 by torchao dynamic scaling, the loss op by op over fp32 logits", [],
        _ => EagerTorch(AmpereAttention(GpuSoftware.Modern), Fp8Casts.Dynamic, CrossEntropyKernel.Fp32LogSoftmax).WithOpSelectiveRecompute(), PreferredZeroStage: 3)
    { FirstRelease = new(2024, 4, 1), FirstReleaseSource = "pre-release of 2024-04-18 (pytorch/torchtitan PR #254)" };

    public static TrainingFramework Jax { get; } = new("jax",
        "JAX/XLA (MaxText, Pax, T5X): asynchronous collectives under compute",
        ["maxtext", "pax", "t5x"],
        d => Before(d, PallasFlash, Unfused(GpuSoftware.Modern), GpuSoftware.Modern).WithXlaBuffers().WithCrossEntropy(CrossEntropyKernel.Fp32Copy))
    { FirstRelease = new(2018, 12, 1), FirstReleaseSource = "the first public JAX release, December 2018 (google/jax)" };

    public static TrainingFramework Neuron { get; } = new("neuron",
        "AWS Neuron distributed training (NxD): Megatron-style, fused attention, overlapped reduction", ["nxd"],
        _ => GpuSoftware.Modern.WithCrossEntropy(CrossEntropyKernel.Fp32Copy))
    { FirstRelease = new(2022, 10, 1), FirstReleaseSource = "Neuron SDK 2.3.0 with Trn1 general availability, 2022-10-10, the first Neuron release that trains" };

    /// <summary>
    /// DeepSeek's HAI-LLM as DeepSeek-V3 used it (arXiv 2412.19437, Sec. 3.2): node-limited
    /// routing with hierarchical FP8 dispatch and DualPipe (<see cref="MoeDispatch.DeepSeekV3"/>).
    /// The other stacks default to the flat exchange (Megatron-Core's all-to-all token dispatcher).
    /// </summary>
    public static TrainingFramework HaiLlm { get; } = new("hai-llm",
        "DeepSeek HAI-LLM (DeepSeek-V3): node-limited expert routing, FP8 dispatch, DualPipe", ["deepseek"],
        _ => GpuSoftware.Modern.WithMoeDispatch(MoeDispatch.DeepSeekV3).WithCrossEntropy(CrossEntropyKernel.Fp32Copy))
    { FirstRelease = new(2023, 11, 1), FirstReleaseSource = "DeepSeek LLM, released 2023-11-29, the first model said to be trained with it (arXiv 2401.02954)" };

    public static IReadOnlyList<TrainingFramework> All { get; } = [MegatronLm, MegatronCore, DeepSpeed, Fsdp, Torchtitan, Jax, Neuron, HaiLlm, MegatronBridge, Nemo];

    /// <summary>Every accepted name, canonical names first.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(f => f.Name), .. All.SelectMany(f => f.Aliases)];

    /// <summary>The framework of this name or alias (case-insensitive); null if none.</summary>
    public static TrainingFramework? Find(string name) =>
        All.FirstOrDefault(f => f.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase)
            || f.Aliases.Any(a => a.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase)));

    /// <summary>The framework of this name; a message listing the known names otherwise.</summary>
    public static TrainingFramework Parse(string name) =>
        Find(name) ?? throw new FormatException($"unknown framework '{name}'; known: {string.Join(", ", Names)}");

    /// <summary>The mainstream stack of a date's era when no framework is named: Megatron-LM before 2023, Megatron-Core since and when the date is unknown.</summary>
    public static TrainingFramework Mainstream(DateOnly? date) =>
        date is { } d && d < new DateOnly(2023, 1, 1) ? MegatronLm : MegatronCore;

    /// <summary>A release month written YYYY-MM (2021-04), as the CSV column and the option take it.</summary>
    public static bool TryParseMonth(string text, out DateOnly month) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out month);

    public override string ToString() => Name;
}
