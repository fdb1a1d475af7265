using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Core.Tests.ResultsTests;

/// <summary>The hints offered for the part of memory that overflows: only changes that can shrink it.</summary>
public class MemoryHintsTests
{
    [Theory]
    [InlineData("optimizer")]
    [InlineData("gradients")]
    [InlineData("weights")]
    public void ZeRO_is_offered_only_when_there_are_data_parallel_ranks_to_shard_over(string part)
    {
        // tp=8 on 8 GPUs: one data-parallel rank, so zero=N would shard over one rank and save nothing.
        var single = MemoryHints.For(part, new Layout(Tp: 8));
        Assert.DoesNotContain(single, h => h.StartsWith("zero=", StringComparison.Ordinal));
        Assert.Contains(single, h => h.StartsWith("data parallelism (dp > 1)", StringComparison.Ordinal));

        var sharded = MemoryHints.For(part, new Layout(Tp: 8, Dp: 4));
        Assert.Contains(sharded, h => h.StartsWith("zero=", StringComparison.Ordinal));

        // Context-parallel ranks count: ZeRO shards over dp·cp.
        Assert.Contains(MemoryHints.For(part, new Layout(Tp: 4, Cp: 2)), h => h.StartsWith("zero=", StringComparison.Ordinal));
    }
}
