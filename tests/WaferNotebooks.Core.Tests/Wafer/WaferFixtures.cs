using System.Text.Json;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.Wafer;

/// <summary>The shipped wafer catalog and the public models the wafer tests train.</summary>
static class WaferFixtures
{
    public static IReadOnlyList<WaferCluster> Clusters { get; } = Load();

    public static WaferCluster Cs2 => Clusters.Single(c => c.Id == "cs-2");
    public static WaferCluster Cs3 => Clusters.Single(c => c.Id == "cs-3");

    public static EconomicAssumptions Economics => EconomicAssumptions.Default;

    /// <summary>GPT-3 XL / Cerebras-GPT 1.3B: 24 layers, 2048 wide, 16 heads, GPT-2 BPE (Brown et al. 2020 table 2.1; Dey et al. 2023).</summary>
    public static ModelSpec Gpt3Xl { get; } = new("gpt3-1.3b", "GPT-3 XL", 24, 2048, 8192, FfnKind.Gelu, 16, 16, 128, 50257, 2048, TiedEmbeddings: true, PublishedParamsB: 1.3);

    /// <summary>Megatron 1T: 128 layers, 25600 wide, 160 heads (Narayanan et al. 2021, table 1).</summary>
    public static ModelSpec Megatron1T { get; } = new("megatron-1t", "Megatron 1T", 128, 25600, 102400, FfnKind.Gelu, 160, 160, 160, 51200, 2048, PublishedParamsB: 1008);

    /// <summary>GPT-NeoX-20B: 44 layers, 6144 wide, 64 heads, vocab 50432 (Black et al. 2022).</summary>
    public static ModelSpec NeoX20B { get; } = new("gpt-neox-20b", "GPT-NeoX-20B", 44, 6144, 24576, FfnKind.Gelu, 64, 64, 96, 50432, 2048, PublishedParamsB: 20.6);

    static IReadOnlyList<WaferCluster> Load()
    {
        using var stream = typeof(WaferCluster).Assembly.GetManifestResourceStream("WaferNotebooks.Catalog.wafer.json")
            ?? throw new InvalidOperationException("wafer.json is not embedded");
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.GetProperty("systems").EnumerateArray().Select(WaferCluster.FromJson).ToList();
    }

    public static TrainingJob Job(ModelSpec model, int batchSeqs, double tokens) => new(model, tokens, batchSeqs, model.SeqLen);
}
