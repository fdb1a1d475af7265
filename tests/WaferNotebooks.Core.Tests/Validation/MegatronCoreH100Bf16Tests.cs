using Xunit.Abstractions;

namespace WaferNotebooks.Core.Tests.ValidationTests;

/// <summary>
/// Megatron-Core r0.8.0 on H100 in 16-bit precision (the Megatron-LM README's weak-scaling table,
/// GPT 1.7B–462B on 48–6,144 GPUs, and the two stated points of its GPT-3 175B strong scaling):
/// the only Megatron-family H100 rows that are not FP8, held out of every fit. They test the
/// Megatron-family H100 share (0.914, docs/gpu-model.md §8), fitted to NVIDIA's FP8 Megatron-Core
/// rows, on 16-bit runs, and so the quick-start headline, which rests on it. At share 1 they were
/// too fast: the five 70B–462B rows, whose TP/PP/DP and batch are published, +13% to +19% (mean
/// 15.6%), all 11 21.4%. With the share: the five 5.2% (+1.9% to +8.0%), all 11 13.3%. The miss
/// still grows as the models shrink (1.7B +41%, 7.1B +26%; no mechanism checked); 32B is −15%. With Megatron's
/// loss counted op by op (§3.7: 38 + 14 B per logit against 8 + 8) the 1.7B row is +33%, but the share refitted with it
/// (0.889 -> 0.914) makes the five 70B–462B rows 7.2% (+4.0% to +10.1%) and all 11 13.6%; the 1.7B row's range now starts 1.4% above it.
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
        // Reached: 10 of 11 inside their ranges (micro-batch, interleaving and recompute are open in every row; 7.1B is outside).
        Assert.True(rows.Count(r => r.InsideRange == true) >= 9, $"{rows.Count(r => r.InsideRange == true)} of 11 inside (reached 9 with Megatron's loss counted op by op; 10 before)");
        double all = rows.Average(r => r.AbsError!.Value);
        Assert.True(all <= 0.137, $"Megatron-Core 16-bit H100 mean |error| {all:P1} (reached 13.6% with Megatron's loss counted op by op; 13.3% with the Megatron-family H100 share; 21.4% at share 1)");

        // The weak-scaling rows of 70B and more: the whole layout but micro-batch, interleaving and recompute is published.
        var large = rows.Where(r => !r.Id.Contains("strong") && r.Devices >= 768).ToList();
        Assert.Equal(5, large.Count);
        double largeMean = large.Average(r => r.AbsError!.Value);
        Assert.True(largeMean <= 0.073, $"70B–462B mean |error| {largeMean:P1} (reached 7.2% with Megatron's loss counted op by op and the share refitted to 0.914; 5.2% with the Megatron-family H100 share, +1.9% to +8.0%; 15.6% at share 1)");
    }
}
