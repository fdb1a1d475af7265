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

    /// <summary>Registers the directive and its handlers on a kernel (normally the root composite kernel).</summary>
    public static void AddTo(Kernel kernel)
    {
        var root = Build();
        kernel.AddDirective<WaferRootCommand>(root, HandleAsync);
        foreach (var sub in root.Subcommands)
        {
            switch (sub.Name)
            {
                case "estimate": kernel.AddDirective<WaferEstimateCommand>(sub, HandleAsync); break;
                case "compare": kernel.AddDirective<WaferCompareCommand>(sub, HandleAsync); break;
                case "sweep": kernel.AddDirective<WaferSweepCommand>(sub, HandleAsync); break;
                case "plan": kernel.AddDirective<WaferPlanCommand>(sub, HandleAsync); break;
                case "catalog": kernel.AddDirective<WaferCatalogCommand>(sub, HandleAsync); break;
                case "validate": kernel.AddDirective<WaferValidateCommand>(sub, HandleAsync); break;
                case "calibrate": kernel.AddDirective<WaferCalibrateCommand>(sub, HandleAsync); break;
                case "timeline": kernel.AddDirective<WaferTimelineCommand>(sub, HandleAsync); break;
                default: throw new InvalidOperationException($"The grammar has a subcommand '{sub.Name}' that the notebook does not handle.");
            }
        }
    }

    private static async Task HandleAsync<T>(T command, KernelInvocationContext context) where T : WaferDirectiveCommand
    {
        try
        {
            await RunAsync(command, context);
        }
        catch (WaferInputException e)
        {
            context.Fail(command, message: e.Message);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            context.Fail(command, message: "Cancelled.");
        }
    }

    private static async Task RunAsync(WaferDirectiveCommand command, KernelInvocationContext context)
    {
        var settings = NotebookSettings.For(context.HandlingKernel);
        var words = DirectiveLine.Words(command);
        if (command.Subcommand is null)
        {
            // .NET Interactive hands a word it does not know as a subcommand (#!wafer estimat) to
            // the root: refuse it as the terminal does.
            if (words is { Count: > 0 } && !words[0].StartsWith('-'))
                CommandLine.Parse(words, FrontEnd.NotebookOnly);
            var offline = command.Raw("offline") is not null;
            if (offline && command.Raw("help") is null)
            {
                settings.Offline = true;
                context.Display(new HtmlString("<div>Charts in this notebook now carry plotly.js in their output (compressed) and need no internet.</div>"), HtmlFormatter.MimeType);
                return;
            }
            context.Display(WaferHelp.Root(), HtmlFormatter.MimeType);
            return;
        }
        // The cell's own line, read as the terminal reads its arguments; a command sent as an
        // object (no cell) has only the values the binder kept.
        var line = words is not null
            ? CommandLine.Parse(words, FrontEnd.NotebookOnly)
            : new CommandLine(CommandGrammar.Find(command.Subcommand), BoundValues(command, CommandGrammar.Find(command.Subcommand)), command.Raw("help") is not null);
        if (line.Help)
        {
            context.Display(WaferHelp.For(line.Spec), HtmlFormatter.MimeType);
            return;
        }

        var request = RequestParser.Default.Parse(line.Spec.Name, line.Values);
        var progress = new CellProgress(context, line.Spec.Name);
        var result = await progress.RunAsync(CommandExecutor.Default.ExecuteAsync(request, progress, context.CancellationToken));

        var html = ResultHtml.Render(result, request.Output.Offline || settings.Offline);
        if (html is not null) context.Display(html, HtmlFormatter.MimeType);
        else context.Display(result);

        if (request.Output.Name is { } name)
            await ShareAsync(context, name, result);
    }

    /// <summary>Option values by grammar key, as the directive's binder passed them.</summary>
    private static Dictionary<string, IReadOnlyList<string>> BoundValues(WaferDirectiveCommand command, SubcommandSpec spec)
    {
        var values = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var option in spec.OptionsFor(FrontEnd.NotebookOnly))
            if (command.Raw(CamelCase(option.Key)) is { } raw)
                values[option.Key] = option.IsFlag ? ["true"] : [raw];
        return values;
    }

    /// <summary>How .NET Interactive names a parameter's JSON property: "--foo-bar" → "fooBar".</summary>
    private static string CamelCase(string key) =>
        string.Concat(key.Split('-').Select((part, i) => i == 0 || part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>Declares the result as a variable of the C# kernel, from where #!share and #!set reach other kernels.</summary>
    private static async Task ShareAsync(KernelInvocationContext context, string name, object result)
    {
        var csharp = (context.HandlingKernel.RootKernel as CompositeKernel)?.FindKernelByName("csharp")
            ?? throw new WaferInputException($"--name {name} needs a C# kernel in this notebook, and there is none.");
        var sent = await csharp.SendAsync(new SendValue(name, result, new FormattedValue(PlainTextFormatter.MimeType, result.GetType().Name)));
        if (sent.Events.OfType<Microsoft.DotNet.Interactive.Events.CommandFailed>().FirstOrDefault() is { } failed)
            throw new WaferInputException($"Could not store the result as '{name}': {failed.Message}");
    }
}
