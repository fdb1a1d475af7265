namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// What the training framework does that the hardware does not decide: whether attention runs
/// as one fused kernel (FlashAttention, xformers, cuDNN fused attention), whether the
/// data-parallel gradient reduction is bucketed and overlapped with the backward pass, whether
/// the pipeline schedule can interleave model chunks, and in what precision gradients are
/// accumulated and reduced; whether its elementwise work runs as fused kernels or op by op
/// (eager PyTorch), and how it produces FP8 GEMM inputs (<see cref="Gpu.ElementwiseKernels"/>);
/// the loss kernel it runs over the logits (<see cref="CrossEntropyKernel"/>: bytes held and moved per logit).
/// </summary>
public sealed record GpuSoftware(
    bool FusedAttention = true,
    bool OverlapGradientReduction = true,
    double HostSecondsPerLayerForward = GpuSoftware.EagerLayerForwardS,
    bool InterleavedSchedule = true,
    bool GradientsInFp32 = true,
    int Zero3PrefetchLayers = GpuSoftware.FsdpPrefetchLayers,
    double Zero3SyncPerTensorS = 0,
    bool TensorParallelOverlap = false,
    bool Fp8ParamGather = false,
    bool EagerKernels = false,
    Fp8Casts Fp8Casts = Fp8Casts.TransformerEngine,
    MoeDispatch? Moe = null,
    bool PerChunkGradientReduction = true,
    AttentionKernel AttentionKernel = AttentionKernel.Native,
    bool OpSelectiveRecompute = false,
    bool XlaBuffers = false)
{
    /// <summary>The cross-entropy kernel the stack runs (<see cref="Catalog.CrossEntropyKernel"/>): Megatron's op by op, today's Megatron-Core default, unless the stack names another.</summary>
    public CrossEntropyKernel CrossEntropy { get; init; } = CrossEntropyKernel.MegatronUnfused;

    /// <summary>How expert-parallel tokens travel (<see cref="Catalog.MoeDispatch"/>); the flat exchange unless the stack says otherwise.</summary>
    public MoeDispatch MoeDispatch => Moe ?? MoeDispatch.Flat;

    /// <summary>
    /// ZeRO-3 parameter all-gathers a current stack keeps in flight ahead of the layer computing:
    /// one. FSDP issues the next unit's all-gather while the current one computes, and its rate
    /// limiter (<c>limit_all_gathers</c>) holds at most two gathered units (PyTorch FSDP docs;
    /// Zhao et al. 2023, "PyTorch FSDP", Sec. 4); DeepSpeed stage 3 prefetches along its trace.
    /// 0 means every gather waits for the layer before it (no overlap).
    /// </summary>
    public const int FsdpPrefetchLayers = 1;

    /// <summary>
    /// DeepSpeed stage 3 as of mid-2021 (v0.3–0.4): one all-gather per parameter tensor, each
    /// followed by a device synchronisation. Derived from DeepSpeed issue #1174 (8 A100s with
    /// NVLink, a 64-layer 5B BERT of 16 parameter tensors per layer): the forward took 480 ms
    /// under ZeRO-3 against 60 ms under ZeRO-2, (480 − 60)/(64·16) = 0.41 ms per tensor, in line
    /// with the "about 0.5 ms" per parameter all-gather profiled in issue #1069. PR #1188
    /// (September 2021) grouped a module's gathers into one.
    /// </summary>
    public const double DeepSpeed2021SyncPerTensorS = 0.41e-3;

    /// <summary>
    /// CPU time to issue one transformer layer's forward kernels in eager PyTorch (Megatron-LM:
    /// about 40 kernels and autograd records per layer at ~20 µs each). Backward issues twice
    /// as many, recompute repeats the forward. When the GPU work of a layer is shorter, the layer
    /// runs at the host's pace. An estimate from that count; a device whose catalog has a fitted
    /// <c>launch_s</c> (the A100, fitted by <c>wafer calibrate</c> to the vTrain single-node runs)
    /// uses that instead.
    /// </summary>
    public const double EagerLayerForwardS = 0.8e-3;

    /// <summary>A current stack (Megatron-Core, NeMo, DeepSpeed, FSDP since 2023): fused attention, bucketed overlapped reduction.</summary>
    public static GpuSoftware Modern { get; } = new();

    /// <summary>
    /// Megatron-LM as used in 2021–2022 (Narayanan et al. 2021; Korthikanti et al. 2022) and
    /// Megatron-DeepSpeed: attention scores materialised in HBM (fused scale-mask-softmax
    /// kernel, dropout), gradients all-reduced after the backward pass without bucketing.
    /// </summary>
    public static GpuSoftware Megatron2021 { get; } = new(FusedAttention: false, OverlapGradientReduction: false);

    /// <summary>
    /// DeepSpeed's pipeline engine (deepspeed/runtime/pipe: PipelineEngine, TrainSchedule), as
    /// used by Megatron-DeepSpeed (MT-NLG, BLOOM) and GPT-NeoX, on top of a given attention
    /// kernel: plain 1F1B (TrainSchedule), no interleaved schedule; gradients reduced by the
    /// ReduceGrads step after the pipeline flush, and DeepSpeed's <c>overlap_comm</c> is off by
    /// default for ZeRO stages 0–2, so the reduction is not overlapped with the backward pass.
    /// Pipeline sends are partitioned over the model-parallel ranks (<c>is_pipe_partitioned</c>),
    /// as Megatron's scatter/gather, so they cost the same.
    /// </summary>
    public GpuSoftware WithDeepSpeedPipeline() =>
        this with { OverlapGradientReduction = false, InterleavedSchedule = false };

    /// <summary>
    /// Gradients accumulated and reduced in bf16, not fp32: Megatron-Core's
    /// <c>grad_reduce_in_fp32 = False</c>, as NVIDIA's Megatron-Bridge performance recipes set it
    /// (Megatron-LM itself switches fp32 accumulation on whenever it trains in bf16).
    /// </summary>
    public GpuSoftware WithBf16GradientReduction() => this with { GradientsInFp32 = false };

    /// <summary>
    /// Megatron-Core's <c>tp_comm_overlap</c> (Transformer Engine userbuffers): with sequence
    /// parallelism, each layer's all-gathers and reduce-scatters are split into chunks and
    /// pipelined with the GEMMs beside them, forward and backward. Off in Megatron-LM by default;
    /// NVIDIA's Megatron-Bridge performance recipes switch it on.
    /// </summary>
    public GpuSoftware WithTensorParallelOverlap() => this with { TensorParallelOverlap = true };

    /// <summary>
    /// Megatron-Core's <c>fp8_param_gather</c>: with FP8 GEMMs the linear layers' parameters are
    /// kept as FP8 tensors (value and transpose, 1 byte each) instead of a 16-bit copy beside
    /// FP8 caches, and the data-parallel all-gather moves them at 1 byte; fp32 master weights
    /// stay in the optimizer.
    /// </summary>
    public GpuSoftware WithFp8ParamGather() => this with { Fp8ParamGather = true };

    /// <summary>
    /// ZeRO stage 3 as DeepSpeed ran it before PR #1188 (2021): parameters gathered one tensor at
    /// a time, each gather synchronised (<see cref="DeepSpeed2021SyncPerTensorS"/>) and nothing
    /// prefetched, so no gather overlaps compute.
    /// </summary>
    public GpuSoftware WithDeepSpeed2021Zero3() => this with { Zero3PrefetchLayers = 0, Zero3SyncPerTensorS = DeepSpeed2021SyncPerTensorS };

    /// <summary>
    /// The model code run op by op by PyTorch's eager mode (no <c>torch.compile</c>, no fused
    /// kernels): every norm, rotary, activation and residual op is its own kernel with its own HBM
    /// round trip and its own launch (<see cref="Gpu.ElementwiseKernels"/>).
    /// </summary>
    public GpuSoftware WithEagerKernels(bool eager = true) => this with { EagerKernels = eager };

    /// <summary>
    /// One reduction window per virtual stage: with an interleaved schedule and overlapped
    /// reduction, each model chunk's gradients are reduced as soon as its last backward ends
    /// (Megatron-Core's <c>overlap_grad_reduce</c> does this with a virtual pipeline: a
    /// bucket group per model chunk). Off: one reduction after the whole backward, as a stack
    /// that buckets the model as one piece.
    /// </summary>
    public GpuSoftware WithoutPerChunkGradientReduction() => this with { PerChunkGradientReduction = false };

    /// <summary>
    /// Expert dispatch as DeepSeek-V3's stack runs it (node-limited routing, FP8 dispatch, DualPipe;
    /// <see cref="MoeDispatch.DeepSeekV3"/>), or any other combination.
    /// </summary>
    public GpuSoftware WithMoeDispatch(MoeDispatch dispatch) => this with { Moe = dispatch };

    /// <summary>Selective recompute checkpointed by op (torchtitan's <c>selective_ac_option = 'op'</c>): every
    /// second matmul of a layer and all its elementwise ops recomputed (<see cref="Gpu.OpSelectiveRecompute"/>).</summary>
    public GpuSoftware WithOpSelectiveRecompute() => this with { OpSelectiveRecompute = true };

    /// <summary>The loss by the given cross-entropy kernel (<see cref="Catalog.CrossEntropyKernel"/>).</summary>
    public GpuSoftware WithCrossEntropy(CrossEntropyKernel kernel) => this with { CrossEntropy = kernel };

    /// <summary>Fused attention by the given kernel generation (FlashAttention-2 or the first generation instead of the device's own): <see cref="AttentionKernels"/>.</summary>
    public GpuSoftware WithAttentionKernel(AttentionKernel kernel) => this with { AttentionKernel = kernel };

    /// <summary>The step's memory as XLA lays it out (JAX: MaxText, Pax, T5X): every buffer is assigned when the step is compiled,
    /// collectives' buffers included, so there is no caching allocator's reserved-but-unused slack and no communicator buffers beside
    /// the program (<see cref="Gpu.DeviceMemory.FixedBuffersGb"/>, <see cref="Gpu.DeviceMemory.FragmentationShare"/> do not apply).</summary>
    public GpuSoftware WithXlaBuffers() => this with { XlaBuffers = true };

    public string Describe() =>
        (!FusedAttention ? "attention scores materialised in HBM (softmax, dropout memory-bound)"
            : AttentionKernel == AttentionKernel.AmpereMma ? "fused (flash) attention by a FlashAttention-2-class kernel (Ampere mma.sync; about a third of peak on Hopper): no s×s scores in HBM"
            : AttentionKernel == AttentionKernel.FlashV1 ? "fused (flash) attention by a first-generation kernel (PyTorch 2.0–2.1 SDPA, FlashAttention in Triton; 1.4×/2× slower than FlashAttention-2 forward/backward): no s×s scores in HBM"
            : "fused (flash) attention: no s×s scores in HBM")
        + $"; host issues a layer forward in {HostSecondsPerLayerForward * 1e3:0.##} ms (launch-bound below that)"
        + "; " + (OverlapGradientReduction ? "data-parallel gradient reduction bucketed and overlapped with backward" : "data-parallel gradient reduction after backward, not overlapped")
        + (InterleavedSchedule ? "" : "; pipeline engine without an interleaved schedule")
        + (GradientsInFp32 ? "" : "; bf16 gradients reduced in bf16")
        + (TensorParallelOverlap ? "; tensor-parallel collectives pipelined with the GEMMs (tp_comm_overlap)" : "")
        + (EagerKernels ? "; eager PyTorch: elementwise ops unfused, one kernel and one HBM round trip each" : "")
        + (OpSelectiveRecompute ? "; selective recompute by op (torchtitan): every second matmul of a layer and its elementwise ops recomputed" : "")
        + (Fp8Casts == Fp8Casts.TransformerEngine ? "" : Fp8Casts == Fp8Casts.Dynamic ? "; FP8, when used, by dynamic scaling (amax pass, then cast, weights every micro-batch)" : "; FP8, when used, by Transformer Engine linears (weights cast every micro-batch)")
        + (XlaBuffers ? "; buffers assigned by XLA when the step compiles (no allocator slack or communicator buffers)" : "")
        + (Fp8ParamGather ? "; FP8 parameters gathered at 1 byte, no 16-bit weight copy (fp8_param_gather)" : "")
        + (MoeDispatch == MoeDispatch.Flat ? "" : "; MoE dispatch: " + MoeDispatch.Describe())
        + (CrossEntropy == CrossEntropyKernel.MegatronUnfused ? ""
            : $"; cross entropy by {CrossEntropy.Name}: holds {CrossEntropy.HeldBytesPerLogit:0.#} B and moves {CrossEntropy.ForwardBytesPerLogit:0.#} + {CrossEntropy.BackwardBytesPerLogit:0.#} B per logit")
        + (Zero3PrefetchLayers == FsdpPrefetchLayers && Zero3SyncPerTensorS == 0 ? ""
            : "; ZeRO-3 gathers " + (Zero3PrefetchLayers > 0 ? $"prefetched {Zero3PrefetchLayers} layers ahead" : "not prefetched")
              + (Zero3SyncPerTensorS > 0 ? $", one synchronised gather per parameter tensor ({Zero3SyncPerTensorS * 1e3:0.##} ms each)" : ""));
}
