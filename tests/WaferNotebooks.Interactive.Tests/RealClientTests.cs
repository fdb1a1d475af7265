using System.Diagnostics;
using Xunit.Abstractions;

namespace WaferNotebooks.Interactive.Tests;

/// <summary>
/// The packed extension in the unmodified dotnet-interactive tool, over the stdio protocol VS
/// Code speaks and through Jupyter nbconvert (tests/RealClients). In-process tests cannot see
/// the host's FSharp.Core clash; these fail when the renderer's isolation breaks. Needs what
/// .ci/setup installs: the dotnet-interactive tool, python3 and Debian's Jupyter.
/// </summary>
public class RealClientTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Packed_extension_draws_charts_in_the_real_tool_over_stdio_and_in_jupyter()
    {
        var script = Path.Combine(RepositoryRoot.Path, "tests", "RealClients", "run.sh");
        var start = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var readErr = process.StandardError.ReadToEndAsync();
        var readOut = process.StandardOutput.ReadToEndAsync();
        // Generous: packing plus two cold starts of the tool; the script has its own per-cell limits.
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var exited = true;
        try { await process.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException) { exited = false; process.Kill(entireProcessTree: true); }
        var stdout = await readOut;
        var stderr = await readErr;
        output.WriteLine(stdout);
        output.WriteLine(stderr);

        Assert.True(exited, "tests/RealClients/run.sh did not finish within 15 minutes");
        Assert.True(process.ExitCode == 0, $"tests/RealClients/run.sh exited {process.ExitCode}:\n{stdout}\n{stderr}");
        Assert.Contains("stdio check passed", stdout);
        Assert.Contains("jupyter check passed", stdout);
    }
}
