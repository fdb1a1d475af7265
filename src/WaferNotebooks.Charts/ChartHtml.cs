using System.IO.Compression;
using System.Text.Json;
using Plotly.NET;

namespace WaferNotebooks.Charts;

/// <summary>
/// Chart → HTML: a div and a script that draws the figure with plotly.js once plotly.js is
/// there. Every chart carries the same small loader (<see cref="Loader"/>), which finds
/// plotly.js in this order: already on the page; unpacked from a <see cref="PlotlyBundle"/>
/// anywhere on the page (offline outputs carry one each); else fetched from the plotly.js CDN.
/// When none works, the chart's box says so and names <c>--offline</c> instead of staying blank.
/// </summary>
internal static class ChartHtml
{
    /// <summary>The class of the element that holds the compressed plotly.js.</summary>
    public const string BundleClass = "wafer-plotly-bundle";

    public static string Render(GenericChart chart, bool offline) => Render(GenericChart.toFigureJson(chart), offline);

    /// <summary>
    /// Any plotly.js figure (<c>{"data": [...], "layout": {...}}</c>, as <c>Plotly.newPlot</c>
    /// takes it) as chart HTML: how the extension draws the figures it made and the ones users edit.
    /// </summary>
    public static string Render(string figureJson, bool offline)
    {
        string data, layout;
        try
        {
            using var figure = JsonDocument.Parse(figureJson);
            var root = figure.RootElement;
            data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Array ? d.GetRawText()
                : throw new ArgumentException("A plotly.js figure needs a \"data\" array of traces.", nameof(figureJson));
            layout = root.TryGetProperty("layout", out var l) && l.ValueKind == JsonValueKind.Object ? l.GetRawText() : "{}";
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Not a plotly.js figure in JSON: {e.Message}", nameof(figureJson), e);
        }
        var id = "wafer-plot-" + Guid.NewGuid().ToString("N");
        // The figure's JSON sits in a script: "</" would end that script early.
        data = data.Replace("</", "<\\/", StringComparison.Ordinal);
        layout = layout.Replace("</", "<\\/", StringComparison.Ordinal);
        return $$"""
            <div id="{{id}}" class="wafer-plot"></div>
            <script type="text/javascript">
            {{Loader}}
            (function () {
            var data = {{data}};
            var layout = {{layout}};
            var config = {{Config}};
            window.waferPlotly.draw('{{id}}', function (Plotly) { return Plotly.newPlot('{{id}}', data, layout, config); }, {{(offline ? "true" : "false")}});
            })();
            </script>
            """;
    }

    private const string Config = """{"responsive":true,"displaylogo":false}""";

    private static string CdnUrl => $"https://cdn.plot.ly/plotly-{Globals.PLOTLYJS_VERSION}.min.js";

    /// <summary>
    /// Defines <c>window.waferPlotly</c> once per page (about 2 KB in every chart, so any output
    /// draws on its own after a re-run or a reload). plotly.js is a UMD bundle: where require.js is
    /// present (classic Jupyter) it would register an AMD module instead of window.Plotly, so
    /// <c>define</c> is hidden while it runs.
    /// </summary>
    private static string Loader => $$"""
        window.waferPlotly = window.waferPlotly || (function () {
          var pending = null;
          function run(source) {
            var amd = window.define, script = document.createElement('script');
            window.define = undefined;
            try { script.text = source; document.head.appendChild(script); } finally { window.define = amd; }
            return window.Plotly;
          }
          function unpack(bundle) {
            if (typeof DecompressionStream === 'undefined') return Promise.reject(new Error('this browser cannot unpack the plotly.js embedded by --offline'));
            var bytes = Uint8Array.from(atob(bundle.textContent.trim()), function (c) { return c.charCodeAt(0); });
            var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
            return new Response(stream).text().then(run);
          }
          function fetchCdn() {
            return new Promise(function (resolve, reject) {
              var script = document.createElement('script'), amd = window.define, timer;
              function done(ok) { clearTimeout(timer); window.define = amd; ok && window.Plotly ? resolve(window.Plotly) : reject(new Error('plotly.js did not load from {{CdnUrl}}')); }
              window.define = undefined;
              script.src = '{{CdnUrl}}';
              script.onload = function () { done(true); };
              script.onerror = function () { done(false); };
              timer = setTimeout(function () { done(false); }, 15000);
              document.head.appendChild(script);
            });
          }
          function plotly() {
            if (window.Plotly) return Promise.resolve(window.Plotly);
            if (pending) return pending;
            var bundle = document.querySelector('script.{{BundleClass}}');
            pending = (bundle ? unpack(bundle) : fetchCdn()).catch(function (e) { pending = null; throw e; });
            return pending;
          }
          function explain(id, error, offline) {
            var box = document.getElementById(id);
            if (!box) return;
            box.className += ' wafer-plot-missing';
            box.style.cssText = 'padding:10px 12px;margin:6px 0;border:1px dashed #d55e00;border-radius:6px;font:13px system-ui,sans-serif;color:inherit';
            box.textContent = 'This chart could not be drawn: ' + error.message + '. ' + (offline
              ? 'Re-run the cell to embed plotly.js again.'
              : 'Without internet, re-run the cell with --offline (or run #!wafer --offline once) to embed plotly.js in the output.');
          }
          return {
            draw: function (id, draw, offline) {
              plotly().then(draw).catch(function (e) { explain(id, e, offline); });
            }
          };
        })();
        """;

    private static readonly Lazy<string> Bundle = new(LoadBundle);

    /// <summary>
    /// An inert script element holding plotly.js gzipped and base64-encoded (about 1.3 MB instead
    /// of 3.6 MB), for offline outputs: each carries one, so every saved output can draw alone.
    /// </summary>
    public static string PlotlyBundle() => Bundle.Value;

    private static string LoadBundle()
    {
        var plotly = typeof(GenericChart).Assembly;
        var resource = $"Plotly.NET.plotly-{Globals.PLOTLYJS_VERSION}.min.js";
        using var stream = plotly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{plotly.GetName().Name} has no resource {resource}.");
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
            stream.CopyTo(gzip);
        return $"<script type=\"application/gzip;base64\" class=\"{BundleClass}\" data-plotly-version=\"{Globals.PLOTLYJS_VERSION}\">"
            + Convert.ToBase64String(packed.GetBuffer(), 0, (int)packed.Length) + "</script>";
    }
}
