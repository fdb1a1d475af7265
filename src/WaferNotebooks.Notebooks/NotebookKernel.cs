using System.Reflection;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;
using WaferNotebooks.Core;

namespace WaferNotebooks.Notebooks;

/// <summary>
/// The in-process kernel a headless notebook run executes in: C# with <c>#r "nuget:"</c> that
/// does what the dotnet-interactive tool does with a package, so a notebook's own first cell
/// (<c>#r "nuget: WaferNotebooks.Interactive, *-*"</c>) loads the extension from its package
/// here too: the package's assemblies become references, and the kernel extensions in its
/// <c>interactive-extensions/dotnet</c> folder are loaded.
/// </summary>
public static class NotebookKernel
{
    /// <summary>Rows a write-up shows of a table or list before it stops.</summary>
    public const int FullListLimit = 2000;

    public static Task<CompositeKernel> CreateAsync()
    {
        // A write-up must draw without a network. Process-wide on purpose: this process hosts
        // notebooks only to write them out.
        Environment.SetEnvironmentVariable(OfflineCharts.EnvironmentVariable, "1");
        // A write-up is read, not scrolled through a live kernel: tables and lists show every row
        // (.NET Interactive stops at 20, silently for tables).
        Formatter.ListExpansionLimit = FullListLimit;
        var csharp = new CSharpKernel()
            .UseKernelHelpers()
            .UseNugetDirective(async (kernel, packages) =>
            {
                await LoadExtensionsAsync(kernel.RootKernel, packages);
                kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths).Select(AlreadyLoaded));
            }, forceRestore: false);
        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        return Task.FromResult(composite);
    }

    /// <summary>As the tool does: every <see cref="IKernelExtension"/> in the package's
    /// interactive-extensions/dotnet folder is created and loaded into the notebook's kernel.</summary>
    private static async Task LoadExtensionsAsync(Kernel kernel, IEnumerable<ResolvedPackageReference> packages)
    {
        foreach (var package in packages)
        {
            var folder = Path.Combine(package.PackageRoot, "interactive-extensions", "dotnet");
            if (!Directory.Exists(folder)) continue;
            foreach (var file in Directory.GetFiles(folder, "*.dll"))
            {
                var extensions = Assembly.LoadFrom(file).GetExportedTypes()
                    .Where(t => typeof(IKernelExtension).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) is not null);
                foreach (var type in extensions)
                    await ((IKernelExtension)Activator.CreateInstance(type)!).OnLoadAsync(kernel);
            }
        }
    }

    /// <summary>
    /// A package assembly this process already runs (the simulator, which the host uses too, or an
    /// extension just loaded) is referenced where it was loaded from, so cells and the extension
    /// share one copy and one type identity.
    /// </summary>
    private static string AlreadyLoaded(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .FirstOrDefault(a => !a.IsDynamic && a.Location.Length > 0 && string.Equals(a.GetName().Name, name, StringComparison.OrdinalIgnoreCase));
        return loaded?.Location ?? path;
    }
}
