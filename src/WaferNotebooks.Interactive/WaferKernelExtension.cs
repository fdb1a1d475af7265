using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using WaferNotebooks.Core.Commands;

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
            new HtmlString($"<div>Added <code>#!wafer</code> ({string.Join(", ", CommandGrammar.Subcommands.Select(s => s.Name))}): LLM training estimates with charts. Try <code>#!wafer --help</code>.</div>"),
            HtmlFormatter.MimeType);
        return Task.CompletedTask;
    }

    /// <summary>
    /// display(result) and a cell returning a result show the same card and charts as #!wafer,
    /// for every type a subcommand shares with notebook code.
    /// </summary>
    private static void RegisterFormatters()
    {
        foreach (var unit in Subcommands.All)
            unit.VisitSharedTypes(new CardFormatter());
        TableHtml.Register();
    }

    /// <summary>Registers the card as the HTML of one shared type, typed (no cast from object).</summary>
    private sealed class CardFormatter : ISharedTypeVisitor
    {
        public void Visit<T>(Func<T, CommandResult> toResult) where T : notnull
        {
            Formatter.Register<T>((value, writer) =>
                writer.Write(ResultHtml.Render(toResult(value), NotebookSettings.Current.Offline).ToString()), HtmlFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(typeof(T), HtmlFormatter.MimeType);
        }
    }
}
