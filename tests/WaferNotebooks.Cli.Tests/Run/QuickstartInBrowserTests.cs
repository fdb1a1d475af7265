using System.Text.Json;
using System.Text.RegularExpressions;

namespace WaferNotebooks.Cli.Tests.Run;

/// <summary>The quick-start write-up opened in a real browser with the network off: every
/// chart is drawn by the plotly.js inlined in the page, with all its traces.</summary>
[Collection(WaferRunCollection.Name)]
public sealed partial class QuickstartInBrowserTests
{
    /// <summary>Added to a copy of the page: after the charts had time to draw, records for each
    /// plot how many traces it was given and how many its SVG holds.</summary>
    private const string Probe = """
        <script>
        window.addEventListener('load', () => setTimeout(() => {
          const plots = [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
            declared: (gd.data || []).length,
            drawn: gd.querySelectorAll('svg.main-svg g.trace').length,
            svgs: gd.querySelectorAll('svg.main-svg').length,
          }));
          const out = document.createElement('pre');
          out.id = 'chart-check';
          out.textContent = JSON.stringify({ plotly: typeof window.Plotly, plots });
          document.body.appendChild(out);
        }, 3000));
        </script>
        """;

    [Fact]
    public async Task The_quickstart_write_up_carries_plotly_js_once_and_every_chart_draws_offline_with_all_its_traces()
    {
        var output = RepositoryPaths.Artifacts("quickstart");
        var run = await WaferRun.InvokeAsync(Path.Combine(RepositoryPaths.Notebooks, "01-quickstart.ipynb"), "--out", output.FullName);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var page = Path.Combine(output.FullName, "01-quickstart.html");
        var html = await File.ReadAllTextAsync(page);
        var charts = ChartDiv().Matches(html).Count;
        Assert.True(charts >= 4, $"expected the estimate's and the comparison's charts (at least 4), found {charts}");
        // Each offline output carries plotly.js; the write-up keeps one copy for the page.
        Assert.Single(PlotlyBundle().Matches(html));

        var probed = Path.Combine(output.FullName, "01-quickstart.probe.html");
        await File.WriteAllTextAsync(probed, html.Replace("</body>", Probe + "</body>", StringComparison.Ordinal));
        var chromium = HeadlessChromium.Find();
        var dom = await chromium.DumpDomAsync(probed);

        var check = ChartCheck().Match(dom);
        Assert.True(check.Success, "the probe did not run; the page's scripts failed before it");
        using var result = JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(check.Groups[1].Value));
        Assert.Equal("object", result.RootElement.GetProperty("plotly").GetString());
        var plots = result.RootElement.GetProperty("plots").EnumerateArray().ToList();
        Assert.Equal(charts, plots.Count);
        Assert.All(plots, plot =>
        {
            Assert.True(plot.GetProperty("svgs").GetInt32() > 0, "no plotly SVG");
            Assert.True(plot.GetProperty("declared").GetInt32() > 0, "a chart without traces");
            Assert.Equal(plot.GetProperty("declared").GetInt32(), plot.GetProperty("drawn").GetInt32());
        });

        // Pictures CI keeps as artifacts: the whole write-up, and its first screen (the
        // estimate's card and step-time chart) for the README.
        foreach (var (name, height) in new[] { ("01-quickstart.png", 3600), ("01-quickstart-first-screen.png", 1500) })
        {
            var screenshot = Path.Combine(output.FullName, name);
            await chromium.ScreenshotAsync(page, screenshot, 1280, height);
            Assert.True(new FileInfo(screenshot).Length > 50_000, $"{name} is nearly empty");
        }
    }

    [GeneratedRegex("class=\"wafer-chart\"")]
    private static partial Regex ChartDiv();

    [GeneratedRegex("""<pre id="chart-check">(.*?)</pre>""", RegexOptions.Singleline)]
    private static partial Regex ChartCheck();

    [GeneratedRegex("class=\"wafer-plotly-bundle\"")]
    private static partial Regex PlotlyBundle();
}
