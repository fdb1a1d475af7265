using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using static Microsoft.DotNet.Interactive.Formatting.PocketViewTags;

namespace WaferNotebooks.Interactive;

/// <summary>
/// A progress bar that updates in place (one displayed value, updated), shown only once work
/// reports progress, and at most once per percent so a million-point sweep does not flood the
/// notebook with events.
/// </summary>
internal sealed class CellProgress(KernelInvocationContext context, string what) : IProgress<double>
{
    private DisplayedValue? shown;
    private int lastPercent = -1;

    public void Report(double fraction)
    {
        var percent = (int)Math.Clamp(fraction * 100, 0, 100);
        if (percent == lastPercent) return;
        lastPercent = percent;
        var html = Bar(percent);
        if (shown is null) shown = context.Display(html, HtmlFormatter.MimeType);
        else shown.Update(html);
    }

    public void Finish()
    {
        if (shown is not null && lastPercent < 100) shown.Update(Bar(100));
    }

    private IHtmlContent Bar(int percent) =>
        div[style: "font-size:12px;opacity:0.8"](
            $"{what}: {percent}% ",
            new HtmlString($"<progress max=\"100\" value=\"{percent}\" style=\"width:240px;vertical-align:middle\"></progress>"));
}
