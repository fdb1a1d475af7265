namespace WaferNotebooks.Cli.Tests.Run;

/// <summary>Invokes <c>wafer run ...</c> through wafer's entry method, which starts the notebook runner process, and captures what it prints.</summary>
internal static class WaferRun
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await WaferCli.RunAsync(["run", .. args], output, error);
        return new Result(exitCode, output.ToString(), error.ToString());
    }
}
