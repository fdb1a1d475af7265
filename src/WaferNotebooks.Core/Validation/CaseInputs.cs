using System.Globalization;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;

namespace WaferNotebooks.Core.Validation;

/// <summary>
/// The optional columns of the validation schema (data/validation/README.md) that say how a run
/// was trained beyond its shape and layout: everything a prediction depends on that older files
/// kept in free-text notes. Null means the cell was empty (not published): the documented default
/// applies (<see cref="ValidationRun.SoftwareFor"/>, <see cref="UnpublishedKnobs"/>, <see cref="CaseModel"/>).
/// </summary>
public sealed record CaseInputs
{
    public static CaseInputs None { get; } = new();

    /// <summary>Column <c>framework</c>.</summary>
    public TrainingFramework? Framework { get; init; }

    /// <summary>Column <c>software_date</c> (YYYY-MM): the release of the framework the run used; picks the framework's era.</summary>
    public DateOnly? SoftwareDate { get; init; }

    /// <summary>Column <c>attention</c>: fused (FlashAttention-style, no s×s scores in HBM) or unfused.</summary>
    public bool? FusedAttention { get; init; }

    /// <summary>Column <c>dropout</c>: the dropout probability; 0 = none (no masks stored).</summary>
    public double? Dropout { get; init; }

    /// <summary>Column <c>grad_reduce_dtype</c>: fp32 (accumulate and reduce in fp32) or bf16/fp16.</summary>
    public bool? GradientsInFp32 { get; init; }

    /// <summary>Column <c>activation_offload</c>: layers per pipeline stage whose activations were offloaded to host memory, applied to the row's layout as <c>offload=N</c> (Megatron-Core <c>cpu_offloading_num_layers</c>).</summary>
    public int? ActivationOffloadLayers { get; init; }

    /// <summary>Column <c>power_cap_w</c>: the devices' power limit in the run, below the TDP (sets the sustained clock, docs/gpu-model.md §3.6).</summary>
    public double? PowerCapW { get; init; }

    /// <summary>Column <c>includes</c>: what a whole-run figure contains besides steady training (evaluation, restarts, ...), ';'-separated.</summary>
    public IReadOnlyList<string> Includes { get; init; } = [];

    /// <summary>Column <c>batch_tokens</c>: the global batch in tokens when the source gives no sequence count.</summary>
    public long? BatchTokens { get; init; }

    /// <summary>Column <c>head_dim</c>: attention head dimension when it is not hidden/heads.</summary>
    public int? HeadDim { get; init; }

    /// <summary>Column <c>gated_mlp</c>: 1 for a gated MLP (SwiGLU, GeGLU: three matrices), 0 for a plain one.</summary>
    public bool? GatedMlp { get; init; }

    /// <summary>Column <c>shared_experts</c>: MoE experts every token goes through.</summary>
    public int? SharedExperts { get; init; }

    /// <summary>Column <c>dense_layers</c>: leading dense (non-MoE) layers of an MoE model.</summary>
    public int? DenseLayers { get; init; }

    /// <summary>Column <c>dense_ffn</c>: MLP width of those dense layers.</summary>
    public int? DenseFfn { get; init; }

    /// <summary>Column <c>interleaved</c>: 1 if the pipeline schedule was interleaved (chunk count in <c>vpp</c> when published), 0 if not.</summary>
    public bool? Interleaved { get; init; }

    /// <summary>Column <c>tensor_parallel</c>: 1 if tensor parallelism was used (degree in <c>tp</c> when published), 0 if not.</summary>
    public bool? TensorParallel { get; init; }

    /// <summary>Column <c>compiled</c>: 1 if the model's elementwise ops ran fused although its framework runs them eagerly by default: under <c>torch.compile</c>, or with hand-fused kernels (fused norm, rotary, SwiGLU as TinyLlama's lit-gpt); 0 or empty for the framework's own kernels (eager in PyTorch-native stacks, fused in Megatron).</summary>
    public bool? Compiled { get; init; }

    /// <summary>Column <c>tp_comm_overlap</c>: 1 if tensor-parallel collectives were pipelined with the GEMMs (Megatron-Core <c>tp_comm_overlap</c>), 0 if not; empty: the framework's default (off).</summary>
    public bool? TpCommOverlap { get; init; }

    /// <summary>Column <c>fp8_param_gather</c>: 1 if FP8 parameters were kept and gathered at 1 byte (Megatron-Core <c>fp8_param_gather</c>), 0 if not; empty: off.</summary>
    public bool? Fp8ParamGather { get; init; }

    /// <summary>Column <c>fp8_recipe</c>: Transformer Engine's FP8 scaling recipe (delayed, current, mxfp8, blockwise), which sets the
    /// per-expert quantize launches of an MoE model's grouped linears (docs/gpu-model.md §4.6); empty: delayed, the framework's default.</summary>
    public Fp8ScalingRecipe? Fp8Recipe { get; init; }

    /// <summary>Column <c>cuda_graph_scope</c>: the parts of each layer captured in Transformer Engine CUDA graphs, Megatron-Core's names
    /// joined by '+' (attn, moe_router, moe_preprocess) or none; sets an MoE layer's host operations before the dispatcher's sync
    /// (docs/gpu-model.md §4.6). Empty: none.</summary>
    public MoeCudaGraphScope? CudaGraphScope { get; init; }

    /// <summary>Columns <c>q_lora_rank</c>, <c>kv_lora_rank</c>, <c>qk_rope_head_dim</c>, <c>v_head_dim</c>: multi-head latent attention (DeepSeek-V2/V3; head_dim is then the non-rotary query/key width); null without kv_lora_rank.</summary>
    public LatentAttention? Mla { get; init; }

    /// <summary>Columns <c>sliding_window</c> (tokens) and <c>windowed_layers</c> (default all layers when the model is built).</summary>
    public int? SlidingWindow { get; init; }

    public int? WindowedLayers { get; init; }

    /// <summary>Column <c>mtp_layers</c>: multi-token prediction modules trained with the model (DeepSeek-V3: 1); empty: none.</summary>
    public int? MtpLayers { get; init; }

    /// <summary>Column <c>remat_policy</c>: the JAX remat policy a MaxText run names (<see cref="Workload.RematPolicy"/>: full, minimal, save_qkv_proj, ...); empty: Megatron's meaning of <c>recompute</c>.</summary>
    public Workload.RematPolicy? RematPolicy { get; init; }

    /// <summary>Column <c>parallel_block</c>: 1 if attention and MLP read the same normed input and add to the residual together (GPT-J, PaLM, MaxText until 2024-02), 0 or empty for the sequential block.</summary>
    public bool? ParallelBlock { get; init; }

    /// <summary>Column <c>expert_bias</c>: 1 if each routed expert adds a bias to its output (GPT-OSS), 0 or empty for none.</summary>
    public bool? ExpertBias { get; init; }

    /// <summary>The framework named, else the mainstream stack of the software date's era (today's when the date is empty too).</summary>
    public TrainingFramework ResolvedFramework => Framework ?? TrainingFramework.Mainstream(SoftwareDate);

    /// <summary>The names of the optional columns, in the order the README documents them.</summary>
    public static readonly string[] Columns =
    [
        "framework", "software_date", "attention", "dropout", "grad_reduce_dtype", "activation_offload", "power_cap_w",
        "includes", "batch_tokens", "head_dim", "gated_mlp", "shared_experts", "dense_layers", "dense_ffn",
        "interleaved", "tensor_parallel", "compiled", "tp_comm_overlap", "fp8_param_gather",
        "q_lora_rank", "kv_lora_rank", "qk_rope_head_dim", "v_head_dim", "sliding_window", "windowed_layers", "mtp_layers", "fp8_recipe", "cuda_graph_scope",
        "remat_policy", "parallel_block", "expert_bias",
    ];

    /// <summary>Reads the optional columns; throws <see cref="FormatException"/> naming the bad column and what would be right.</summary>
    public static CaseInputs From(Func<string, string> cell, Func<string, int?> integer, Func<string, double?> number)
    {
        bool? Flag(string name) => integer(name) switch
        {
            null => null, 0 => false, 1 => true,
            var v => throw new FormatException($"column {name} must be 0 or 1, not {v}"),
        };
        bool? Choice(string name, string yes, string no) => cell(name).ToLowerInvariant() switch
        {
            "" => null,
            var v when v == yes => true,
            var v when v == no => false,
            var v => throw new FormatException($"column {name} must be {yes} or {no}, not '{v}'"),
        };
        string framework = cell("framework");
        return new CaseInputs
        {
            Framework = framework.Length == 0 ? null : TrainingFramework.Parse(framework),
            SoftwareDate = Date(cell("software_date")),
            FusedAttention = Choice("attention", "fused", "unfused"),
            Dropout = number("dropout") is { } p && p > 1 ? throw new FormatException($"column dropout is a probability (0 to 1), not {p}") : number("dropout"),
            GradientsInFp32 = cell("grad_reduce_dtype").ToLowerInvariant() switch
            {
                "" => null, "fp32" => true, "bf16" or "fp16" => false,
                var v => throw new FormatException($"column grad_reduce_dtype must be fp32, bf16 or fp16, not '{v}'"),
            },
            ActivationOffloadLayers = integer("activation_offload"),
            PowerCapW = number("power_cap_w"),
            Includes = cell("includes").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            BatchTokens = BatchTokensOf(cell("batch_tokens")),
            HeadDim = integer("head_dim"),
            GatedMlp = Flag("gated_mlp"),
            SharedExperts = integer("shared_experts"),
            DenseLayers = integer("dense_layers"),
            DenseFfn = integer("dense_ffn"),
            Interleaved = Flag("interleaved"),
            TensorParallel = Flag("tensor_parallel"),
            Compiled = Flag("compiled"),
            TpCommOverlap = Flag("tp_comm_overlap"),
            Fp8ParamGather = Flag("fp8_param_gather"),
            Mla = integer("kv_lora_rank") is { } kvRank
                ? new LatentAttention(integer("q_lora_rank") ?? 0, kvRank,
                    integer("qk_rope_head_dim") ?? throw new FormatException("column kv_lora_rank needs qk_rope_head_dim (the rotary key width, DeepSeek-V3: 64)"),
                    integer("v_head_dim") ?? integer("head_dim") ?? throw new FormatException("column kv_lora_rank needs v_head_dim or head_dim"))
                : integer("qk_rope_head_dim") is not null || integer("q_lora_rank") is not null
                    ? throw new FormatException("columns q_lora_rank and qk_rope_head_dim describe multi-head latent attention and need kv_lora_rank")
                    : null,
            SlidingWindow = integer("sliding_window"),
            WindowedLayers = integer("windowed_layers") is not null && integer("sliding_window") is null
                ? throw new FormatException("column windowed_layers needs sliding_window (the window in tokens)")
                : integer("windowed_layers"),
            MtpLayers = integer("mtp_layers"),
            Fp8Recipe = cell("fp8_recipe") is { Length: > 0 } recipe
                ? Fp8ScalingRecipes.Parse(recipe) ?? throw new FormatException($"column fp8_recipe must be one of {string.Join(", ", Fp8ScalingRecipes.Names)}, not '{recipe}'")
                : null,
            CudaGraphScope = cell("cuda_graph_scope") is { Length: > 0 } graphs ? Parsed("cuda_graph_scope", graphs, MoeCudaGraphScopes.Parse) : null,
            RematPolicy = cell("remat_policy") is { Length: > 0 } remat ? Parsed("remat_policy", remat, Workload.RematPolicy.Parse) : null,
            ParallelBlock = Flag("parallel_block"),
            ExpertBias = Flag("expert_bias"),
        };
    }

    /// <summary>A cell read by a parser that refuses with a <see cref="FormatException"/>; the message then names the column.</summary>
    static T Parsed<T>(string column, string text, Func<string, T> parse)
    {
        try { return parse(text); }
        catch (FormatException e) { throw new FormatException($"column {column}: {e.Message}"); }
    }

    static DateOnly? Date(string text)
    {
        if (text.Length == 0) return null;
        return TrainingFramework.TryParseMonth(text, out var d)
            ? d
            : throw new FormatException($"column software_date must be a year and month, YYYY-MM (2021-04), not '{text}'");
    }

    /// <summary>A token count, plain or with a K/M suffix in powers of two as papers quote batches (4M = 4·2^20).</summary>
    static long? BatchTokensOf(string text)
    {
        if (text.Length == 0) return null;
        long scale = char.ToUpperInvariant(text[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, _ => 1 };
        string digits = scale == 1 ? text : text[..^1];
        return double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v)
            ? (long)Math.Round(v * scale)
            : throw new FormatException($"column batch_tokens must be a positive token count, plain or with K/M (binary: 4M = 4,194,304), not '{text}'");
    }
}
