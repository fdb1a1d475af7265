using WaferNotebooks.Core;
using WaferNotebooks.Core.Commands;

namespace WaferNotebooks.Cli.Tests.Commands;

/// <summary>
/// --framework and --moe-dispatch describe a GPU training stack. The wafer-scale estimator reads
/// neither, so on a wafer-scale system they are refused (as --moe-dispatch is for a dense model),
/// not accepted while changing nothing.
/// </summary>
public class GpuSoftwareOnWaferTests
{
    private static CommandRequest Parse(string subcommand, params (string Name, string[] Values)[] options) =>
        RequestParser.Default.Parse(subcommand, options.ToDictionary(o => o.Name, o => (IReadOnlyList<string>)o.Values));

    private static string Fails(string subcommand, params (string Name, string[] Values)[] options) =>
        Assert.ThrowsAny<WaferInputException>(() => Parse(subcommand, options)).Message;

    [Theory]
    [InlineData("estimate")]
    [InlineData("plan")]
    [InlineData("timeline")]
    public void Framework_on_a_wafer_scale_system_says_what_was_wrong_and_what_is_right(string subcommand)
    {
        var message = Fails(subcommand, ("--model", ["llama2-70b"]), ("--on", ["cs-3:16"]), ("--framework", ["torchtitan"]));
        Assert.StartsWith("--framework torchtitan: cs-3 is wafer-scale, which runs the Cerebras software stack", message);
        Assert.Contains("leave --framework out (choose the Cerebras software with --release", message);
        Assert.Contains("or run on a GPU-class system such as dgx-h100:512", message);
    }

    [Fact]
    public void Sweep_and_moe_dispatch_are_refused_alike_on_a_wafer_scale_system()
    {
        Assert.StartsWith("--framework fsdp: cs-3 is wafer-scale",
            Fails("sweep", ("--model", ["llama3-70b"]), ("--on", ["cs-3"]), ("--counts", ["1..16"]), ("--framework", ["fsdp"])));
        Assert.StartsWith("--moe-dispatch nodes=2: cs-3 is wafer-scale",
            Fails("estimate", ("--model", ["mixtral-8x7b"]), ("--on", ["cs-3:4"]), ("--moe-dispatch", ["nodes=2"])));
    }

    [Fact]
    public void Compare_refuses_it_only_when_no_compared_system_is_GPU_class()
    {
        Assert.StartsWith("--framework fsdp: every system given is wafer-scale",
            Fails("compare", ("--model", ["llama2-70b"]), ("--on", ["cs-3:16", "cs-2:16"]), ("--framework", ["fsdp"])));
        var mixed = (CompareRequest)Parse("compare", ("--model", ["llama2-70b"]), ("--on", ["dgx-h100:512", "cs-3:16"]), ("--framework", ["fsdp"]));
        Assert.NotNull(mixed.Job.Software);
    }

    [Fact]
    public void The_terminal_refuses_it_as_bad_input() =>
        CliRunner.AssertRefused(CliRunner.Run("estimate", "--model", "llama2-70b", "--on", "cs-3:16", "--framework", "torchtitan"),
            "--framework torchtitan: cs-3 is wafer-scale");
}
