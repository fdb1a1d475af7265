namespace WaferNotebooks.Core.Charting;

/// <summary>
/// One chart of a result as data: a short name (<c>step-breakdown</c>), its title, and the
/// plotly.js figure JSON (<c>{"data": [...], "layout": {...}}</c>) that draws it, to change
/// and draw again (see docs/notebooks.md, "Restyling a chart").
/// </summary>
public sealed record ChartFigure(string Name, string Title, string PlotlyJson);
