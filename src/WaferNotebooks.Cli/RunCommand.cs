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
        var outDir = new Option<DirectoryInfo>("--out")
        {
            Description = "Folder for the executed .ipynb and the .html write-up (created if missing).",
            DefaultValueFactory = _ => new DirectoryInfo(Environment.CurrentDirectory),
        };
        var command = new Command("run", "Execute notebooks headless and write each as an executed .ipynb and an offline .html write-up.")
        {
            notebooks,
            outDir,
        };
        command.SetAction((parse, cancellationToken) =>
            new RunNotebooks(output, error).RunAsync(parse.GetRequiredValue(notebooks), parse.GetRequiredValue(outDir), cancellationToken));
        return command;
    }
}
