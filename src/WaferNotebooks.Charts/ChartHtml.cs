using Plotly.NET;

namespace WaferNotebooks.Charts;

/// <summary>
/// Chart → HTML. Online charts use Plotly.NET.Interactive's notebook convention (require.js
/// and the plotly.js CDN), so they behave exactly as Plotly.NET charts do in any .NET notebook.
/// Offline charts reference nothing: the document defines window.Plotly once, from the
/// plotly.js that Plotly.NET embeds as a resource.
/// </summary>
internal static class ChartHtml
{
    public static string Render(GenericChart chart, bool offline)
    {
        chart = GenericChart.addConfig(new Config().Set("responsive", true).Set("displaylogo", false), chart);
        if (!offline)
            return Plotly.NET.Interactive.Formatters.toInteractiveHTML(chart);
        var noReference = new DisplayOptions().Set("PlotlyJSReference", PlotlyJSReference.NoReference);
        return GenericChart.toChartHTML(GenericChart.addDisplayOptions(noReference, chart));
    }

    private static readonly Lazy<string> Script = new(LoadScript);

    public static string PlotlyScript() => Script.Value;

    private static string LoadScript()
    {
        var plotly = typeof(GenericChart).Assembly;
        var resource = $"Plotly.NET.plotly-{Globals.PLOTLYJS_VERSION}.min.js";
        using var stream = plotly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{plotly.GetName().Name} has no resource {resource}.");
        using var reader = new StreamReader(stream);
        // plotly.js is a UMD bundle: where require.js is present (classic Jupyter) it would
        // register an AMD module instead of window.Plotly, so define is hidden while it runs.
        return "<script type=\"text/javascript\">(function(){var wnDefine=window.define;window.define=undefined;\n"
            + reader.ReadToEnd()
            + "\n;window.define=wnDefine;})();</script>";
    }
}
