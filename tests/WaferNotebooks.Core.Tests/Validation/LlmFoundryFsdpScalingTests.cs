using WaferNotebooks.Core.Validation;

namespace WaferNotebooks.Core.Tests.ValidationTests;

/// <summary>
/// ZeRO-3 as composer 0.16 ran FSDP for llm-foundry's H100 tables (docs/gpu-model.md §4.4): the
/// backward gathers stay under the compute. The table itself measures this: the same 13B and 1B
/// jobs on 8 GPUs (NVLink only) and on 64 GPUs (eight nodes over InfiniBand) run at the same
/// per-GPU throughput, while with the model's own network numbers a gather exposed in the backward
/// would cost twice as much on 64 GPUs as on 8.
/// </summary>
public class LlmFoundryFsdpScalingTests
{
    static string PublishedCsv => Path.Combine(DataFiles.Dir, "published", "runs.csv");

    /// <summary>The published row with devices, dp, micro-batch, global batch and value replaced by another line of the same table.</summary>
    static string Variant(string id, int devices, int microBatch, int globalBatch, double value)
    {
        var lines = File.ReadAllLines(PublishedCsv);
        var header = lines[0].Split(',');
        string row = Assert.Single(lines, l => l.StartsWith(id + ","));
        var fields = row.Split(',', Array.IndexOf(header, "source") + 1);
        void Set(string column, object v) => fields[Array.IndexOf(header, column)] = v.ToString()!;
        Set("id", $"{id}-as-{devices}x");
        Set("devices", devices);
        Set("dp", devices);
        Set("micro_batch", microBatch);
        Set("global_batch_seqs", globalBatch);
        Set("value", value);
        return string.Join(',', fields);
    }

    static (double Measured, double Predicted) Predict(string csvLine)
    {
        var csv = File.ReadLines(PublishedCsv).First() + "\n" + csvLine + "\n";
        var r = Assert.Single(new ValidationRun().Run(csv, "llm-foundry").Rows);
        Assert.False(r.Skipped, r.Reason);
        return (r.Measured, r.Predicted!.Value);
    }

    [Theory]
    // 'H100 80GB BF16' table: 13B, s2048, mb 2, no recompute: 4792 T/s/GPU on 8, 4800 on 64.
    [InlineData("llmfoundry-h100-bf16-mpt13b-64x-s2048", 2, 16, 4792, 2, 128, 4800)]
    // 1B, s2048, no recompute: 45455 on 8 (mb 14), 44402 on 64 (mb 20).
    [InlineData("llmfoundry-h100-bf16-mpt1b-64x-s2048", 14, 112, 45455, 20, 1280, 44402)]
    public void Eight_nodes_over_InfiniBand_keep_the_per_GPU_throughput_of_one_NVLink_node(
        string id, int mb8, int gb8, double measured8, int mb64, int gb64, double measured64)
    {
        var one = Predict(Variant(id, 8, mb8, gb8, measured8));
        var eight = Predict(Variant(id, 64, mb64, gb64, measured64));
        double published = measured64 / measured8, predicted = eight.Predicted / one.Predicted;
        // Published ratios 1.002 (13B) and 0.977 (1B). A backward gather serialised with the
        // compute would, with dgx-h100's 370 GB/s NVLink and 45 GB/s per GPU InfiniBand, take
        // 1.5 ms per 13B layer on 8 GPUs and 3.0 ms on 64, against about 15 ms of compute per
        // layer and micro-batch: a drop near 10% from 8 to 64 GPUs that the table does not show.
        // The model, with the gather beside the compute, gives 0.955 (13B: its backward is near
        // the link's time at 64 GPUs) and 1.006 (1B); costing the backward gather serially gives 0.887 for 13B.
        Assert.InRange(predicted, published - 0.07, published + 0.07);
    }
}
