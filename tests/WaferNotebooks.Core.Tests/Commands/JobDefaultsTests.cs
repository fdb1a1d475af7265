using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.Commands;

/// <summary>The batch a command gets when it gives none: the model's published one, kept in tokens when the context changes.</summary>
public class JobDefaultsTests
{
    private static readonly SimulatorCatalog Catalog = SimulatorCatalog.Default;

    [Theory]
    [InlineData("gpt3-175b", 2048, 1536)]   // Brown et al. 2020: 3.2M tokens
    [InlineData("gpt3-175b", 4096, 768)]    // same tokens per step at twice the context
    [InlineData("llama2-70b", 4096, 1024)]  // 4M tokens of 4,096
    [InlineData("llama3-405b", 8192, 2048)] // 16M tokens of 8,192
    [InlineData("mtnlg-530b", 2048, 1920)]
    [InlineData("llama3-8b", 8192, 512)]    // no published batch: 4M tokens
    public void The_default_batch_is_the_published_one(string model, int seq, int expected) =>
        Assert.Equal(expected, JobDefaults.GlobalBatchSeqs(Catalog.FindModel(model), seq));

    [Fact]
    public void Every_published_batch_says_where_it_was_published()
    {
        var withBatch = Catalog.Models.Where(m => m.BatchSeqs is not null).ToArray();
        Assert.True(withBatch.Length >= 25, $"{withBatch.Length} models carry a published batch");
        Assert.All(withBatch, m => Assert.False(string.IsNullOrWhiteSpace(m.BatchSource), m.Id));
    }
}
