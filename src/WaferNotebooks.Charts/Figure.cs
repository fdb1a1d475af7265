using DynamicObj;
using Plotly.NET;

namespace WaferNotebooks.Charts;

/// <summary>
/// Builds Plotly.NET traces and layouts by plotly.js attribute name. Plotly.NET's typed chart
/// functions are F# members whose optional arguments C# must spell out one by one (dozens per
/// call); its objects are dynamic, so setting the attributes directly keeps each chart short and
/// still goes through Plotly.NET's JSON and HTML.
/// </summary>
internal static class Figure
{
    public static T Set<T>(this T obj, string attribute, object value) where T : DynamicObj.DynamicObj
    {
        obj.SetProperty(attribute, value);
        return obj;
    }

    public static Trace2D Bar(string name, IEnumerable<object> x, IEnumerable<double> y) =>
        new Trace2D("bar").Set("name", name).Set("x", x.ToArray()).Set("y", y.ToArray());

    /// <summary>A horizontal bar: lengths on x, categories on y.</summary>
    public static Trace2D HorizontalBar(string name, IEnumerable<double> x, IEnumerable<string> y) =>
        new Trace2D("bar").Set("name", name).Set("orientation", "h").Set("x", x.ToArray()).Set("y", y.ToArray());

    public static Trace2D Scatter(string name, string mode, IEnumerable<double> x, IEnumerable<double> y) =>
        new Trace2D("scatter").Set("name", name).Set("mode", mode).Set("x", x.ToArray()).Set("y", y.ToArray());

    /// <summary>
    /// Without Plotly.NET's defaults: they fix the width at 600 px and add a white template,
    /// where these charts fill their cell and take their look from <see cref="ChartTheme"/>.
    /// </summary>
    public static GenericChart Chart(IEnumerable<Trace> traces, Layout layout) =>
        GenericChart.addLayout(layout, GenericChart.ofTraceObjects(false, traces.ToArray()));
}
