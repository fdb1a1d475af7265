using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace WaferNotebooks.Notebooks;

/// <summary>Turns the kernel events of one submission into the outputs a notebook stores:
/// displays (updated in place, as progress displays are), return values, stdout, stderr and
/// the error of a failed cell.</summary>
internal static class CellOutputs
{
    /// <summary>Appends the outputs to <paramref name="cell"/>; returns the failure message,
    /// or null when the cell succeeded.</summary>
    public static string? Record(IEnumerable<KernelEvent> events, InteractiveDocumentElement cell)
    {
        var displays = new Dictionary<string, DisplayElement>();
        string? error = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case DisplayedValueUpdated updated when updated.ValueId is not null && displays.TryGetValue(updated.ValueId, out var shown):
                    if (IsEmpty(updated.FormattedValues))
                    {
                        // Updated to nothing (a finished progress bar): gone from the notebook too.
                        cell.Outputs.Remove(shown);
                        displays.Remove(updated.ValueId);
                        break;
                    }
                    shown.Data.Clear();
                    foreach (var (mime, value) in Data(updated.FormattedValues))
                        shown.Data[mime] = value;
                    break;
                case DisplayedValueProduced or DisplayedValueUpdated:
                    var display = new DisplayElement(Data(((DisplayEvent)e).FormattedValues));
                    cell.Outputs.Add(display);
                    if (((DisplayEvent)e).ValueId is { } id)
                        displays[id] = display;
                    break;
                case ReturnValueProduced returned:
                    var element = new ReturnValueElement { ExecutionOrder = cell.ExecutionOrder };
                    foreach (var (mime, value) in Data(returned.FormattedValues))
                        element.Data[mime] = value;
                    cell.Outputs.Add(element);
                    break;
                case StandardOutputValueProduced stdout:
                    cell.Outputs.Add(new TextElement(PlainText(stdout), "stdout"));
                    break;
                case StandardErrorValueProduced stderr:
                    cell.Outputs.Add(new TextElement(PlainText(stderr), "stderr"));
                    break;
                case CommandFailed failed when error is null:
                    error = failed.Message;
                    cell.Outputs.Add(new ErrorElement(failed.Message, "Error", failed.Message.Split('\n')));
                    break;
            }
        }
        return error;
    }

    private static Dictionary<string, object> Data(IEnumerable<FormattedValue> values) =>
        values.Where(v => !v.SuppressDisplay)
            .GroupBy(v => v.MimeType)
            .ToDictionary(g => g.Key, g => (object)g.First().Value);

    private static bool IsEmpty(IEnumerable<FormattedValue> values) =>
        values.Where(v => !v.SuppressDisplay).All(v => string.IsNullOrWhiteSpace(v.Value));

    private static string PlainText(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value
        ?? e.Value?.ToString() ?? "";
}
