using WaferNotebooks.Core.Charting;
using System.Reflection;
using System.Runtime.Loader;
using WaferNotebooks.Core;

namespace WaferNotebooks.Interactive;

/// <summary>
/// Loads WaferNotebooks.Charts and its Plotly.NET into a private AssemblyLoadContext. The
/// dotnet-interactive tool ships an older FSharp.Core than Plotly.NET 6 needs, so in the host's
/// context every Plotly.NET call would fail (docs/notebooks.md). Here Plotly.NET, Giraffe and their
/// FSharp.Core come from the published charts folder, while WaferNotebooks.Core is the host's
/// own assembly, so <see cref="IChartRenderer"/> and the result records keep their identity.
/// Tests, <c>wafer run</c> and the real tool all go through this one path.
/// </summary>
public static class ChartRendererLoader
{
    public const string FolderName = "renderer";
    private const string ChartsAssembly = "WaferNotebooks.Charts";
    private const string RendererType = "WaferNotebooks.Charts.PlotlyChartRenderer";

    private static readonly Lazy<IChartRenderer> Instance = new(Load);

    /// <summary>The renderer, loaded on first use.</summary>
    public static IChartRenderer Renderer => Instance.Value;

    /// <summary>
    /// The charts folder: beside the extension assembly in a build output, or at the package
    /// root when the assembly runs from the package's interactive-extensions/dotnet or lib/net10.0.
    /// </summary>
    public static string FindFolder()
    {
        var here = Path.GetDirectoryName(typeof(ChartRendererLoader).Assembly.Location)
            ?? throw new InvalidOperationException("The extension assembly has no location on disk, so the charts folder cannot be found.");
        string[] candidates = [Path.Combine(here, FolderName), Path.GetFullPath(Path.Combine(here, "..", "..", FolderName))];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, ChartsAssembly + ".dll")))
            ?? throw new InvalidOperationException(
                $"{ChartsAssembly}.dll was not found in {string.Join(" or ", candidates)}; the package or build output is incomplete.");
    }

    private static IChartRenderer Load()
    {
        var folder = FindFolder();
        var context = new RendererLoadContext(Path.Combine(folder, ChartsAssembly + ".dll"));
        var assembly = context.LoadFromAssemblyName(new AssemblyName(ChartsAssembly));
        var type = assembly.GetType(RendererType, throwOnError: true)!;
        return (IChartRenderer)Activator.CreateInstance(type)!;
    }

    private sealed class RendererLoadContext(string chartsPath) : AssemblyLoadContext(ChartsAssembly)
    {
        private readonly AssemblyDependencyResolver resolver = new(chartsPath);
        private static readonly Assembly Contract = typeof(IChartRenderer).Assembly;

        protected override Assembly? Load(AssemblyName name)
        {
            // The contract is shared, never loaded twice.
            if (name.Name == Contract.GetName().Name) return Contract;
            var path = resolver.ResolveAssemblyToPath(name);
            return path is null ? null : LoadFromAssemblyPath(path);
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
