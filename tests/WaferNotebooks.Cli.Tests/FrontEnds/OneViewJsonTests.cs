using System.Text.Json.Nodes;
using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Cli.Tests.FrontEnds;

/// <summary>
/// For every subcommand, <c>--json</c> is the one exporter's rendering of the same view the text
/// and the card render: the CLI's JSON is <see cref="ViewJson"/> of the result's view, and every
/// number a fact or a table cell shows is a number of the view's record, written in JSON as the
/// same value and printed in the terminal in its unit's format.
/// </summary>
public class OneViewJsonTests
{
    private static readonly string Runs = Path.Combine(CliRunner.RepoRoot, "data", "validation", "runs.csv");
    private static readonly string Bridge = Path.Combine(CliRunner.RepoRoot, "data", "validation", "megatron-bridge", "runs.csv");

    public static TheoryData<string[]> Lines => new()
    {
        new[] { "estimate", "--model", "llama2-7b", "--on", "dgx-h100:64", "--tokens", "1T" },
        new[] { "estimate", "--model", "llama3-405b", "--on", "dgx-h100:8", "--tokens", "1T", "--layout", "tp=8,zero=1" },
        new[] { "estimate", "--model", "llama2-70b", "--on", "cs-3:16", "--tokens", "2T" },
        new[] { "compare", "--model", "llama3-405b", "--tokens", "1T", "--on", "dgx-h100:8", "--on", "dgx-h100:1024" },
        new[] { "sweep", "--model", "llama2-7b", "--on", "dgx-h100", "--counts", "8,64", "--tokens", "1T" },
        new[] { "sweep", "--model", "llama2-7b", "--on", "dgx-h100:64", "--vary", "price=1,3" },
        new[] { "plan", "--model", "llama2-7b", "--on", "dgx-h100:64", "--tokens", "1T", "--top", "3" },
        new[] { "plan", "--model", "llama3-405b", "--on", "dgx-h100:8", "--tokens", "1T" },
        new[] { "timeline", "--model", "llama2-7b", "--on", "dgx-h100:64", "--layout", "tp=8,pp=2" },
        new[] { "catalog", "accelerators" },
        new[] { "validate", "--data", Runs },
        new[] { "validate", "--data", Runs, "--cv", "paper" },
        new[] { "calibrate", "--data", Bridge, "--rows", "mbridge-25.11-llama3-8b-b200-*", "--fit", "sustained_matmul_share" },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Json_text_and_card_render_one_view(string[] words)
    {
        var line = CommandLine.Parse(words, FrontEnd.CliOnly);
        var view = CommandExecutor.Default.Execute(RequestParser.Default.Parse(line.Spec.Name, line.Values)).View;
        var json = CliRunner.Run([.. words, "--json"]).Out.Trim();
        var text = CliRunner.Run(words).Out;

        Assert.Equal(ViewJson.Serialize(view), json);
        var root = JsonNode.Parse(json)!;
        var paths = new Dictionary<ViewNumber, string>(ReferenceEqualityComparer.Instance);
        Collect(view, "", paths);
        Assert.NotEmpty(paths);

        var shown = 0;
        foreach (var n in view.Facts.SelectMany(f => f.Values).OfType<ViewNumber>())
        {
            Assert.True(paths.TryGetValue(n, out var path), $"a fact shows {n} that the JSON does not write");
            AssertWritten(root, path, n);
            Assert.Contains(n.ToString(), text);
            shown++;
        }
        foreach (var table in view.Tables)
            for (var c = 0; c < table.AllColumns.Count; c++)
            {
                // A share of the step is the part's time over the step time, both written.
                if (table.AllColumns[c].Header == "share") continue;
                foreach (var n in table.Cells.Select(r => c < r.Count ? r[c]?.Single : null).OfType<ViewNumber>())
                {
                    Assert.True(paths.TryGetValue(n, out var path), $"column '{table.AllColumns[c].Header}' shows {n} that the JSON does not write");
                    AssertWritten(root, path, n);
                    if (table.AllColumns[c].Shown) Assert.Contains(n.ToString(), text);
                    shown++;
                }
            }
        Assert.True(shown > 0 || view.DoesNotFit is not null, "the view shows no typed number");
    }

    /// <summary>The JSON path of every number of the record (nested views and keyed tables included).</summary>
    private static void Collect(ResultView view, string prefix, Dictionary<ViewNumber, string> paths)
    {
        Collect(view.Record, prefix, paths);
        foreach (var table in view.Tables.Where(t => t.Key is not null))
            for (var r = 0; r < table.Cells.Count; r++)
                for (var c = 0; c < table.AllColumns.Count; c++)
                    if (table.AllColumns[c].Key is { } key && table.Cells[r][c]?.Single is ViewNumber n)
                        paths.TryAdd(n, $"{prefix}/{table.Key}/{r}/{key}");
    }

    private static void Collect(ViewValue? value, string path, Dictionary<ViewNumber, string> paths)
    {
        switch (value)
        {
            case ViewNumber n:
                paths.TryAdd(n, path);
                break;
            case ViewRecord record:
                foreach (var field in record) Collect(field.Value, $"{path}/{field.Key}", paths);
                break;
            case ViewArray array:
                for (var i = 0; i < array.Items.Count; i++) Collect(array.Items[i], $"{path}/{i}", paths);
                break;
            case NestedView nested:
                Collect(nested.View, path, paths);
                Collect(nested.Extra, path, paths);
                break;
        }
    }

    private static void AssertWritten(JsonNode root, string path, ViewNumber n)
    {
        JsonNode? node = root;
        foreach (var step in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            node = node is JsonArray a ? a[int.Parse(step, System.Globalization.CultureInfo.InvariantCulture)] : node?[step];
        if (double.IsFinite(n.Value))
            Assert.Equal(n.Value, node!.GetValue<double>());
        else
            Assert.Null(node);
    }
}
