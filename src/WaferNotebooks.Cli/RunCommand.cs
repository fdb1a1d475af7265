using System.CommandLine;

namespace WaferNotebooks.Cli;

/// <summary><c>wafer run NOTEBOOK... [--out DIR]</c>: parsed here, executed by the notebook
/// runner in its own process (<see cref="RunnerProcess"/>).</summary>
public static class RunCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var notebooks = new Argument<string[]>("NOTEBOOK")
        {
            Description = "Notebooks to execute (.ipynb or .dib), each in a fresh kernel.",
            Arity = ArgumentArity.OneOrMore,
        };
        var outDir = new Option<string?>("--out")
        {
            Description = "Folder for the executed .ipynb and the .html write-up (created if missing); default: the current folder.",
            HelpName = "DIR",
        };
        var command = new Command("run",
            "Execute notebooks headless and write each as an executed .ipynb and an offline .html write-up.\n" +
            "Example: wafer run notebooks/01-quickstart.ipynb --out out")
        {
            notebooks,
            outDir,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            // The paths as typed: the runner works in this folder and names them as the user did.
            string[] args = parse.GetValue(outDir) is { } dir ? ["--out", dir] : [];
            return RunnerProcess.RunAsync([.. args, "--", .. parse.GetRequiredValue(notebooks)], output, error, cancellationToken);
        });
        return command;
    }
}
