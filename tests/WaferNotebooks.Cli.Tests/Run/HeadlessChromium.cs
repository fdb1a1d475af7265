using System.Diagnostics;

namespace WaferNotebooks.Cli.Tests.Run;

/// <summary>Debian's chromium, headless, with a fresh profile and no network: every request
/// that is not a file fails, so a page that draws has everything it needs inline.</summary>
internal sealed class HeadlessChromium
{
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--hide-scrollbars", "--mute-audio",
        // Network off: no proxy reachable, no host name resolves.
        "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
    ];

    private readonly string _executable;

    private HeadlessChromium(string executable) => _executable = executable;

    /// <summary>The browser on PATH; fails (the suite needs it) with the package to install.</summary>
    public static HeadlessChromium Find()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "chromium"))
            .FirstOrDefault(File.Exists);
        return path is null
            ? throw new InvalidOperationException("chromium is not on PATH: install the Debian package 'chromium' (.ci/setup does).")
            : new HeadlessChromium(path);
    }

    /// <summary>The DOM after the page's scripts ran for <paramref name="virtualTimeMs"/> of virtual
    /// time, laid out in a window <paramref name="width"/> pixels wide.</summary>
    public Task<string> DumpDomAsync(string htmlFile, int virtualTimeMs = 20000, int width = 1280) =>
        RunAsync([$"--virtual-time-budget={virtualTimeMs}", $"--window-size={width},1600", "--dump-dom", new Uri(htmlFile).AbsoluteUri]);

    public async Task ScreenshotAsync(string htmlFile, string pngFile, int width, int height, int virtualTimeMs = 20000)
    {
        await RunAsync([$"--virtual-time-budget={virtualTimeMs}", $"--window-size={width},{height}", $"--screenshot={pngFile}", new Uri(htmlFile).AbsoluteUri]);
        if (!File.Exists(pngFile))
            throw new InvalidOperationException($"chromium wrote no screenshot to {pngFile}.");
    }

    private async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        var profile = Directory.CreateTempSubdirectory("wafer-chromium-");
        try
        {
            var start = new ProcessStartInfo(_executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var flag in Flags.Append($"--user-data-dir={profile.FullName}").Concat(arguments))
                start.ArgumentList.Add(flag);

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("chromium did not finish within 2 minutes: " + await stderr);
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {await stderr}");
            return await stdout;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
