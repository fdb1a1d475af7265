using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.Wafer;

/// <summary>The shipped catalog's wafer-scale systems and the public models the wafer tests train.</summary>
static class WaferFixtures
{
    static SimulatorCatalog Catalog => SimulatorCatalog.Default;

    public static IReadOnlyList<WaferCluster> Clusters => Catalog.Systems.OfType<WaferCluster>().ToList();

    public static WaferCluster Cs2 => (WaferCluster)Catalog.FindSystem("cs-2");
    public static WaferCluster Cs3 => (WaferCluster)Catalog.FindSystem("cs-3");

    public static EconomicAssumptions Economics => EconomicAssumptions.Default;

    /// <summary>GPT-3 XL, the shape of Cerebras-GPT 1.3B.</summary>
    public static ModelSpec Gpt3Xl => Catalog.FindModel("cerebras-gpt-1.3b");

    public static ModelSpec Megatron1T => Catalog.FindModel("megatron-1t");

    public static ModelSpec NeoX20B => Catalog.FindModel("gpt-neox-20b");

    public static ModelSpec CerebrasGpt111M => Catalog.FindModel("cerebras-gpt-111m");

    public static TrainingJob Job(ModelSpec model, int batchSeqs, double tokens) => new(model, tokens, batchSeqs, model.SeqLen);
}
