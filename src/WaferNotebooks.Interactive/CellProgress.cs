using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using static Microsoft.DotNet.Interactive.Formatting.PocketViewTags;

namespace WaferNotebooks.Interactive;

/// <summary>
/// One progress bar per cell. Work reports from any thread (the planner scores layouts in
/// parallel): reports only raise the highest fraction seen, and the cell's own flow
/// (<see cref="RunAsync{T}"/>) draws it a few times a second, so the bar never goes backwards,
/// never splits in two, and is removed when the work ends.
/// </summary>
internal sealed class CellProgress(KernelInvocationContext context, string what) : IProgress<double>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private long highestPercent = -1;

    public void Report(double fraction)
    {
        var percent = (long)Math.Clamp(fraction * 100, 0, 100);
        long seen;
        while (percent > (seen = Interlocked.Read(ref highestPercent))
               && Interlocked.CompareExchange(ref highestPercent, percent, seen) != seen)
        {
        }
    }

    /// <summary>Awaits the work, showing the bar only if it takes longer than one interval.</summary>
    public async Task<T> RunAsync<T>(Task<T> work)
    {
        DisplayedValue? shown = null;
        var drawn = -1L;
        try
        {
            while (await Task.WhenAny(work, Task.Delay(Interval)) != work)
            {
                var percent = Interlocked.Read(ref highestPercent);
                if (percent < 0 || percent == drawn) continue;
                drawn = percent;
                if (shown is null) shown = context.Display(Bar(percent), HtmlFormatter.MimeType);
                else shown.Update(Bar(percent));
            }
            return await work;
        }
        finally
        {
            // An empty update removes the bar; hosts that keep outputs (wafer run) drop it.
            shown?.Update(new HtmlString(""));
        }
    }

    private IHtmlContent Bar(long percent) =>
        div[@class: "wafer-progress", style: "font-size:12px;opacity:0.8"](
            $"{what}: {percent}% ",
            new HtmlString($"<progress max=\"100\" value=\"{percent}\" style=\"width:240px;vertical-align:middle\"></progress>"));
}
