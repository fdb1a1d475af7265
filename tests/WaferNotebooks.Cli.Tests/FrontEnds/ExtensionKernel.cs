using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using WaferNotebooks.Interactive;

namespace WaferNotebooks.Cli.Tests.FrontEnds;

/// <summary>The notebook front end in-process: a C# kernel with the extension loaded from the build, as a notebook has it after its first cell.</summary>
internal static class ExtensionKernel
{
    public static async Task<CompositeKernel> CreateAsync()
    {
        var kernel = new CompositeKernel { new CSharpKernel().UseKernelHelpers() };
        kernel.DefaultKernelName = "csharp";
        await WaferKernelExtension.LoadAsync(kernel);
        // As the package's first cell does: Core is referenced, so --name can store a result as a C# variable.
        await kernel.SendAsync(new SubmitCode($"#r \"{typeof(WaferNotebooks.Core.Results.Estimate).Assembly.Location}\""));
        return kernel;
    }
}
