using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Comparisons;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Timeline;
using WaferNotebooks.Core.Validation;
using WaferNotebooks.Core.Validation.Calibration;

namespace WaferNotebooks.Interactive;

/// <summary>
/// The kernel extension: adds #!wafer and HTML formatters for the result records. The
/// dotnet-interactive tool finds it in the package's interactive-extensions/dotnet folder;
/// in-process hosts (tests, wafer run) call <see cref="LoadAsync"/>.
/// </summary>
public sealed class WaferKernelExtension : IKernelExtension
{
    public Task OnLoadAsync(Kernel kernel) => LoadAsync(kernel);

    public static Task LoadAsync(Kernel kernel)
    {
        WaferDirective.AddTo(kernel);
        RegisterFormatters();
        KernelInvocationContext.Current?.Display(
            new HtmlString("<div>Added <code>#!wafer</code> (estimate, compare, sweep, plan, catalog, validate, calibrate, timeline): LLM training estimates with charts. Try <code>#!wafer --help</code>.</div>"),
            HtmlFormatter.MimeType);
        return Task.CompletedTask;
    }

    private static void RegisterFormatters()
    {
        Register<Estimate>();
        Register<Comparison>();
        Register<SweepResult>();
        Register<PlanResult>();
        Register<StepTimeline>();
        Register<ValidationReport>();
        Register<CrossValidationReport>();
        Register<CalibrationResult>();
        Register<CatalogListing>();
        TableHtml.Register();
    }

    /// <summary>display(result) and a cell returning a result show the same card and charts as #!wafer.</summary>
    private static void Register<T>() where T : notnull
    {
        Formatter.Register<T>((value, writer) =>
        {
            var settings = NotebookSettings.Current;
            writer.Write(ResultHtml.Render(value, settings.Offline)?.ToString());
        }, HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlFormatter.MimeType);
    }
}
