using System.Globalization;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Validation;

/// <summary>
/// Loads the vTrain ground-truth CSVs (Bang et al., MICRO'24, data/validation/vtrain/README.md)
/// as validation cases on the <c>vtrain-a100</c> system: GPT-3-style models (FFN 4h, vocab
/// 51,200 after Megatron padding), full activation recompute, 1F1B without interleaving, no
/// sequence parallelism, fp16, ZeRO 0, on Megatron-DeepSpeed; the metric is the iteration time in seconds. The
/// optional first column (parameters in billions) becomes params_b.
/// </summary>
public static class VTrainData
{
    public const string SystemId = "vtrain-a100";
    const int Vocab = 51200;

    /// <summary>
    /// Megatron-DeepSpeed (the vTrain README), so DeepSpeed's pipeline engine without gradient
    /// bucketing; attention as Megatron-DeepSpeed runs it without <c>--use-flash-attn</c>: scores materialised.
    /// </summary>
    static readonly CaseInputs Inputs = new() { Framework = Gpu.TrainingFramework.DeepSpeed, FusedAttention = false };

    public static IReadOnlyList<ValidationCase> Load(string path, string idPrefix)
    {
        var records = CsvReader.Parse(File.ReadAllText(path));
        if (records.Count < 2) throw new FormatException($"{path}: no data rows");
        var header = records[0].Fields.Select((n, i) => (n: n.Trim().ToLowerInvariant(), i)).ToDictionary(x => x.n, x => x.i);
        int Col(string name) => header.TryGetValue(name, out int i) ? i : throw new FormatException($"{path}: missing column '{name}'");
        int gpus = Col("# gpus"), gb = Col("global batch"), mbc = Col("micro batch"), hid = Col("hidden size"), heads = Col("attention heads"),
            layers = Col("# layers"), seq = Col("sequence length"), tpc = Col("tensor parallelism"), dpc = Col("data parallelism"),
            ppc = Col("pipeline parallelism"), time = Col("iteration time (ms)");
        int? pcol = header.TryGetValue("parameters (billion)", out int pi) ? pi : null;

        var cases = new List<ValidationCase>();
        foreach (var r in records.Skip(1))
        {
            double D(int i) => double.Parse(r.Fields[i], NumberStyles.Float, CultureInfo.InvariantCulture);
            int I(int i) => (int)D(i);
            int h = I(hid);
            cases.Add(new ValidationCase(
                $"{idPrefix}-{r.Line}", r.Line, $"GPT h={h} L={I(layers)}", pcol is { } p ? D(p) : null,
                I(layers), h, 4 * h, I(heads), I(heads), Vocab, I(seq), I(gb), I(mbc), null, null,
                SystemId, I(gpus), I(tpc), I(ppc), I(dpc), 1, 1, 1, 0, Recompute.Full, false, Precision.Fp16,
                null, "iteration_s", D(time) / 1000, "vTrain ground truth") { Inputs = Inputs });
        }
        return cases;
    }
}
