using System.Diagnostics;
using System.Runtime.InteropServices;

namespace WaferNotebooks.Cli;

/// <summary>
/// Starts <c>wafer-run</c> (WaferNotebooks.Runner, in the runner/ folder beside wafer) for
/// <c>wafer run</c>, copies its output line by line to wafer's writers and returns its exit code.
/// The notebook runner hosts .NET Interactive and Roslyn, which cannot live in a Native AOT
/// executable, so they stay out of wafer's process: its other subcommands start without them.
/// </summary>
internal static class RunnerProcess
{
    public const string FolderName = "runner";
    private const string RunnerAssembly = "wafer-run.dll";

    public static async Task<int> RunAsync(IEnumerable<string> runnerArgs, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var runner = Path.Combine(AppContext.BaseDirectory, FolderName, RunnerAssembly);
        if (!File.Exists(runner))
            throw new InvalidOperationException($"{runner} is missing: this build or install of wafer is incomplete.");
        var start = new ProcessStartInfo(DotnetHost(), [runner, .. runnerArgs])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName} {runner}.");
        var copyOut = CopyLinesAsync(process.StandardOutput, output);
        var copyErr = CopyLinesAsync(process.StandardError, error);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited on its own meanwhile.
            }
            throw;
        }
        await Task.WhenAll(copyOut, copyErr);
        return process.ExitCode;
    }

    private static async Task CopyLinesAsync(StreamReader from, TextWriter to)
    {
        while (await from.ReadLineAsync() is { } line)
            await to.WriteLineAsync(line);
    }

    /// <summary>
    /// The <c>dotnet</c> that runs wafer-run: this process when it is <c>dotnet</c> (a test host,
    /// <c>dotnet wafer.dll</c>), the SDK's when it started us, the one beside the runtime running
    /// a framework-dependent wafer, the one under DOTNET_ROOT, else <c>dotnet</c> on the PATH (a
    /// Native AOT wafer started from a shell).
    /// </summary>
    private static string DotnetHost()
    {
        var exe = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        string?[] candidates =
        [
            Path.GetFileName(Environment.ProcessPath) == exe ? Environment.ProcessPath : null,
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
            FrameworkRoot() is { } root ? Path.Combine(root, exe) : null,
            Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot ? Path.Combine(dotnetRoot, exe) : null,
        ];
        return candidates.FirstOrDefault(File.Exists) ?? exe;
    }

    /// <summary>The dotnet root of the runtime running a framework-dependent wafer (the host names
    /// the framework's shared/Microsoft.NETCore.App/VERSION/ deps file); null under Native AOT.</summary>
    private static string? FrameworkRoot() =>
        AppContext.GetData("FX_DEPS_FILE") is string { Length: > 0 } deps && Path.GetDirectoryName(deps) is { } framework
            ? Path.GetFullPath(Path.Combine(framework, "..", "..", ".."))
            : null;
}
