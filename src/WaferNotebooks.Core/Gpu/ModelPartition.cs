using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// How the model's layers and weights fall on one device for a layout: layers per pipeline
/// stage (by default an uneven split puts the extra layers on the first stages; first=/last=,
/// Megatron's decoder-first/last-pipeline-num-layers, set the two ends), weights per device after tensor and expert
/// sharding, and which stage carries the embedding and the logit layer.
/// </summary>
public sealed record ModelPartition(ModelSpec Model, ParameterCount Params, Layout Layout)
{
    public int Layers => Model.Layers;

    /// <summary>Most layers any stage holds (the stage that bounds the pipeline).</summary>
    public int MaxLayersPerStage => Layout.UnevenStages
        ? Math.Max(Math.Max(FirstStageLayers, LastStageLayers), MiddleStageLayers)
        : StageLayers(Layers, Layout.Pp);

    /// <summary>Layers of the fullest stage when <paramref name="layers"/> split over <paramref name="pp"/> stages.</summary>
    public static int StageLayers(int layers, int pp) => (layers + pp - 1) / pp;

    /// <summary>Layers of each stage between the first and the last (first=/last=), or of the fullest stage by default.</summary>
    int MiddleStageLayers => Layout.UnevenStages
        ? LayoutRules.MiddleStageLayers(Layers, Layout) ?? StageLayers(Layers, Layout.Pp)
        : StageLayers(Layers, Layout.Pp);

    /// <summary>Layers on the first stage: first= when given, else the fullest stage's (the default split puts the extra layers first).</summary>
    public int FirstStageLayers => Layout.FirstStageLayers > 0 ? Layout.FirstStageLayers : Layout.Pp == 1 ? Layers : MiddleStageLayers;

    /// <summary>Layers on the last stage: last= when given, else what the default split leaves it (fewest when uneven).</summary>
    public int LastStageLayers => Layout.LastStageLayers > 0 ? Layout.LastStageLayers
        : Layout.UnevenStages ? MiddleStageLayers
        : LayoutRules.DefaultLastStageLayers(Layers, Layout.Pp);

    /// <summary>Layers on stage <paramref name="i"/> (0-based) of the pipeline.</summary>
    public int StageLayersAt(int i) => i == 0 ? FirstStageLayers : i == Layout.Pp - 1 ? LastStageLayers : MiddleStageLayers;

    public double MeanLayersPerStage => (double)Layers / Layout.Pp;

    /// <summary>Share of MoE layers among all layers (0 for dense models).</summary>
    public double MoeShare => Params.Layers == 0 ? 0 : (double)Params.MoeLayers / Params.Layers;

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
        return (dense, moeLayers * ExpertWeightsPerLayer);
    }

    /// <summary>Weights on the device of the first stage and of the last stage.</summary>
    public (double Dense, double Expert) FirstStageWeights => StageWeights(FirstStageLayers, true, Layout.Pp == 1);
    public (double Dense, double Expert) LastStageWeights => StageWeights(LastStageLayers, Layout.Pp == 1, true);

    /// <summary>The stage with the most weights on one device: the first, the last, or (when first=/last= shrink those) one between.</summary>
    public (double Dense, double Expert) HeaviestStageWeights
    {
        get
        {
            var (f, l) = (FirstStageWeights, LastStageWeights);
            var heaviest = f.Dense + f.Expert >= l.Dense + l.Expert ? f : l;
            if (Layout.Pp <= 2 || !Layout.UnevenStages) return heaviest;
            var middle = StageWeights(MiddleStageLayers, false, false);
            return middle.Dense + middle.Expert > heaviest.Dense + heaviest.Expert ? middle : heaviest;
        }
    }
}
