using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace WaferNotebooks.Cli.Tests.FrontEnds;

/// <summary>
/// One table of command lines run through both front ends: the <c>wafer</c> CLI in-process and
/// the <c>#!wafer</c> directive in an in-process notebook kernel. Both must give the same
/// outcome and, when they refuse a line, the same message.
/// </summary>
public class FrontEndParityTests : IAsyncLifetime
{
    public enum Outcome { Done, BadInput, DoesNotFit }

    private CompositeKernel kernel = null!;

    public async Task InitializeAsync() => kernel = await ExtensionKernel.CreateAsync();

    public Task DisposeAsync()
    {
        kernel.Dispose();
        return Task.CompletedTask;
    }

    private const string Job = "--model llama2-7b --on dgx-h100:64 --tokens 1T";

    public static TheoryData<string, Outcome, string> Lines => new()
    {
        { $"estimate {Job}", Outcome.Done, "" },
        { "catalog systems", Outcome.Done, "" },
        { $"estimate {Job} --layout tp=8,pp=2", Outcome.Done, "" },
        { "compare --model llama2-7b --tokens 1T --on dgx-h100:64 --on dgx-a100-80gb:64", Outcome.Done, "" },
        // Misspelled, unknown and repeated options: refused, with the closest names.
        { "estimate --model llama2-7b --on dgx-h100:64 --token 2T", Outcome.BadInput, "estimate does not take --token; did you mean --tokens? 'estimate --help' lists its options." },
        { "estimate --model llama2-7b --on dgx-h100:64 --tokenz 2T", Outcome.BadInput, "estimate does not take --tokenz; did you mean --tokens? 'estimate --help' lists its options." },
        { "estimate --model llama2-7b --on dgx-h100:64 --foo 3", Outcome.BadInput, "estimate does not take --foo; 'estimate --help' lists its options." },
        { "estimate --model llama2-7b --on dgx-h100:64 --tokens 2T --tokens 1T", Outcome.BadInput, "--tokens is given 2 times; estimate takes it once" },
        { "estimate --model llama2-7b --on dgx-h100:64 --on dgx-h100:128", Outcome.BadInput, "--on is given 2 times; estimate takes it once" },
        { "estimate --model llama2-7b --on dgx-h100:64 --tokens", Outcome.BadInput, "--tokens needs a value: --tokens N" },
        { "estimate --model llama2-7b --on dgx-h100:64 1T", Outcome.BadInput, "estimate: '1T' has no option name before it (--on took 'dgx-h100:64'); every value follows its option's name (quote a value that has spaces), for example: estimate --model llama2-70b --on dgx-h100:512 --tokens 2T" },
        { "catalog --kind systems systems", Outcome.BadInput, "catalog: 'systems' would be a second --kind after --kind systems, and catalog takes one;" },
        { "sweep --model gpt3-xl --on dgx-a100-80gb --counts 8,16,32 --on --tokens 30Bz", Outcome.BadInput, "--on needs a value: --on SYSTEM[:COUNT]" },
        // Bad values.
        { "estimate --model llama2-70 --on dgx-h100:64", Outcome.BadInput, "Unknown model 'llama2-70'" },
        { "estimate --model llama2-7b --on dgx-h100:64 --tokens 2X", Outcome.BadInput, "--tokens '2X': expected a number with an optional K/M/B/T suffix, e.g. 2T" },
        { "estimate --model llama2-7b --on dgx-h100:64 --price -2", Outcome.BadInput, "--price '-2': must not be negative" },
        { "estimate --model llama2-7b --on dgx-h100:192 --layout tp=3", Outcome.BadInput, "--layout: tp=3 does not divide the 32 attention heads" },
        { "estimate --on dgx-h100:64", Outcome.BadInput, "estimate needs --model ID" },
        { "plan --model llama2-7b --on dgx-h100:64 --top 0", Outcome.BadInput, "--top '0'" },
        // Layout keys: a misspelled key gets the closest one; offload takes a positive count, so the wafer's refusal
        // says to leave it out (it used to ask for offload=0, which the parser refuses).
        { "estimate --model llama2-7b --on dgx-h100:64 --layout tp=8,ofload=4", Outcome.BadInput, "unknown key 'ofload'; did you mean offload? expected tp," },
        { "estimate --model llama2-7b --on cs-3:4 --layout offload=2", Outcome.BadInput, "a wafer-scale system keeps its activations on the wafer, so leave offload= out" },
        // --moe-dispatch on a dense model used to pass, costing nothing and printing a dispatch assumption.
        { "estimate --model llama2-7b --on dgx-h100:64 --moe-dispatch gemm=grouped", Outcome.BadInput, "--moe-dispatch: llama2-7b is a dense model (no experts), so there are no tokens to dispatch; leave --moe-dispatch out" },
        { "estimate --model mixtral-8x7b --on dgx-h100:64 --tokens 1T --moe-dispatch gemm=grouped,imbalance=1.2", Outcome.Done, "" },
        // Layout rules are bad input, not "does not fit" (one rulebook decides).
        { "estimate --model llama2-7b --on dgx-h100:64 --seq 4098 --layout cp=2", Outcome.BadInput, "--layout: cp=2 needs the sequence length 4098 divisible by 2·cp = 4" },
        { "estimate --model llama2-7b --on cs-3:4 --layout tp=2", Outcome.BadInput, "--layout: a wafer-scale cluster runs pure data parallelism" },
        // Extreme numbers: refused from arithmetic, quickly, never wrapped.
        { "estimate --model llama2-7b --on dgx-h100:2147483647", Outcome.BadInput, "There is no parallel layout of llama2-7b on 2,147,483,647" },
        { "estimate --model llama2-7b --on dgx-h100 --layout tp=65536,pp=65536,dp=1", Outcome.BadInput, "--on dgx-h100: 4,294,967,296 devices are more than the simulator counts (at most 2,147,483,647)" },
        { "estimate --model llama2-7b --on dgx-h100:64 --layout tp=65536,pp=65536", Outcome.BadInput, "--layout: tp·pp·cp = 65536·65536·1 = 4,294,967,296 does not divide 64 devices" },
        // A job that does not fit: the same verdict.
        { "timeline --model llama3-405b --on dgx-h100:8 --tokens 1T --layout tp=8", Outcome.DoesNotFit, "does not fit" },
        { "estimate --model llama3-405b --on dgx-h100:8 --tokens 1T", Outcome.DoesNotFit, "does not fit" },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public async Task Both_front_ends_give_the_same_outcome_and_message(string line, Outcome outcome, string message)
    {
        var cli = CliRunner.Run(line.Split(' '));
        var cell = await kernel.SendAsync(new SubmitCode("#!wafer " + line));
        var failed = cell.Events.OfType<CommandFailed>().FirstOrDefault();
        var html = string.Join("\n", cell.Events.OfType<DisplayEvent>().SelectMany(e => e.FormattedValues)
            .Where(v => v.MimeType == HtmlFormatter.MimeType).Select(v => v.Value));
        switch (outcome)
        {
            case Outcome.Done:
                Assert.True(cli.ExitCode == ExitCodes.Ok, cli.Err);
                Assert.True(failed is null, failed?.Message);
                break;
            case Outcome.BadInput:
                Assert.Equal(ExitCodes.BadInput, cli.ExitCode);
                Assert.NotNull(failed);
                var cliMessage = cli.Err.Split('\n')[0].TrimEnd();
                Assert.StartsWith("error: ", cliMessage);
                Assert.Equal(cliMessage["error: ".Length..], failed.Message);
                Assert.Contains(message, failed.Message);
                break;
            case Outcome.DoesNotFit:
                Assert.Equal(ExitCodes.Infeasible, cli.ExitCode);
                Assert.Null(failed);
                Assert.Contains(message, cli.Err);
                Assert.Contains(message, html);
                break;
        }
    }

    [Fact]
    public async Task Two_directives_in_one_cell_each_use_their_own_options()
    {
        var cell = await kernel.SendAsync(new SubmitCode(
            "#!wafer compare --model llama2-7b --tokens 1T --on dgx-h100:64 --on dgx-a100-80gb:64\n" +
            "#!wafer compare --model llama2-7b --tokens 1T --on dgx-h200:32 --on cs-3:2"));
        Assert.DoesNotContain(cell.Events, e => e is CommandFailed);
        var shown = cell.Events.OfType<DisplayEvent>().Select(e => e.FormattedValues.FirstOrDefault(v => v.MimeType == HtmlFormatter.MimeType)?.Value ?? "")
            .Where(h => h.Contains("wafer-result")).ToList();
        Assert.Equal(2, shown.Count);
        Assert.Contains("dgx-a100-80gb:64", shown[0]);
        Assert.DoesNotContain("cs-3:2", shown[0]);
        Assert.Contains("cs-3:2", shown[1]);
        Assert.Contains("dgx-h200:32", shown[1]);
        Assert.DoesNotContain("dgx-a100-80gb:64", shown[1]);
    }

    [Fact]
    public async Task Two_estimates_in_one_cell_each_use_their_own_tokens()
    {
        var cell = await kernel.SendAsync(new SubmitCode(
            "#!wafer estimate --model llama2-7b --on dgx-h100:64 --tokens 1T --name first\n" +
            "#!wafer estimate --model llama2-7b --on dgx-h100:64 --tokens 2T --name second\n" +
            "second.Job.Tokens / first.Job.Tokens"));
        Assert.DoesNotContain(cell.Events, e => e is CommandFailed);
        var value = cell.Events.OfType<ReturnValueProduced>().Single().Value;
        Assert.Equal(2.0, Convert.ToDouble(value));
    }
}
