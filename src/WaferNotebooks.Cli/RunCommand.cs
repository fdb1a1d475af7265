using System.CommandLine;

namespace WaferNotebooks.Cli;

/// <summary><c>wafer run NOTEBOOK... [--out DIR]</c>: the command-line face of
/// <see cref="RunNotebooks"/>.</summary>
public static class RunCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var notebooks = new Argument<FileInfo[]>("NOTEBOOK")
        {
            Description = "Notebooks to execute (.ipynb or .dib), each in a fresh kernel.",
            Arity = ArgumentArity.OneOrMore,
        };
        var outDir = new Option<DirectoryInfo?>("--out")
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
            new RunNotebooks(output, error).RunAsync(parse.GetRequiredValue(notebooks), parse.GetValue(outDir) ?? new DirectoryInfo(Environment.CurrentDirectory), cancellationToken));
        return command;
    }
}
