using System.Text.RegularExpressions;

namespace WaferNotebooks.Interactive.Tests;

/// <summary>
/// A table a cell makes with ToTabularDataResource() shows every row in a live notebook: the
/// first 20 (the formatter's list limit) as before, the rest behind a "N more rows" control
/// (issue 13; .NET Interactive's own table ends with "(N more)" and hides them).
/// </summary>
public class TableTests : NotebookKernelTests
{
    [Fact]
    public async Task Rows_past_the_list_limit_are_in_the_output_behind_a_more_control()
    {
        var (ok, error, html, _) = await Submit("using Microsoft.DotNet.Interactive.Formatting.TabularData;\nEnumerable.Range(1, 30).Select(i => new { Row = i, Square = i * i }).ToTabularDataResource()");
        Assert.True(ok, error);
        Assert.Contains("10 more rows (of 30)", html);
        Assert.Contains("<details>", html);
        // Every row is in the output: 30·30 = 900 is the last, 21·21 = 441 the first hidden one.
        foreach (var square in new[] { 1, 400, 441, 900 })
            Assert.Contains($"<pre>{square}</pre>", html);
        // Two tables, each with its header: 20 rows, then 10.
        Assert.Equal(2 + 30, Regex.Matches(html, "<tr>").Count);
        Assert.DoesNotContain("(10 more)", html);
    }

    [Fact]
    public async Task A_table_within_the_limit_is_one_table_without_a_control()
    {
        var (ok, error, html, _) = await Submit("using Microsoft.DotNet.Interactive.Formatting.TabularData;\nEnumerable.Range(1, 20).Select(i => new { Row = i }).ToTabularDataResource()");
        Assert.True(ok, error);
        Assert.DoesNotContain("<details>", html);
        Assert.Equal(1 + 20, Regex.Matches(html, "<tr>").Count);
    }
}
