using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace WaferNotebooks.Interactive.Notebooks;

/// <summary>The in-process kernel a headless notebook run executes in: C# with
/// <c>#r "nuget:"</c> and the WaferNotebooks extension already loaded, its charts offline.</summary>
public static partial class NotebookKernel
{
    public static async Task<CompositeKernel> CreateAsync()
    {
        var csharp = new CSharpKernel()
            .UseKernelHelpers()
            .UseNugetDirective(
                (kernel, packages) =>
                {
                    kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
                    return Task.CompletedTask;
                },
                forceRestore: false);
        // What #r "nuget: WaferNotebooks.Interactive" gives a notebook in VS Code or Jupyter:
        // the simulator's and the extension's types, for cells that use results in C#.
        csharp.AddAssemblyReferences([typeof(Core.Results.Estimate).Assembly.Location, typeof(WaferKernelExtension).Assembly.Location]);

        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        await WaferKernelExtension.LoadAsync(composite);
        // A write-up must draw without a network: plotly.js is inlined once, before the first chart.
        NotebookSettings.For(composite).Offline = true;
        return composite;
    }

    /// <summary>A notebook written for VS Code or Jupyter starts with
    /// <c>#r "nuget: WaferNotebooks.Interactive"</c>. This host already runs the extension
    /// in-process and references its assemblies (the package may not even be published where it
    /// runs), so those lines are dropped from what is submitted; the document keeps them.</summary>
    public static string WithoutHostedPackageReferences(string code) =>
        HostedPackageReference().Replace(code, "");

    [GeneratedRegex("""^[ \t]*#r[ \t]+"nuget:[ \t]*WaferNotebooks\.(Interactive|Core)\b[^"]*"[ \t]*\r?$\n?""",
        RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex HostedPackageReference();
}
