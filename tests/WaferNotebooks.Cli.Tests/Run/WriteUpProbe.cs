using System.Text.Json;
using System.Text.RegularExpressions;

namespace WaferNotebooks.Cli.Tests.Run;

/// <summary>
/// What a reader sees of an HTML write-up, measured in headless Chromium with the network off, in
/// a window 1280 pixels wide (as the screenshots are taken):
/// for each chart the traces given and drawn and the text boxes of its SVG that overlap; for
/// each table whether a column is cut off and its tallest row; charts that could not draw; and
/// progress bars left behind.
/// </summary>
internal sealed partial record WriteUpProbe(
    IReadOnlyList<WriteUpProbe.Chart> Charts,
    IReadOnlyList<WriteUpProbe.Table> Tables,
    int MissingCharts,
    int ProgressElements,
    int PageHeight)
{
    public sealed record Chart(string Title, int Declared, int Drawn, IReadOnlyList<string> Overlaps);

    /// <param name="Clipped">Part of the table lies beyond an ancestor that hides overflow.</param>
    /// <param name="Fits">The table lies inside the page's column, no scrolling needed.</param>
    /// <param name="InCard">One of the extension's result cards (which scroll sideways by design).</param>
    public sealed record Table(bool Clipped, bool Fits, bool InCard, double TallestRow, int Columns, string FirstHeader);

    private const string Script = """
        <script>
        window.addEventListener('load', () => setTimeout(() => {
          const box = e => e.getBoundingClientRect();
          const visible = t => { const s = getComputedStyle(t); return s.display !== 'none' && s.visibility !== 'hidden' && +s.opacity !== 0; };
          const charts = [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
            const texts = [...gd.querySelectorAll('svg text')]
              .filter(t => t.textContent.trim() !== '' && visible(t))
              .map(t => ({ text: t.textContent.trim(), r: box(t) }))
              .filter(t => t.r.width > 0 && t.r.height > 0);
            const overlaps = [];
            for (let i = 0; i < texts.length; i++)
              for (let j = i + 1; j < texts.length; j++) {
                const a = texts[i].r, b = texts[j].r;
                const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (w > 1 && h > 1) overlaps.push(texts[i].text + ' | ' + texts[j].text);
              }
            const title = (gd.layout && gd.layout.title && (gd.layout.title.text || gd.layout.title)) || '';
            return { title: String(title), declared: (gd.data || []).length, drawn: gd.querySelectorAll('svg.main-svg g.trace').length, overlaps };
          });
          const column = box(document.querySelector('main'));
          const tables = [...document.querySelectorAll('main table')].map(t => {
            let clipped = false;
            for (let a = t.parentElement; a && a !== document.body; a = a.parentElement) {
              const overflow = getComputedStyle(a).overflowX;
              if ((overflow === 'hidden' || overflow === 'clip') && box(t).right > box(a).right + 1) clipped = true;
              if (overflow === 'auto' || overflow === 'scroll') break;
            }
            return {
              clipped, fits: box(t).right <= column.right + 1, inCard: !!t.closest('.wafer-result'),
              tallestRow: Math.max(0, ...[...t.rows].map(r => box(r).height)),
              columns: t.rows.length ? t.rows[0].cells.length : 0,
              firstHeader: t.rows.length ? t.rows[0].innerText.slice(0, 60) : '',
            };
          });
          const out = document.createElement('pre');
          out.id = 'write-up-probe';
          out.textContent = JSON.stringify({
            charts, tables,
            missingCharts: document.querySelectorAll('.wafer-plot-missing').length,
            progressElements: document.querySelectorAll('progress, .wafer-progress').length,
            pageHeight: document.documentElement.scrollHeight,
          });
          document.body.appendChild(out);
        }, 5000));
        </script>
        """;

    /// <summary>Opens a copy of <paramref name="page"/> with the probe added.</summary>
    public static async Task<WriteUpProbe> MeasureAsync(HeadlessChromium chromium, string page)
    {
        var probed = Path.ChangeExtension(page, ".probe.html");
        var html = await File.ReadAllTextAsync(page);
        await File.WriteAllTextAsync(probed, html.Replace("</body>", Script + "</body>", StringComparison.Ordinal));
        var dom = await chromium.DumpDomAsync(probed, virtualTimeMs: 30000);
        var found = Result().Match(dom);
        if (!found.Success)
            throw new InvalidOperationException($"the probe did not run in {page}: the page's scripts failed before it");
        return JsonSerializer.Deserialize<WriteUpProbe>(System.Net.WebUtility.HtmlDecode(found.Groups[1].Value),
            new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    [GeneratedRegex("""<pre id="write-up-probe">(.*?)</pre>""", RegexOptions.Singleline)]
    private static partial Regex Result();
}
