namespace WaferNotebooks.Cli.Tests.Commands;

/// <summary>Titles count in words that agree with the number: one point, one system, not "1 points".</summary>
public class CountWordsTests
{
    [Fact]
    public void One_of_a_kind_is_singular_and_more_are_plural()
    {
        Assert.StartsWith("llama2-7b on dgx-h100: 1 point\n",
            CliRunner.Run("sweep", "--model", "llama2-7b", "--on", "dgx-h100", "--counts", "8").Out.ReplaceLineEndings("\n"));
        Assert.StartsWith("llama2-7b: 1 system compared\n",
            CliRunner.Run("compare", "--model", "llama2-7b", "--on", "dgx-h100:8").Out.ReplaceLineEndings("\n"));
        Assert.StartsWith("llama2-7b on dgx-h100: 2 points\n",
            CliRunner.Run("sweep", "--model", "llama2-7b", "--on", "dgx-h100", "--counts", "8,16").Out.ReplaceLineEndings("\n"));
    }
}
