namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// How a stack moves tokens to their experts and back: the expert-parallel dispatch and combine
/// all-to-alls of every MoE layer (docs/gpu-model.md §4.6), timed by <see cref="Gpu.MoeDispatchTraffic"/>.
/// <list type="bullet">
/// <item><see cref="NodeLimit"/> M &gt; 0: node-limited routing with hierarchical dispatch, as
/// DeepSeek-V3 trains (arXiv 2412.19437, §2.1.2 and §3.2.2): each token goes to experts on at
/// most M nodes, crosses the network once per target node (to the GPU of the same in-node index)
/// and is fanned out over NVLink to the GPUs holding its experts there. 0: a flat exchange, every
/// expert copy sent on its own (Megatron-Core's all-to-all token dispatcher).</item>
/// <item><see cref="Fp8"/>: dispatch in FP8 (1 byte per element plus an fp32 scale per 128),
/// forward and the backward's gradient dispatch; both combines stay BF16 (DeepSeek-V3 §3.3.2).</item>
/// <item><see cref="Overlap"/>: DualPipe (DeepSeek-V3 §3.2.1): a forward chunk of one micro-batch
/// runs beside the backward chunk of another, so the all-to-alls and pipeline sends run under
/// compute, which the communication kernels slow by their SM share; the bidirectional schedule
/// shrinks the bubble, keeps two stages (two parameter copies) per rank and one more micro-batch
/// of activations.</item>
/// <item><see cref="GroupedKernel"/>: the experts of a rank run as one grouped GEMM kernel
/// (DeepSeek's DeepGEMM); otherwise as Transformer Engine's per-expert loop of GEMMs over four
/// streams, which Megatron-Core's <c>--moe-grouped-gemm</c> uses (<see cref="Gpu.GroupedGemm"/>).</item>
/// <item><see cref="Imbalance"/>: routed copies the busiest expert-parallel rank receives over the
/// mean (1: balanced, as NVIDIA's MoE benchmarks force it and as this model assumed before). The
/// ranks meet at every all-to-all, so the busiest sets the pace of the experts' GEMMs and of the
/// exchange. An input, not a fit: <see cref="ImbalanceLow"/>–<see cref="ImbalanceHigh"/> is the
/// documented range.</item>
/// <item><see cref="HostSync"/>: the dispatcher copies its split sizes to the host and waits for
/// them before the all-to-all (Megatron-Core's <c>MoEAlltoAllTokenDispatcher</c>), so the host
/// cannot run ahead across it (<see cref="Gpu.MoeHostSync"/>). Off for DeepSeek's stack, whose
/// DualPipe issues another micro-batch's chunk beside the waiting one.</item>
/// <item><see cref="Recipe"/>: the FP8 scaling recipe of the experts' GEMMs under the per-expert loop, which sets
/// how many quantize kernels each local expert's input and output gradient take (<see cref="Fp8ScalingRecipe"/>,
/// <see cref="Gpu.MoeQuantizeLaunches"/>); inert in 16-bit runs and with one grouped kernel.</item>
/// <item><see cref="Graphs"/>: which parts of the layer before the dispatcher's sync run as Transformer Engine CUDA
/// graphs (<see cref="MoeCudaGraphScope"/>), each replay one host operation instead of its kernels' launches
/// (<see cref="Gpu.MoeHostSync"/>).</item>
/// </list>
/// </summary>
public sealed record MoeDispatch(int NodeLimit = 0, bool Fp8 = false, bool Overlap = false, bool GroupedKernel = false, double Imbalance = 1, bool HostSync = true,
    Fp8ScalingRecipe Recipe = Fp8ScalingRecipe.Delayed, MoeCudaGraphScope Graphs = MoeCudaGraphScope.None)
{
    /// <summary>
    /// Range of <see cref="Imbalance"/> to try when a run's routing is not forced to balance: 1
    /// (perfectly balanced) to 1.25, the capacity factor Switch Transformer found to work
    /// (Fedus et al. 2021, arXiv 2101.03961, §2.2 and Table 1: capacity factors 1.0–1.25 drop few
    /// tokens), i.e. the load per expert that balanced routing with an auxiliary loss stays within.
    /// A rank holding several experts averages their loads, so its imbalance is at most that of its
    /// busiest expert.
    /// </summary>
    public const double ImbalanceLow = 1, ImbalanceHigh = 1.25;

    /// <summary>The busiest rank's share over the mean for an EP group of <paramref name="ep"/>: the input, at most
    /// <paramref name="ep"/> (every copy on one rank).</summary>
    public double BusiestRank(int ep) => Math.Min(Imbalance, Math.Max(1, ep));

    /// <summary>The flat exchange: every expert copy sent separately, in 16 bit, not overlapped; experts' GEMMs looped per expert.</summary>
    public static MoeDispatch Flat { get; } = new();

    /// <summary>DeepSeek-V3's training stack: at most 4 nodes per token (§4.2 hyper-parameters), FP8 dispatch, DualPipe,
    /// and grouped GEMM kernels (DeepGEMM, released by DeepSeek with the V3 training code's kernels); no GPU idle at a
    /// host sync: DualPipe issues a forward and a backward chunk of two micro-batches together, so while the host waits for
    /// one chunk's token counts the other chunk's kernels are queued and running.</summary>
    public static MoeDispatch DeepSeekV3 { get; } = new(NodeLimit: 4, Fp8: true, Overlap: true, GroupedKernel: true, HostSync: false);

    /// <summary>Bytes per element of an FP8 dispatch: the 1-byte value and an fp32 scale per 128-element tile (DeepSeek-V3 §3.3.2, 1×128 activation tiles).</summary>
    public const double Fp8BytesPerElement = 1 + 4.0 / 128;

    /// <summary>
    /// Expected number of the <paramref name="domains"/> nodes (scale-up domains of the EP group,
    /// each holding E/D experts) that a token's k experts fall on when routing is balanced:
    /// D·(1 − C(E − E/D, k)/C(E, k)), capped at M under node-limited routing. min(M, E[n]) is at
    /// least E[min(M, n)], so the cap errs towards more traffic.
    /// </summary>
    public static double ExpectedNodes(int experts, int active, int domains, int nodeLimit)
    {
        if (domains <= 1) return 1;
        double perDomain = (double)experts / domains, missed = 1;
        for (int i = 0; i < active; i++)
            missed *= Math.Max(0, experts - perDomain - i) / (experts - i);
        double nodes = domains * (1 - missed);
        return nodeLimit > 0 ? Math.Min(nodeLimit, nodes) : nodes;
    }

    /// <summary>The keys <see cref="Parse"/> takes.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["nodes", "fp8", "overlap", "gemm", "imbalance", "sync", "recipe", "graphs"];

    /// <summary>
    /// nodes=M,fp8=on|off,overlap=on|off,gemm=grouped|loop,imbalance=F,sync=on|off,recipe=delayed|current|mxfp8|blockwise,
    /// graphs=none|attn+moe_router+moe_preprocess (nodes=0: the flat exchange); keys left out keep
    /// <paramref name="defaults"/>, the framework's. A message naming the key and what it takes otherwise.
    /// </summary>
    public static MoeDispatch Parse(string option, string text, MoeDispatch defaults)
    {
        var d = defaults;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = item.IndexOf('=');
            if (eq <= 0 || eq == item.Length - 1)
                throw new WaferInputException($"{option} '{text}': '{item}' is not KEY=VALUE; expected e.g. nodes=4,fp8=on,overlap=on");
            string key = item[..eq].Trim().ToLowerInvariant(), value = item[(eq + 1)..].Trim().ToLowerInvariant();
            if (!seen.Add(key))
                throw new WaferInputException($"{option} '{text}': {key} is given twice");
            d = key switch
            {
                "nodes" => d with { NodeLimit = int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int m) && m <= MaxNodeLimit ? m
                    : throw new WaferInputException($"{option} nodes={value}: expected a whole number of nodes from 0 (no limit: a flat all-to-all) to {MaxNodeLimit}") },
                "fp8" => d with { Fp8 = OnOff(option, key, value) },
                "overlap" => d with { Overlap = OnOff(option, key, value) },
                "sync" => d with { HostSync = OnOff(option, key, value) },
                "gemm" => d with { GroupedKernel = value switch
                {
                    "grouped" => true,
                    "loop" => false,
                    _ => throw new WaferInputException($"{option} gemm={value}: expected grouped (one grouped GEMM kernel for a rank's experts) or loop (one GEMM per expert, Transformer Engine's GroupedLinear)"),
                } },
                "recipe" => d with { Recipe = Fp8ScalingRecipes.Parse(value)
                    ?? throw new WaferInputException($"{option} recipe={value}: expected the FP8 scaling recipe of the expert GEMMs, one of {string.Join(", ", Fp8ScalingRecipes.Names)} (Transformer Engine's delayed scaling, per-tensor current scaling, MXFP8, 1x128/128x128 block scaling)") },
                "graphs" => d with { Graphs = ParseGraphs(option, value) },
                "imbalance" => d with { Imbalance = double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double f) && f >= 1 && f <= MaxImbalance ? f
                    : throw new WaferInputException($"{option} imbalance={value}: expected the busiest expert-parallel rank's routed tokens over the mean, a number from 1 (balanced) to {MaxImbalance} (typical {ImbalanceLow}–{ImbalanceHigh})") },
                _ => throw new WaferInputException($"{option} '{text}': unknown key '{key}'; expected {string.Join(", ", Keys)}"),
            };
        }
        if (seen.Count == 0)
            throw new WaferInputException($"{option}: give at least one of {string.Join(", ", Keys)}, e.g. nodes=4,fp8=on,overlap=on");
        return d;
    }

    /// <summary>Largest imbalance accepted: a rank cannot receive more copies than the largest EP group sends (capped at the group's size when costed).</summary>
    public const double MaxImbalance = 4096;

    /// <summary>Largest node limit accepted: more nodes than any catalogued system has domains is no limit at all.</summary>
    public const int MaxNodeLimit = 4096;

    static MoeCudaGraphScope ParseGraphs(string option, string value)
    {
        try { return MoeCudaGraphScopes.Parse(value); }
        catch (FormatException e) { throw new WaferInputException($"{option} graphs={value}: {e.Message}"); }
    }

    static bool OnOff(string option, string key, string value) => value switch
    {
        "on" or "1" or "true" => true,
        "off" or "0" or "false" => false,
        _ => throw new WaferInputException($"{option} {key}={value}: expected on or off"),
    };

    public string Describe() =>
        (NodeLimit > 0 ? $"node-limited routing (at most {NodeLimit} nodes per token), one network copy per node then NVLink fan-out" : "flat all-to-all (each expert copy sent on its own)")
        + (Fp8 ? ", FP8 dispatch (BF16 combine)" : ", BF16 dispatch")
        + (Overlap ? ", all-to-all and pipeline sends overlapped with another micro-batch's compute (DualPipe)" : ", not overlapped")
        + (GroupedKernel ? ", each rank's experts in one grouped GEMM kernel" : ", one GEMM per local expert over 4 streams (Transformer Engine GroupedLinear)")
        + (Imbalance > 1 ? $", busiest rank {Imbalance:0.##}× the mean routed tokens" : "")
        + (HostSync ? ", split sizes synchronised to the host before the all-to-all" : ", no host sync before the all-to-all")
        + (Recipe != Fp8ScalingRecipe.Delayed && !GroupedKernel ? $", FP8 {Recipe.Name()} scaling quantizes each expert on its own ({Recipe.LaunchesPerExpert()} kernel{(Recipe.LaunchesPerExpert() > 1 ? "s" : "")} per expert and tensor)" : "")
        + (Graphs != MoeCudaGraphScope.None ? $", CUDA graphs of {Graphs.Name()}" : "");
}
