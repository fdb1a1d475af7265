using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Energy;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// One training step of one layout, assembled from per-layer times. In 1F1B the steady state
/// runs m micro-batches at the pace of the slowest stage (the one with the most layers, or the
/// last one, which also runs the logit layer and the loss); fill and drain add the bubble at
/// the mean stage time; then the exposed data-parallel synchronisation and the optimizer step.
/// </summary>
sealed class StepModel : EstimateText
{
    readonly TrainingJob job;
    readonly GpuCluster system;
    readonly int devices;
    readonly Layout l;
    readonly GpuSoftware sw;
    readonly ModelPartition part;
    readonly int microBatches;
    readonly bool dualPipe;
    EconomicAssumptions economics = EconomicAssumptions.Default;

    // Built once: one estimate per planner candidate must not format constant text.
    static readonly string[] RecomputeDescriptions =
        Enum.GetValues<Recompute>().Select(r => $"activation recomputation ({r.ToString().ToLowerInvariant()})").ToArray();

    /// <summary>
    /// Per-micro-batch seconds of one stage, by breakdown part, and the wall time of its forward
    /// pass (launch waits included); the backward's wall time (recomputation and its launch waits
    /// included) is the rest, less the pipeline sends.
    /// </summary>
    readonly record struct StageTime(double Compute, double Recompute, double Other, double LaunchWait, double Tp, double Cp, double Ep, double Pp, double ForwardWallS, double WeightGradS, double Offload = 0)
    {
        public double Total => Compute + Recompute + Other + LaunchWait + Tp + Cp + Ep + Pp + Offload;
        public double BackwardWallS => Total - Pp - ForwardWallS;
    }

    public StepModel(TrainingJob job, GpuCluster system, int devices, Layout layout, GpuSoftware sw)
    {
        (this.job, this.system, this.devices, l, this.sw) = (job, system, devices, layout, sw);
        part = new ModelPartition(job.Model, ParameterCounts.Of(job.Model), layout);
        microBatches = LayoutRules.MicroBatches(job, layout);
        eightBitGemms = MatmulEfficiency.RunsEightBit(system.Device, job.Precision);
        dualPipe = PipelineSchedule.IsDualPipe(layout, sw);
        // A launch cost fitted for the device (catalog launch_s) replaces the stack's default.
        // That cost is per layer of Megatron's fused kernels; a stack launching more kernels per
        // layer (eager PyTorch, FP8 casts) takes proportionally longer (ElementwiseKernels).
        hostForwardS = (system.Device.LaunchS?.Value ?? sw.HostSecondsPerLayerForward) * LaunchScale(job.Model, sw, eightBitGemms);
    }

    /// <summary>Kernels this stack launches per layer over those of Megatron's fused layer, whose launch cost the catalog holds.</summary>
    static double LaunchScale(ModelSpec m, GpuSoftware sw, bool eightBitGemms)
    {
        Fp8Casts? fp8 = eightBitGemms ? sw.Fp8Casts : null;
        Fp8Casts? fp8Reference = fp8 is null ? null : Fp8Casts.TransformerEngine;
        return (double)ElementwiseKernels.KernelsPerLayer(m, sw.FusedAttention, sw.EagerKernels, fp8)
            / ElementwiseKernels.KernelsPerLayer(m, sw.FusedAttention, false, fp8Reference);
    }

    /// <summary>Seconds the host takes to launch one layer's forward kernels.</summary>
    readonly double hostForwardS;

    /// <summary>The device runs this job's GEMMs on 8-bit inputs (FP8 asked for and supported).</summary>
    readonly bool eightBitGemms;

    /// <summary>
    /// What every stage reads per layer (dense, MoE and logit layer), worked out once per estimate:
    /// <see cref="Stage"/> runs three times per candidate, thousands of times per plan.
    /// </summary>
    readonly record struct PerLayer(
        bool HasMoe,
        (double Compute, double Elementwise, double Comm) DenseRcParts, (double Compute, double Elementwise, double Comm) MoeRcParts,
        ByLayer Rc, ByLayer Compute, ByLayer Other, ByLayer Tp, ByLayer Cp, ByLayer Ep,
        FwdBwd DenseAll, FwdBwd MoeAll, double LogitForward, ByLayer WeightGrad,
        FwdBwd Sync, ByLayer ForwardWait, ByLayer Offload);

    /// <summary>One per-layer quantity of a dense layer, an MoE layer and the logit layer (none for what only transformer layers have).</summary>
    readonly record struct ByLayer(double Dense, double Moe, double Logit = 0);

    PerLayer PerLayerOf(in LayerTime dense, bool hasMoe, in LayerTime moe, in LayerTime logit, double offloadCopyS)
    {
        var denseRcParts = dense.Recompute(l.Recompute, sw.FusedAttention);
        var moeRcParts = hasMoe ? moe.Recompute(l.Recompute, sw.FusedAttention) : default;
        static double Total((double Compute, double Elementwise, double Comm) r) => r.Compute + r.Elementwise + r.Comm;
        // Launch-bound layers: each pass takes the longer of its GPU time and the host's time to
        // issue it: 1 forward, 2 forwards' worth for the backward (+1 for a recompute, which runs
        // inside the backward; see Stage). Per pass, so that both windows the data-parallel sync
        // hides under are wall times and only shrink when the hardware gets faster.
        var (denseAll, moeAll) = (dense.All, moe.All);
        // An MoE layer's host sync (MoeHostSync) adds its own waits, in its forward and again in its recompute.
        var sync = hasMoe ? moe.HostWait : default;
        bool offload = offloadCopyS > 0;
        return new PerLayer(hasMoe, denseRcParts, moeRcParts,
            Rc: new(Total(denseRcParts), hasMoe ? Total(moeRcParts) : 0),
            Compute: new(dense.Compute.Total, moe.Compute.Total, logit.Compute.Total),
            Other: new(dense.Elementwise.Total, moe.Elementwise.Total, logit.Elementwise.Total),
            Tp: new(dense.Tp.Total, moe.Tp.Total, logit.Tp.Total),
            Cp: new(dense.Cp.Total, moe.Cp.Total, logit.Cp.Total),
            Ep: new(dense.Ep.Total, moe.Ep.Total, logit.Ep.Total),
            denseAll, moeAll, logit.All.Forward,
            // The weight-gradient GEMMs: half of the backward GEMMs (dW and dX have the same FLOPs).
            WeightGrad: new(dense.Gemm.Backward / 2, moe.Gemm.Backward / 2, logit.Gemm.Backward / 2),
            sync,
            ForwardWait: new(Math.Max(0, hostForwardS - denseAll.Forward), Math.Max(sync.Forward, hostForwardS - moeAll.Forward)),
            Offload: offload
                ? new(ActivationOffload.ExposedPerLayer(offloadCopyS, denseAll.Forward, denseAll.Backward), ActivationOffload.ExposedPerLayer(offloadCopyS, moeAll.Forward, moeAll.Backward))
                : default);
    }

    /// <summary>One stage's time per micro-batch; <paramref name="recomputed"/> of its layers are recomputed in full when the layout recomputes in full (all of them unless partial);
    /// <paramref name="offloaded"/> of them copy their activations to host memory and back (<see cref="ActivationOffload"/>).</summary>
    /// <remarks>Written without delegates: the planner calls it three times per candidate, thousands of times per plan.</remarks>
    StageTime Stage(double layers, double recomputed, bool logits, in PerLayer p, double p2p, double offloaded = 0)
    {
        double moeLayers = layers * part.MoeShare, denseLayers = layers - moeLayers;
        bool full = l.Recompute == Workload.Recompute.Full;
        double recomputedShare = full && layers > 0 ? recomputed / layers : 1;
        var mix = new StageMix(denseLayers, moeLayers, p.HasMoe, logits);
        double compute = mix.Sum(p.Compute);
        double hostBackward = hostForwardS * (2 + (full ? recomputedShare : 0));
        double syncBackward = p.Sync.Backward + recomputedShare * (full ? p.Sync.Forward : 0);
        double forwardWaits = mix.Waits(p.ForwardWait);
        double backwardWaits = mix.Waits(
            Math.Max(0, hostBackward - p.DenseAll.Backward - recomputedShare * p.Rc.Dense),
            Math.Max(syncBackward, hostBackward - p.MoeAll.Backward - recomputedShare * p.Rc.Moe));
        // DualPipe sends a chunk's activations while another micro-batch's chunk computes.
        if (dualPipe)
        {
            double computing = compute + recomputedShare * mix.Waits(p.DenseRcParts.Compute, p.MoeRcParts.Compute);
            p2p = DataParallelSync.Overlapped(p2p, computing) - computing;
        }
        return new StageTime(
            Compute: compute,
            Recompute: recomputedShare * mix.Waits(p.Rc),
            Other: mix.Sum(p.Other),
            LaunchWait: forwardWaits + backwardWaits,
            Tp: mix.Sum(p.Tp),
            Cp: mix.Sum(p.Cp),
            Ep: mix.Sum(p.Ep),
            Pp: p2p,
            ForwardWallS: mix.Sum(new ByLayer(p.DenseAll.Forward, p.MoeAll.Forward, p.LogitForward)) + forwardWaits,
            WeightGradS: mix.Sum(p.WeightGrad),
            Offload: offloaded > 0 ? offloaded / layers * mix.Waits(p.Offload) : 0);
    }

    /// <summary>How a stage weighs its dense layers, its MoE layers and (on the last stage) the logit layer.</summary>
    readonly record struct StageMix(double DenseLayers, double MoeLayers, bool HasMoe, bool Logits)
    {
        /// <summary>A per-layer quantity over the stage's layers and its logit layer.</summary>
        public double Sum(in ByLayer x) => DenseLayers * x.Dense + (HasMoe ? MoeLayers * x.Moe : 0) + (Logits ? x.Logit : 0);

        /// <summary>A per-layer quantity over the stage's transformer layers only.</summary>
        public double Waits(in ByLayer x) => Waits(x.Dense, x.Moe);

        public double Waits(double dense, double moe) => DenseLayers * dense + (HasMoe ? MoeLayers * moe : 0);
    }

    /// <summary>The breakdown's parts, in the order every view lists them.</summary>
    static readonly StepPartKind[] PartOrder =
    [
        StepPartKind.Compute, StepPartKind.Recompute, StepPartKind.TpComm, StepPartKind.PpComm, StepPartKind.DpComm,
        StepPartKind.CpComm, StepPartKind.EpComm, StepPartKind.Bubble, StepPartKind.Optimizer, StepPartKind.Other, StepPartKind.LaunchWait,
    ];

    /// <summary>The parts with activation offload, which only layouts with offload=N list.</summary>
    static readonly StepPartKind[] PartOrderWithOffload = [.. PartOrder, StepPartKind.Offload];

    /// <summary>
    /// The estimate with numbers only. The step model stays behind it as its <see cref="EstimateText"/>:
    /// when a view reads the words, it runs once more on the same inputs with its text switched on
    /// (the model is pure, so the words quote the estimate's own numbers).
    /// </summary>
    public Estimate ToEstimate(EconomicAssumptions economics)
    {
        this.economics = economics;
        return Run(economics, this, out _);
    }

    protected override EstimateWords Describe()
    {
        Run(economics, null, out var words);
        return words!;
    }

    public override string? Reason(Estimate estimate) =>
        HostFits(estimate.Memory) ? MemoryAdvice(estimate.Memory, l, OffloadThatFits(estimate.Memory))
        : $"the activations offloaded to host memory need {estimate.Memory.HostGb:0.0} GB per device of the host's {system.Device.HostMemoryGb!.Value:0} GB " +
          $"(offload={l.OffloadLayers} layers per stage); offload fewer layers or add recomputation";

    /// <summary>
    /// What <see cref="Reason"/> turns on besides numbers: the host memory, or the part that
    /// overflows and what <see cref="MemoryHints.For"/> reads of the layout to choose its hints.
    /// </summary>
    sealed record ShortfallKind(bool Host, string? Part, Recompute Recompute, bool PartialRecompute, bool OffloadFits, bool Offloads,
        bool SeveralSequences, bool CanShard, int ZeroStage) : InfeasibilityKind;

    /// <summary>Every layout whose offloaded activations overflow the host memory has the same kind of reason.</summary>
    static readonly ShortfallKind HostShortfall = new(true, null, default, false, false, false, false, false, 0);

    internal override InfeasibilityKind? ReasonKind(Estimate estimate) =>
        !HostFits(estimate.Memory) ? HostShortfall
        : new ShortfallKind(false, estimate.Memory.LargestPart.Name, l.Recompute, l.PartialRecompute, OffloadThatFits(estimate.Memory) is not null,
            l.OffloadLayers > 0, l.MicroBatch > 1, l.ShardSize > 1, l.ZeroStage);

    /// <summary>The offloaded activations fit the host memory per device, where the catalog knows it.</summary>
    bool HostFits(MemoryBreakdown memory) => l.OffloadLayers == 0 || system.Device.HostMemoryGb is not { } host || memory.HostGb <= host.Value;

    /// <summary>One pass of the model. With <paramref name="text"/> no text is formatted; without, <paramref name="words"/> holds every description.</summary>
    Estimate Run(EconomicAssumptions economics, EstimateText? text, out EstimateWords? words)
    {
        bool describe = text is null;
        var m = job.Model;
        var a = system.Device;
        var net = new Collectives(system);
        var dense = LayerTime.For(m, false, job, l, system, net, sw);
        bool hasMoe = m.Moe is not null;
        var moe = hasMoe ? LayerTime.For(m, true, job, l, system, net, sw, hostForwardS) : default;
        var logit = LayerTime.OutputHeads(m, job, l, system, hasMoe ? moe : dense, sw.CrossEntropy);

        // Pipeline transfers: activations of b·s/cp tokens (split over tp with sequence parallelism or
        // Megatron's scatter/gather), over NVLink when adjacent stages share a domain, else the network.
        int stageStride = l.Tp * l.Cp * l.Dp;
        bool ppCrossDomain = l.Pp > 1 && (long)stageStride * l.Pp > system.ScaleUpDomain;
        double p2pBytes = 2.0 * l.MicroBatch * job.SeqLen / l.Cp * m.Hidden / l.Tp;
        double p2p = PipelineSchedule.TransfersPerMicroBatch(l.Pp, l.Vpp) * net.SendRecv(p2pBytes, ppCrossDomain);

        // Offloaded activations: one layer's stored bytes of one micro-batch, each way over the host link.
        int offload = l.OffloadLayers;
        double offloadCopyS = offload > 0
            ? ActivationOffload.CopySeconds(ActivationMemory.PerLayer(m, DeviceMemory.EffectiveFfn(m), job.SeqLen, (double)l.MicroBatch * job.SeqLen / l.Cp,
                l.Tp, l.SequenceParallel, l.Recompute, sw.FusedAttention, eightBitGemms), a.HostLinkGBps!.Value)
            : 0;
        var perLayer = PerLayerOf(dense, hasMoe, moe, logit, offloadCopyS);
        var widest = Stage(part.MaxLayersPerStage, l.RecomputedLayers(part.MaxLayersPerStage), l.Pp == 1, perLayer, p2p, offload);
        var last = Stage(part.LastStageLayers, l.RecomputedLayers(part.LastStageLayers), true, perLayer, p2p, offload);
        bool lastIsSlowest = l.Pp > 1 && last.Total > widest.Total;
        var slowest = lastIsSlowest ? last : widest;
        double recomputedInAll = l.RecomputedLayers(m.Layers, l.Pp);
        var everything = Stage(m.Layers, recomputedInAll, true, perLayer, p2p * l.Pp, (double)offload * l.Pp);
        double meanStage = everything.Total / l.Pp;
        double bubble = dualPipe
            ? PipelineSchedule.DualPipeBubbleSeconds(l.Pp, everything.ForwardWallS / l.Pp, everything.BackwardWallS / l.Pp, everything.WeightGradS / l.Pp)
            : PipelineSchedule.BubbleSeconds(l.Pp, l.Vpp, meanStage);

        double gradBytes = DeviceMemory.GradientBytes(job.Precision, sw);
        var dp = DataParallelSync.Of(part, l, microBatches, gradBytes, net,
            slowest.BackwardWallS, slowest.ForwardWallS, sw, sw.Fp8ParamGather && eightBitGemms, describe);
        double optimizer = OptimizerStep.Seconds(part, l, a);

        int mb = microBatches;
        double compute = mb * slowest.Compute, recompute = mb * slowest.Recompute, other = mb * slowest.Other;
        double[] seconds = [compute, recompute, mb * slowest.Tp, mb * slowest.Pp, dp.ExposedSeconds,
            mb * slowest.Cp, mb * slowest.Ep, bubble, optimizer, other, mb * slowest.LaunchWait];
        if (offload > 0) seconds = [.. seconds, mb * slowest.Offload];
        var breakdown = new StepBreakdown(offload > 0 ? PartOrderWithOffload : PartOrder, seconds, text);
        double step = breakdown.Total;

        double tokensPerStep = job.TokensPerStep;
        double tokensPerS = tokensPerStep / step;
        double modelFlops = TransformerArithmetic.ModelFlopsPerToken(m, part.Params, job.SeqLen) * tokensPerS / devices;
        // A JAX remat policy redoes its own share (RematPolicy), not Megatron's whole forward.
        double hwFlops = (l.Remat is { } remat
            ? TransformerArithmetic.ModelFlopsPerToken(m, part.Params, job.SeqLen) + remat.RecomputeFlopsPerToken(m, part.Params, job.SeqLen, sw.FusedAttention)
            : TransformerArithmetic.HardwareFlopsPerToken(m, part.Params, job.SeqLen, l.Recompute,
                l.Recompute == Recompute.Full ? recomputedInAll / m.Layers : 1)) * tokensPerS / devices;
        double peak16 = a.PeakTflops16.Value * 1e12;

        var mem = DeviceMemory.Of(part, job, l, microBatches, sw, eightBitGemms, a.HbmGb.Value, text);

        double steps = job.Steps;
        double hours = steps * step / 3600;
        // Busy kernels draw the power limit: the TDP, or the operator's cap, which the clock is lowered to meet.
        // Exposed communication, bubbles, launch waits and a stage's wait for the slowest stage leave the math
        // units idle: idle power. Each stage is busy for its own kernels, so the devices' busy seconds add up
        // over the stages; every layer runs on one stage, so that sum is the work of all layers (the logit
        // layer once) plus each stage's own optimizer update. The slowest stage's busy time alone would jump
        // when faster links change which stage is slowest.
        double busyOverStages = mb * everything.Compute + mb * everything.Recompute + mb * everything.Other
            + OptimizerStep.Seconds(part.WeightsOverStages, l, a);
        double busy = DevicePower.BusyShare(busyOverStages, l.Pp, step);
        double deviceW = DevicePower.Watts(a.IdleW.Value, a.PowerLimit, busy);
        var energy = RunEnergy.For(devices, deviceW, system.Nodes(devices), system.NodeOverheadW.Value, hours, system.PricePerDeviceHour, economics, describe: describe);

        // An evaluation iteration: the global batch forward only, at the slowest stage's forward pace with its forward
        // sends, plus the pipeline fill at the mean stage's forward; no backward, gradient sync or optimizer.
        double evalStep = mb * (slowest.ForwardWallS + slowest.Pp / 2) + (l.Pp - 1.0) / l.Vpp * everything.ForwardWallS / l.Pp;
        double evaluationDays = economics.Evaluations.Seconds(steps, evalStep) / 86400;
        var goodput = Reliability.Goodput.For(hours / 24, devices, part.Params.Total, economics.Failures, evaluationDays);
        var estimate = new Estimate
        {
            Job = job, SystemId = system.Id, DeviceName = a.Name, Devices = devices, Layout = l, ExecutionMode = ExecutionMode.ThreeDParallel,
            Feasible = mem.Breakdown.Fits && HostFits(mem.Breakdown), StepTimeS = step, Breakdown = breakdown, TokensPerS = tokensPerS,
            ModelTflopsPerDevice = modelFlops / 1e12, HardwareTflopsPerDevice = hwFlops / 1e12, Mfu = modelFlops / peak16, Hfu = hwFlops / peak16,
            Memory = mem.Breakdown, TimeToTrainDays = hours / 24, DeviceHours = hours * devices, AveragePowerKw = energy.AveragePowerKw,
            EnergyMwh = energy.EnergyMwh, CostUsd = energy.CostUsd, Co2Tonnes = energy.Co2Tonnes, Goodput = goodput, Text = text, BusyShare = busy,
        };
        words = describe ? WriteWords(estimate, new RunFacts(dp, ppCrossDomain, meanStage, gradBytes, deviceW, busy, energy, goodput, net,
            slowest, lastIsSlowest, evalStep, evaluationDays)) : null;
        return estimate;
    }

    /// <summary>What one pass of the model worked out on the way, for its words.</summary>
    readonly record struct RunFacts(DataParallelSync.Result Dp, bool PpCrossDomain, double MeanStage, double GradBytes, double DeviceW, double Busy,
        RunEnergy Energy, Reliability.Goodput Goodput, Collectives Net, StageTime Slowest, bool LastIsSlowest, double EvalStepS, double EvaluationDays);

    /// <summary>Every description of the estimate: the parts' and memory's descriptions, the bottleneck and the assumptions.</summary>
    EstimateWords WriteWords(Estimate e, RunFacts f)
    {
        var (dp, ppCrossDomain, meanStage, gradBytes, deviceW, busy, energy, goodput, net, slowest, lastIsSlowest, evalStep, evaluationDays) = f;
        var m = job.Model;
        var a = system.Device;
        int mb = microBatches;
        string[] steps =
        [
            "matmuls and attention, forward and backward" + ClockNote(a),
            l.PartialRecompute ? $"activation recomputation (full, {l.RecomputeLayers} layers per stage)" : RecomputeDescriptions[(int)l.Recompute],
            $"tensor-parallel collectives (tp={l.Tp}), " + (TpOverlapped ? "the share tp_comm_overlap leaves exposed" : "not overlapped"),
            $"pipeline sends between stages ({(ppCrossDomain ? "scale-out network" : "scale-up links")}){(dualPipe ? ", the share DualPipe leaves exposed" : "")}",
            dp.Description + $" (exposed {dp.ExposedSeconds:0.###} of {dp.TotalSeconds:0.###} s)",
            $"context-parallel K/V exchange (cp={l.Cp}) not hidden under attention",
            l.Ep > 1 ? $"expert-parallel all-to-all (ep={l.Ep}): " + sw.MoeDispatch.Describe() + (sw.MoeDispatch.Overlap ? " (the share left exposed)" : "") : "expert-parallel all-to-all (ep=1: none)",
            dualPipe
                ? $"DualPipe fill and drain: (p/2 − 1)·(F + 2B − 3W) = {e.Breakdown[StepPartKind.Bubble] / Math.Max(meanStage, 1e-30):0.##} stage slots of {meanStage * 1e3:0.#} ms"
                : $"pipeline fill and drain: (p−1)/v = {(l.Pp - 1.0) / l.Vpp:0.##} stage slots of {meanStage * 1e3:0.#} ms, bubble fraction {PipelineSchedule.BubbleFraction(l.Pp, mb, l.Vpp):P1}",
            "Adam update at HBM bandwidth",
            "memory-bound elementwise work (norms, activations, dropout, residuals, loss)",
            "GPU idle waiting for the host to launch kernels, when a layer's kernels finish faster than the host issues them",
        ];
        if (l.OffloadLayers > 0)
            steps = [.. steps, $"activation copies to host memory and back ({l.OffloadLayers} layers per stage, {a.HostLinkGBps!.Value:0} GB/s per direction) beyond the neighbouring layer's forward or backward"];
        var memory = e.Memory.Parts.Select(p => p.Description).ToArray();
        var assumptions = new List<string>(capacity: 20);
        void Assume(string s) => assumptions.Add(s);
        Assume(sw.Describe());
        Assume(gradBytes == 4 ? "gradients 4 bytes (fp32 accumulation and reduction, Megatron's default with bf16: 18 B/param)"
            : job.Precision == Precision.Fp16 ? "gradients 2 bytes (fp16: 16 B/param)" : "gradients 2 bytes (bf16 accumulation and reduction: 16 B/param)");
        Assume(TpOverlapped
            ? $"tensor-parallel collectives pipelined with the GEMMs (tp_comm_overlap): the first of {l.Tp} chunks and the GEMMs' slowdown by the communication kernels are exposed"
            : "tensor-parallel collectives are exposed (Megatron-LM does not overlap them with GEMMs)");
        if (m.Moe is { } moeSpec && l.Ep > 1)
            Assume(MoeAssumption(moeSpec, net.Place(l.Ep, l.Tp * l.Cp)));
        if (m.Mla is { } mla)
            Assume($"multi-head latent attention (query rank {mla.QLoraRank}, key-value latent {mla.KvLoraRank}): low-rank projections, scores over query/key heads of {m.HeadDim + mla.RopeHeadDim} and value heads of {mla.VHeadDim}; the down-projections run whole on every tp rank, and context parallelism rings the per-head keys and values, not the latent (docs/gpu-model.md §2.1)");
        if (m.MtpLayers > 0)
            Assume($"{m.MtpLayers} multi-token prediction module{(m.MtpLayers > 1 ? "s" : "")} on the last pipeline stage: one more {(m.Moe is null ? "dense" : "MoE")} layer, a 2h→h projection and another pass through the output head and loss each, counted in the model FLOPs; not recomputed (docs/gpu-model.md §2.1)");
        if (m.Window is { } window && window.Window < job.SeqLen)
            Assume($"sliding-window attention in {window.WindowedLayers} of {m.Layers} layers ({window.Window} tokens): those layers compute and count only their band (docs/gpu-model.md §2.1)");
        if (dualPipe)
            Assume($"DualPipe schedule (pp={l.Pp}): forward and backward chunks of two micro-batches run together, pipeline sends and expert all-to-alls under their compute; bubble (p/2 − 1)·(F + 2B − 3W) with W = half the backward GEMMs; two stages' parameters, gradients and optimizer state per rank and p + 1 micro-batches of activations (DeepSeek-V3 Sec. 3.2.1, Table 2)");
        else if (sw.MoeDispatch.Overlap && l.Pp > 1)
            Assume($"DualPipe needs an even pp without interleaving (pp={l.Pp}, vpp={l.Vpp}): 1F1B schedule, only the expert all-to-alls overlapped");
        if (l.Dp * l.Cp > 1 && (sw.OverlapGradientReduction || (l.ZeroStage >= 3 && sw.Zero3PrefetchLayers > 0)))
            Assume($"overlapped data-parallel collectives slow the compute beside them: NCCL kernels hold {DataParallelSync.CommunicationSmShare * 100:0}% of the SMs while they run (assumed; Calculon's processor-usage share)");
        if (l.SecondaryShard > 0)
            Assume(DataParallelSync.ShardsWeightsDuringStep(l)
                ? $"ZeRO++ hpZ (hpz={l.SecondaryShard}): a second copy of the weights sharded over {l.SecondaryShard} ranks; the backward gathers from it, the forward from the primary shards (Wang et al. 2023, ZeRO++)"
                : $"hpz={l.SecondaryShard} changes nothing here: under a pipeline ZeRO-3 gathers the weights once per step, in the forward");
        if (l.ShardCopies > 1)
            Assume($"hybrid sharding (shard={l.ShardSize}; PyTorch HSDP, MiCS): ZeRO-{l.ZeroStage} shards over {l.ShardSize} of the {l.Dp * l.Cp} data-parallel ranks" +
                   $"{(net.Place(l.ShardSize, l.Tp).CrossesDomains ? "" : " inside one node")}, and the {l.ShardCopies} copies all-reduce their gradient shards once per step");
        if (l.OffloadLayers > 0)
            Assume($"activation offload (offload={l.OffloadLayers}): {l.OffloadLayers} layers of each stage copy their stored activations to host memory during the forward and back before their backward, " +
                   $"over the host link at {a.HostLinkGBps!.Value:0} GB/s per direction ({a.HostLinkGBps.Source}); each copy hides under the neighbouring layer's forward or backward, " +
                   "the rest is exposed (Megatron-Core/Transformer Engine CPU offloading); copies use the DMA engines, not the SMs" +
                   (a.HostMemoryGb is { } host ? $"; host memory {host.Value:0} GB per device ({host.Source})" : "; host memory per device not in the catalog: not checked"));
        if (l.ZeroStage >= 3)
            Assume(DataParallelSync.ShardsWeightsDuringStep(l)
                ? "ZeRO-3 as FSDP runs it: weights gathered per layer before its forward and its backward and gradients reduce-scattered after it, every micro-batch, gathers prefetched " + (sw.Zero3PrefetchLayers > 0 ? $"{sw.Zero3PrefetchLayers} layer ahead" : "never (each waits)")
                : "ZeRO-3 under a pipeline: weights gathered in the first micro-batch and kept, gradients accumulated unsharded and reduce-scattered once (PyTorch pipelining with FSDP, as Llama 3 ran it)");
        if (l.Tp > system.ScaleUpDomain)
            Assume($"tp={l.Tp} spans {(l.Tp + system.ScaleUpDomain - 1) / system.ScaleUpDomain} scale-up domains of {system.ScaleUpDomain}: its collectives cross the scale-out network");
        bool eightBit = MatmulEfficiency.IsEightBit(job.Precision);
        if (eightBit && !eightBitGemms)
            Assume($"{a.Name} has no FP8 units: GEMMs run at the 16-bit peak");
        if (eightBit)
            Assume("FP8: only GEMM inputs are 8-bit; activations, gradients, optimizer state, attention and the logit layer stay 16/32-bit");
        if (job.Precision == Precision.Fp4)
            Assume(MatmulEfficiency.RunsFourBit(a, job.Precision)
                ? $"FP4: linear-layer GEMMs at the {a.PeakTflopsFp4!.Value:0} TFLOP/s FP4 peak with NVFP4 inputs ({MatmulEfficiency.Fp4BytesPerElement} bytes per element); " +
                  $"ASSUMED FP4 matmul efficiency = the FP8 fraction {a.MatmulEfficiencyAt(Precision.Fp8):P0} (no FP4 measurement); saved activations and memory as for FP8"
                : $"{a.Name} has no FP4 tensor cores: FP4 GEMMs run as FP8");
        if (MatmulEfficiency.Fp8EfficiencyAssumed(a, job.Precision))
            Assume($"{a.Name}: no measured FP8 matmul efficiency in the catalog; the 16-bit fraction {a.MatmulEfficiency.Value:P0} is assumed at the FP8 peak " +
                   $"(measured FP8/16-bit ratios on other devices span {MatmulEfficiency.Fp8ToBf16RatioLow:0.00}–{MatmulEfficiency.Fp8ToBf16RatioHigh:0.00}: treat the FP8 speed-up as uncertain)");
        else if (eightBitGemms && a.MatmulEfficiencyFp8 is { Confidence: Confidence.Assumed } fp8)
            Assume($"{a.Name}: FP8 matmul efficiency {fp8} is assumed from other devices' measured FP8/16-bit ratios, not measured: treat the FP8 speed-up as uncertain");
        Assume(a.SustainedMatmulShare is { } share
            ? $"{a.Name}: GEMMs sustain {share.Value:P0} of the measured matmul maximum in training (catalog sustained_matmul_share)"
            : $"{a.Name}: not calibrated to training runs; GEMMs are assumed to sustain the measured matmul maximum");
        if (a.LaunchS is { } launch)
            Assume($"{a.Name}: the host launches a layer's forward kernels in {launch.Value * 1e3:0.###} ms (catalog launch_s)");
        double launchScale = LaunchScale(m, sw, eightBitGemms);
        if (launchScale > 1)
            Assume($"{(sw.EagerKernels ? "eager PyTorch" : "FP8 casts")}: {launchScale:0.##}× the kernels of Megatron's fused layer per layer, each launched by the host (launch cost scaled alike)");
        if (a.ComputeUnits is null)
            Assume($"{a.Name}: compute-unit count not in the catalog; wave quantisation assumes {MatmulEfficiency.DefaultComputeUnits}");
        if (microBatches < l.Pp)
            Assume($"only {microBatches} micro-batches for {l.Pp} pipeline stages: the bubble exceeds the work");
        if (l.UnevenStages)
            Assume($"pipeline stages of {part.FirstStageLayers} (first, with the embedding){(l.Pp > 2 ? $", {part.StageLayersAt(1)} (each of the {l.Pp - 2} between)" : "")} and {part.LastStageLayers} layers (last, with the logit layer and loss): " +
                   $"the {(lastIsSlowest ? "last" : $"{part.MaxLayersPerStage}-layer")} stage sets the pace at {slowest.Total * 1e3:0.#} ms per micro-batch; the bubble runs at the mean stage");
        else if (m.Layers % (l.Pp * l.Vpp) != 0)
            Assume($"{m.Layers} layers do not split evenly over pp·vpp = {l.Pp * l.Vpp}: the stage with {part.MaxLayersPerStage} layers sets the pace");
        int runFrom = assumptions.Count; // from here on, what only a run's figures rest on
        Assume($"MFU and HFU against the dense 16-bit peak of {a.PeakTflops16.Value:0} TFLOP/s; model FLOPs per PaLM App. B (6N + 12·L·a·d_head·s, logit layer included)"
            + (m.Mla is null && m.Window is null ? "" : "; MLA heads count 6·a·(d_qk + d_v)·s per layer, windowed layers the keys of their band (docs/gpu-model.md §2.1)"));
        Assume(PowerLimitedClock.Describe(a));
        Assume($"device power {deviceW:0} W: idle {a.IdleW.Value:0} W + ({(a.PowerLimit < a.TdpW.Value ? "power cap" : "TDP")} {a.PowerLimit:0} W − idle) × busy share {busy:P0}" +
               (l.Pp > 1 ? $" (each stage's own kernels over the step, averaged over the {l.Pp} stages)" : ""));
        foreach (var s in energy.Assumptions) Assume(s);
        var evaluation = economics.Evaluations;
        Assume($"evaluation: {evaluation.Iterations.Value:0} forward-only global batches ({evalStep:0.###} s each) every {evaluation.IntervalSteps.Value:N0} steps, " +
               $"{evaluationDays:0.##} days in all ({evaluation.IntervalSteps.Source}; {evaluation.Iterations.Source}); counted in the wall days with downtime, not in time to train");
        Assume(goodput.Describe());

        return new EstimateWords(Bottleneck(e.Breakdown, e.StepTimeS, ppCrossDomain), assumptions[..runFrom], steps, memory) { RunAssumptions = assumptions[runFrom..] };
    }

    /// <summary>How the expert traffic is costed, with the expected nodes per token when the EP group spans nodes.</summary>
    string MoeAssumption(Catalog.MoeSpec moe, GroupPlacement g)
    {
        var d = sw.MoeDispatch;
        string nodes = g.CrossesDomains
            ? $"; EP group of {g.Size} over {g.Domains} nodes: a token's {moe.Active} experts fall on {MoeDispatch.ExpectedNodes(moe.Experts, moe.Active, g.Domains, 0):0.##} nodes on average"
              + (d.NodeLimit > 0 ? $", at most {d.NodeLimit} with node-limited routing, so {MoeDispatch.ExpectedNodes(moe.Experts, moe.Active, g.Domains, d.NodeLimit) * (g.Domains - 1.0) / g.Domains:0.##} network copies per token instead of {moe.Active * (g.Size - g.PerDomain) / (double)g.Size:0.##}" : "")
            : "";
        return $"expert dispatch: {d.Describe()}; {(d.Imbalance > 1 ? $"the busiest of {g.Size} ranks sets the pace" : $"balanced routing (imbalance=1; {MoeDispatch.ImbalanceLow}–{MoeDispatch.ImbalanceHigh} plausible when balance is not forced)")}, no capacity factor or dropped tokens{nodes}"
            + (d.Overlap ? $"; exposed all-to-all = max(a2a − compute, {DataParallelSync.CommunicationSmShare:0.##}·a2a) per layer and pass (communication SMs: DeepSeek-V3 gives 20 of 132 to it)" : "");
    }

    bool TpOverlapped => sw.TensorParallelOverlap && l.SequenceParallel && l.Tp > 1;

    /// <summary>Under a power cap, the clock the math runs at, for the breakdown's compute line.</summary>
    static string ClockNote(Accelerator a) =>
        a.PowerLimit < a.TdpW.Value ? $", at {PowerLimitedClock.ClockShare(a):P0} of the TDP clock (power cap {a.PowerLimit:0} W)" : "";

    /// <summary>Why a layout does not fit, and what would shrink the part that overflows.</summary>
    internal static string MemoryAdvice(MemoryBreakdown b, Layout l, int? offloadLayers = null)
    {
        var (name, gb) = b.LargestPart;
        // The reason, not the verdict: front ends put "does not fit" in front of it themselves.
        return $"needs {b.TotalGb:0.0} GB per device of {b.CapacityGb:0} GB ({name} {gb:0.0} GB: {MemoryHints.Phrase(name, l, offloadLayers)})";
    }

    /// <summary>Layers per stage whose offload would fit, where the device has a known host link (§5.1).</summary>
    int? OffloadThatFits(MemoryBreakdown b) =>
        system.Device.HostLinkGBps is null ? null
            : MemoryHints.OffloadLayersThatFit(b, part.MaxLayersPerStage, LayoutRules.FewestStageLayers(job.Model.Layers, l));

    string Bottleneck(StepBreakdown b, double step, bool ppCrossDomain)
    {
        var top = b.LargestKind;
        double share = b[top] / step;
        string what = top switch
        {
            StepPartKind.Compute => "compute-bound: matmuls and attention",
            StepPartKind.Recompute => "activation recomputation",
            StepPartKind.TpComm => l.Tp > system.ScaleUpDomain ? $"tensor-parallel communication across nodes (tp={l.Tp})" : $"tensor-parallel communication (tp={l.Tp})",
            StepPartKind.PpComm => ppCrossDomain ? "pipeline sends over the network" : "pipeline sends",
            StepPartKind.DpComm => "data-parallel gradient synchronisation",
            StepPartKind.CpComm => "context-parallel K/V exchange",
            StepPartKind.EpComm => "expert all-to-all",
            StepPartKind.Bubble => $"pipeline bubble (pp={l.Pp}, {microBatches} micro-batches, vpp={l.Vpp})",
            StepPartKind.Optimizer => "optimizer step (HBM-bound)",
            StepPartKind.LaunchWait => "kernel launches: the host issues kernels slower than the GPU runs them",
            StepPartKind.Offload => $"activation offload over the host link (offload={l.OffloadLayers})",
            _ => "memory-bound elementwise work",
        };
        return $"{what}: {share:P0} of the step";
    }
}
