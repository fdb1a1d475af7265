using System.Diagnostics;

namespace WaferNotebooks.Cli.Tests.Run;

/// <summary>
/// Builds the extension's package with the documented command (build/pack-feed.sh) once per
/// test run, so notebooks' first cell, #r "nuget: WaferNotebooks.Interactive, *-*", restores
/// this build, exactly as it would for a user.
/// </summary>
public sealed class LocalFeed
{
    public LocalFeed()
    {
        var script = Path.Combine(RepositoryPaths.Root, "build", "pack-feed.sh");
        var start = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        Version = process.StandardOutput.ReadToEnd().Trim();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("build/pack-feed.sh did not finish within 15 minutes.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"build/pack-feed.sh exited {process.ExitCode}: {stderr.Result}");
    }

    /// <summary>The version just packed, e.g. 0.1.0-dev.20260101T120000.</summary>
    public string Version { get; }
}
