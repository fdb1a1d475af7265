using Xunit.Abstractions;

namespace WaferNotebooks.Core.Tests.ValidationTests;

/// <summary>
/// Megatron-Core r0.8.0 on H100 in 16-bit precision (the Megatron-LM README's weak-scaling table,
/// GPT 1.7B–462B on 48–6,144 GPUs, and the two stated points of its GPT-3 175B strong scaling):
/// the only Megatron-family H100 rows that are not FP8. Under the Megatron-family share of 1 they
/// are predicted too fast, as the PyTorch-native H100 rows were before their share (§8 of
/// docs/gpu-model.md), but by about half as much: the five rows of 70B–462B, whose TP/PP/DP and
/// batch are published, are +13% to +19% (mean +15.6%), against about +30% for the uncalibrated
/// llm-foundry and torchtitan H100 rows. So part of the H100 miss is 16-bit training on H100
/// whatever the stack, and part is the PyTorch-native stacks. The miss grows as the models shrink
/// (1.7B +55%, 7.1B +39%; no mechanism checked); the 32B row is −10%.
/// The levels asserted are the ones reached, cross-validated by source, so that a regression shows.
/// </summary>
public class MegatronCoreH100Bf16Tests(ITestOutputHelper output)
{
    [Fact]
    public void Megatron_Core_16_bit_H100_rows_are_predicted_within_the_level_reached()
    {
        var rows = PublishedRunsTests.CrossValidated().OutOfGroup.Rows.Where(r => r.Id.StartsWith("mcore-r080-h100-")).ToList();
        foreach (var r in rows)
            output.WriteLine($"{r.Id}: measured {r.Measured:G4}, predicted {r.Predicted:G4} ({r.Error:+0.0%;-0.0%}), range {r.PredictedLow:G4}–{r.PredictedHigh:G4}");

        Assert.Equal(11, rows.Count);
        Assert.All(rows, r => Assert.False(r.Skipped, r.Reason));
        // Reached: 11 of 11 inside their ranges (micro-batch, interleaving and recompute are open in every row).
        Assert.All(rows, r => Assert.True(r.InsideRange == true, $"{r.Id} outside {r.PredictedLow:G4}–{r.PredictedHigh:G4}"));
        double all = rows.Average(r => r.AbsError!.Value);
        Assert.True(all <= 0.215, $"Megatron-Core 16-bit H100 mean |error| {all:P1} (reached 21.4%, signed +15.5%)");

        // The weak-scaling rows of 70B and more: the whole layout but micro-batch, interleaving and recompute is published.
        var large = rows.Where(r => !r.Id.Contains("strong") && r.Devices >= 768).ToList();
        Assert.Equal(5, large.Count);
        double largeMean = large.Average(r => r.AbsError!.Value);
        Assert.True(largeMean <= 0.157, $"70B–462B mean |error| {largeMean:P1} (reached 15.6%, every row too fast: +12.8% to +19.0%)");
    }
}
