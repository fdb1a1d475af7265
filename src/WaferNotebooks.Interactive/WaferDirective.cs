using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Formatting;
using WaferNotebooks.Core;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Interactive;

/// <summary>
/// The #!wafer directive, built from <see cref="CommandGrammar"/>: a subcommand per grammar
/// subcommand, a parameter per option (descriptions become hover text and completion
/// documentation; model and system ids complete from the catalog). --help and --offline sit on
/// the root and are inherited by every subcommand; the bare #!wafer --offline turns offline
/// charts on for the whole notebook.
/// </summary>
public static class WaferDirective
{
    public const string HelpOption = "--help";
    private const int MaxRepeats = 32;

    public static KernelActionDirective Build()
    {
        var root = new KernelActionDirective(WaferHelp.Directive)
        {
            Description = CommandGrammar.RootDescription + " Type a subcommand, or --help.",
        };
        root.Parameters.Add(new KernelDirectiveParameter(HelpOption, "Show usage, options and an example.") { Flag = true });
        root.Parameters.Add(new KernelDirectiveParameter(CommandGrammar.Offline.Name, CommandGrammar.Offline.Description +
            " Alone (#!wafer --offline) it applies to every later chart in the notebook.") { Flag = true });
        foreach (var spec in CommandGrammar.Subcommands)
        {
            var sub = new KernelActionDirective(spec.Name) { Description = $"{spec.Description} Example: {WaferHelp.Directive} {spec.Example}" };
            foreach (var option in spec.OptionsFor(FrontEnd.NotebookOnly).Where(o => o != CommandGrammar.Offline))
                sub.Parameters.Add(Parameter(option));
            root.Subcommands.Add(sub);
        }
        return root;
    }

    private static KernelDirectiveParameter Parameter(OptionSpec option)
    {
        var description = option.DefaultText is null ? option.Description : $"{option.Description} Default: {option.DefaultText}.";
        var parameter = new KernelDirectiveParameter(option.Name, description)
        {
            Flag = option.IsFlag,
            AllowImplicitName = option.Implicit,
            MaxOccurrences = option.Repeatable ? MaxRepeats : 1,
            TypeHint = option.Kind == ValueKind.File ? "file" : "text",
        };
        var values = Completions(option);
        if (values is not null) parameter.AddCompletions(values);
        return parameter;
    }

    private static Func<IEnumerable<string>>? Completions(OptionSpec option) => option.Completions switch
    {
        CompletionSource.ModelIds => () => SimulatorCatalog.Default.Models.Select(m => m.Id),
        CompletionSource.SystemIds => () => SimulatorCatalog.Default.Systems.Select(s => s.Id),
        _ when option.AllowedValues is { } allowed => () => allowed,
        _ => null,
    };

    /// <summary>
    /// Registers the directive on a kernel (normally the root composite kernel): one handler for the
    /// root and every subcommand of the grammar, which reads its own cell line to know which ran.
    /// </summary>
    public static void AddTo(Kernel kernel)
    {
        var root = Build();
        kernel.AddDirective<WaferDirectiveCommand>(root, HandleAsync);
        foreach (var sub in root.Subcommands)
            kernel.AddDirective<WaferDirectiveCommand>(sub, HandleAsync);
    }

    private static Task HandleAsync(WaferDirectiveCommand command, KernelInvocationContext context) => Guarded(command, context, RunAsync);

    /// <summary>
    /// Runs <paramref name="run"/> so that no exception reaches .NET Interactive's own handler, which
    /// shows a stack trace: bad input fails the cell with its message; anything else (a bug) with the
    /// terminal's one line (<see cref="InternalError"/>), the details folded under it for a bug report.
    /// The kernel stays alive either way.
    /// </summary>
    internal static async Task Guarded(WaferDirectiveCommand command, KernelInvocationContext context, Func<WaferDirectiveCommand, KernelInvocationContext, Task> run)
    {
        try
        {
            await run(command, context);
        }
        catch (WaferInputException e)
        {
            context.Fail(command, message: e.Message);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            context.Fail(command, message: "Cancelled.");
        }
        catch (Exception e)
        {
            context.Display(InternalErrorDetails(e), HtmlFormatter.MimeType);
            context.Fail(command, message: InternalError.Message(e));
        }
    }

    /// <summary>The exception in full, collapsed: closed, the cell shows only the one-line message.</summary>
    private static IHtmlContent InternalErrorDetails(Exception e) =>
        new HtmlString("<details class=\"wafer-internal-error\"><summary>details of the internal error (please include them in a bug report)</summary>" +
            $"<pre style=\"white-space:pre-wrap;font-size:12px\">{System.Net.WebUtility.HtmlEncode(e.ToString())}</pre></details>");

    private static async Task RunAsync(WaferDirectiveCommand command, KernelInvocationContext context)
    {
        var settings = NotebookSettings.For(context.HandlingKernel);
        // The cell's own line, read as the terminal reads its arguments (.NET Interactive's binder
        // drops options the directive does not declare, and repeated ones).
        var words = DirectiveLine.Words(command)
            ?? throw new WaferInputException($"{WaferHelp.Directive} runs from a cell's code; send it as code, e.g. {WaferHelp.Directive} {CommandGrammar.Estimate.Example}");
        if (words.Count == 0 || words[0].StartsWith('-'))
        {
            var offline = words.Contains(CommandGrammar.Offline.Name, StringComparer.OrdinalIgnoreCase);
            if (offline && !words.Any(CommandLine.IsHelp))
            {
                settings.Offline = true;
                context.Display(new HtmlString("<div>Charts in this notebook now carry plotly.js in their output (compressed) and need no internet.</div>"), HtmlFormatter.MimeType);
                return;
            }
            context.Display(WaferHelp.Root(), HtmlFormatter.MimeType);
            return;
        }
        // A word that is no subcommand (#!wafer estimat) is refused here as the terminal refuses it.
        var line = CommandLine.Parse(words, FrontEnd.NotebookOnly);
        if (line.Help)
        {
            context.Display(WaferHelp.For(line.Spec), HtmlFormatter.MimeType);
            return;
        }

        var request = RequestParser.Default.Parse(line.Spec.Name, line.Values);
        var progress = new CellProgress(context, line.Spec.Name);
        var result = await progress.RunAsync(CommandExecutor.Default.ExecuteAsync(request, progress, context.CancellationToken));
        context.Display(ResultHtml.Render(result, request.Output.Offline || settings.Offline), HtmlFormatter.MimeType);

        if (request.Output.Name is { } name)
            await result.Share(new ShareAsVariable(context, name));
    }

    /// <summary>Declares the shared value as a variable of the C# kernel, typed as the subcommand shares it, from where #!share and #!set reach other kernels.</summary>
    private sealed class ShareAsVariable(KernelInvocationContext context, string name) : ISharedValueVisitor<Task>
    {
        public async Task Visit<T>(T value) where T : notnull
        {
            var csharp = (context.HandlingKernel.RootKernel as CompositeKernel)?.FindKernelByName("csharp")
                ?? throw new WaferInputException($"--name {name} needs a C# kernel in this notebook, and there is none.");
            var sent = await csharp.SendAsync(new SendValue(name, value, new FormattedValue(PlainTextFormatter.MimeType, typeof(T).Name)));
            if (sent.Events.OfType<Microsoft.DotNet.Interactive.Events.CommandFailed>().FirstOrDefault() is { } failed)
                throw new WaferInputException($"Could not store the result as '{name}': {failed.Message}");
        }
    }
}
