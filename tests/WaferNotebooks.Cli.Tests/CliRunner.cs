namespace WaferNotebooks.Cli.Tests;

/// <summary>The outcome of one in-process run of <c>wafer</c>.</summary>
public sealed record CliRun(int ExitCode, string Out, string Err);

/// <summary>Runs the CLI's entry method in-process with captured stdout and stderr.</summary>
public static class CliRunner
{
    public static CliRun Run(params string[] args) => Run(CancellationToken.None, args);

    public static CliRun Run(CancellationToken ct, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = WaferCli.RunAsync(args, output, error, ct: ct).GetAwaiter().GetResult();
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Refused as bad input: exit 1, each fragment on stderr, nothing on stdout, no stack trace or exception name.</summary>
    public static void AssertRefused(CliRun run, params string[] fragments)
    {
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        foreach (var fragment in fragments)
            Assert.Contains(fragment, run.Err);
        Assert.DoesNotContain("   at ", run.Err);
        Assert.DoesNotContain("Exception", run.Err);
        Assert.Equal("", run.Out);
    }

    /// <summary>The repository root, found by walking up from the test binaries to WaferNotebooks.sln.</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "WaferNotebooks.sln")))
                    return dir.FullName;
            throw new InvalidOperationException("WaferNotebooks.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
