using Microsoft.DotNet.Interactive.Directives;

namespace WaferNotebooks.Interactive.Tests;

/// <summary>
/// A bug inside #!wafer reaches the user as the terminal's one line ("internal error (Type): message"),
/// not as .NET Interactive's failure with a stack trace; the trace stays available, folded; the
/// kernel keeps running.
/// </summary>
public class InternalErrorTests : NotebookKernelTests
{
    [Fact]
    public async Task An_unexpected_exception_fails_the_cell_with_one_line_and_folds_the_details()
    {
        // A directive that runs the #!wafer guard around a handler with a bug.
        Kernel.AddDirective<WaferDirectiveCommand>(new KernelActionDirective("#!waferbug"),
            (command, context) => WaferDirective.Guarded(command, context, (_, _) => throw new InvalidOperationException("the renderer was not found")));

        var (ok, error, html, _) = await Submit("#!waferbug");

        Assert.False(ok);
        Assert.Equal("internal error (InvalidOperationException): the renderer was not found", error);
        Assert.Contains("<details class=\"wafer-internal-error\">", html);
        Assert.Contains("System.InvalidOperationException: the renderer was not found", html);
        Assert.Contains("   at ", html);
        var after = await Submit("1 + 1");
        Assert.True(after.Ok, after.Error);
    }
}
