using Plotly.NET;

namespace WaferNotebooks.Charts;

/// <summary>
/// One look for every chart, readable on the light and the dark themes of VS Code and Jupyter:
/// transparent backgrounds (the notebook's own colour shows through), mid-grey text and
/// translucent grey gridlines that contrast with both white and near-black, and a palette of
/// medium-lightness colours that keep their contrast on either background.
/// </summary>
internal static class ChartTheme
{
    public const string TextColour = "#8a8a8a";
    public const string GridColour = "rgba(138,138,138,0.25)";
    public const string MutedColour = "rgba(138,138,138,0.55)";

    /// <summary>Okabe–Ito colour-blind-safe palette (Okabe and Ito 2008), without its black (lost on
    /// dark themes) and its yellow (lost on white).</summary>
    public static readonly string[] Palette =
        ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#999999"];

    public static string Colour(int i) => Palette[i % Palette.Length];

    public static object Axis(string title, bool log = false)
    {
        var axis = new Dictionary<string, object>
        {
            ["title"] = new { text = title },
            ["type"] = log ? "log" : "-",
            ["gridcolor"] = GridColour,
            ["zerolinecolor"] = GridColour,
            ["linecolor"] = GridColour,
            ["automargin"] = true,
        };
        // A label per decade in SI form (1, 10, 100, 1k, 10k), the digits between as unlabelled
        // gridlines: plotly's "2" and "5" labels between decades read as "5, 2, 100k, 5".
        if (log)
        {
            axis["dtick"] = 1;
            axis["exponentformat"] = "SI";
            axis["minor"] = new { dtick = "D1", showgrid = true, gridcolor = "rgba(138,138,138,0.12)" };
        }
        return axis;
    }

    /// <summary>
    /// No fixed width: the chart fills its output cell (with the responsive config of
    /// <see cref="ChartHtml"/>) and keeps a fixed height. The legend sits right of the plot area,
    /// where plotly.js widens the margin to fit it, so it never meets an axis title or the title.
    /// </summary>
    public static Layout Layout(string title, string xTitle, string yTitle, bool logX = false, bool logY = false, int height = 380) =>
        new Layout()
            .Set("title", new { text = title, x = 0, xref = "paper", xanchor = "left", font = new { size = 15 } })
            .Set("font", new { family = "system-ui, -apple-system, 'Segoe UI', sans-serif", size = 12, color = TextColour })
            .Set("paper_bgcolor", "rgba(0,0,0,0)")
            .Set("plot_bgcolor", "rgba(0,0,0,0)")
            .Set("autosize", true)
            .Set("height", height)
            .Set("margin", new { l = 64, r = 24, t = 48, b = 56 })
            .Set("hovermode", "closest")
            .Set("hoverlabel", new { align = "left" })
            .Set("legend", new { orientation = "v", x = 1.02, xanchor = "left", y = 1, yanchor = "top" })
            .Set("xaxis", Axis(xTitle, logX))
            .Set("yaxis", Axis(yTitle, logY));
}
