using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// How the model's layers and weights fall on one device for a layout: layers per pipeline
/// stage (by default an uneven split puts the extra layers on the first stages; first=/last=,
/// Megatron's decoder-first/last-pipeline-num-layers, set the two ends), weights per device after tensor and expert
/// sharding, and which stage carries the embedding and the logit layer. The stage split and the
/// heaviest stage's weights are worked out once, when the partition is made: an estimate reads
/// them from the step time, the data-parallel sync, the optimizer step and the memory.
/// </summary>
public sealed class ModelPartition
{
    public ModelPartition(ModelSpec model, ParameterCount parameters, Layout layout)
    {
        (Model, Params, Layout) = (model, parameters, layout);
        int layers = model.Layers, pp = layout.Pp;
        bool uneven = layout.UnevenStages;
        int even = StageLayers(layers, pp);
        middleStageLayers = uneven ? LayoutRules.MiddleStageLayers(layers, layout) ?? even : even;
        FirstStageLayers = layout.FirstStageLayers > 0 ? layout.FirstStageLayers : pp == 1 ? layers : middleStageLayers;
        LastStageLayers = layout.LastStageLayers > 0 ? layout.LastStageLayers
            : uneven ? middleStageLayers
            : LayoutRules.DefaultLastStageLayers(layers, pp);
        MaxLayersPerStage = uneven ? Math.Max(Math.Max(FirstStageLayers, LastStageLayers), middleStageLayers) : even;
        MoeShare = parameters.Layers == 0 ? 0 : (double)parameters.MoeLayers / parameters.Layers;
        HeaviestStageWeights = Heaviest();
    }

    public ModelSpec Model { get; }
    public ParameterCount Params { get; }
    public Layout Layout { get; }

    public int Layers => Model.Layers;

    /// <summary>Most layers any stage holds (the stage that bounds the pipeline).</summary>
    public int MaxLayersPerStage { get; }

    /// <summary>Layers of the fullest stage when <paramref name="layers"/> split over <paramref name="pp"/> stages.</summary>
    public static int StageLayers(int layers, int pp) => (layers + pp - 1) / pp;

    /// <summary>Layers of each stage between the first and the last (first=/last=), or of the fullest stage by default.</summary>
    readonly int middleStageLayers;

    /// <summary>Layers on the first stage: first= when given, else the fullest stage's (the default split puts the extra layers first).</summary>
    public int FirstStageLayers { get; }

    /// <summary>Layers on the last stage: last= when given, else what the default split leaves it (fewest when uneven).</summary>
    public int LastStageLayers { get; }

    /// <summary>Layers on stage <paramref name="i"/> (0-based) of the pipeline.</summary>
    public int StageLayersAt(int i) => i == 0 ? FirstStageLayers : i == Layout.Pp - 1 ? LastStageLayers : middleStageLayers;

    /// <summary>Share of MoE layers among all layers (0 for dense models).</summary>
    public double MoeShare { get; }

    /// <summary>Non-expert weights of one layer on one device (attention and dense MLP split by tp; norms replicated).</summary>
    public double DenseWeightsPerLayer(bool moeLayer) =>
        (Params.AttentionPerLayer + (moeLayer ? SharedExpertWeights : Params.DenseMlpPerLayer)) / Layout.Tp + Params.NormsPerLayer;

    double SharedExpertWeights => Model.Moe is { } moe
        ? moe.Shared * TransformerArithmetic.MlpWeights(Model.Ffn, Model.Hidden, moe.ExpertFfnHidden) + Model.Hidden * moe.Experts
        : 0;

    /// <summary>Routed-expert weights of one MoE layer on one device: experts split over ep, each over tp.</summary>
    public double ExpertWeightsPerLayer => Model.Moe is { } moe
        ? moe.Experts * TransformerArithmetic.MlpWeights(Model.Ffn, Model.Hidden, moe.ExpertFfnHidden) / Layout.Ep / Layout.Tp
        : 0;

    /// <summary>Linear-layer weights of one average layer on one device (dense and MoE layers mixed by their share): what FP8 GEMMs cast.</summary>
    public double LinearWeightsPerLayer =>
        (1 - MoeShare) * DenseWeightsPerLayer(false) + MoeShare * (DenseWeightsPerLayer(true) + ExpertWeightsPerLayer);

    /// <summary>(non-expert, expert) weights on one device of a stage with this many layers, with the embedding and/or logit layer if it holds them.</summary>
    public (double Dense, double Expert) StageWeights(int stageLayers, bool first, bool last)
    {
        double moeLayers = stageLayers * MoeShare;
        double dense = (stageLayers - moeLayers) * DenseWeightsPerLayer(false) + moeLayers * DenseWeightsPerLayer(true);
        double vocab = Params.Embedding / Layout.Tp;
        // Tied embeddings still need the matrix on the last stage when it is not the first (Megatron keeps a copy and all-reduces its gradient).
        if (first) dense += vocab;
        if (last && (!first || !Model.TiedEmbeddings)) dense += vocab;
        if (last) dense += Params.FinalNorm;
        double expert = moeLayers * ExpertWeightsPerLayer;
        // Multi-token prediction modules sit on the last stage, which then also needs the input embedding (Megatron-Core GPTModel builds it where mtp_process).
        if (last && Params.MtpModules > 0)
        {
            bool moeModule = Model.Moe is not null;
            dense += Params.MtpModules * (DenseWeightsPerLayer(moeModule) + (2.0 * Model.Hidden * Model.Hidden) / Layout.Tp + 3 * Params.FinalNorm);
            if (moeModule) expert += Params.MtpModules * ExpertWeightsPerLayer;
            if (!first && !Model.TiedEmbeddings) dense += vocab;
        }
        return (dense, expert);
    }

    /// <summary>Weights on the device of the first stage and of the last stage.</summary>
    public (double Dense, double Expert) FirstStageWeights => StageWeights(FirstStageLayers, true, Layout.Pp == 1);
    public (double Dense, double Expert) LastStageWeights => StageWeights(LastStageLayers, Layout.Pp == 1, true);

    /// <summary>
    /// Weights on one device of each stage, summed over the pipeline's stages: every layer once, the
    /// embedding (first stage), the logit layer's matrix and the final norm (last stage). Without a
    /// pipeline, the one stage's weights.
    /// </summary>
    public (double Dense, double Expert) WeightsOverStages
    {
        get
        {
            var all = StageWeights(Layers, true, Layout.Pp == 1);
            if (Layout.Pp == 1) return all;
            var last = StageWeights(0, false, true);
            return (all.Dense + last.Dense, all.Expert + last.Expert);
        }
    }

    /// <summary>The stage with the most weights on one device: the first, the last, or (when first=/last= shrink those) one between.</summary>
    public (double Dense, double Expert) HeaviestStageWeights { get; }

    (double Dense, double Expert) Heaviest()
    {
        var (f, l) = (FirstStageWeights, LastStageWeights);
        var heaviest = f.Dense + f.Expert >= l.Dense + l.Expert ? f : l;
        if (Layout.Pp <= 2 || !Layout.UnevenStages) return heaviest;
        var middle = StageWeights(middleStageLayers, false, false);
        return middle.Dense + middle.Expert > heaviest.Dense + heaviest.Expert ? middle : heaviest;
    }
}
