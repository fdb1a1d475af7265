using Microsoft.DotNet.Interactive.Events;

namespace WaferNotebooks.Interactive.Tests;

/// <summary>
/// In the notebook as in the terminal: an option that did nothing is said on the card, a
/// super-linear sweep point says why, and a re-run cell with changed inputs replaces its variable.
/// </summary>
public class InputNotesTests : NotebookKernelTests
{
    [Fact]
    public async Task Compare_cards_say_which_system_an_option_did_not_apply_to()
    {
        var (ok, error, html, _) = await Submit("#!wafer compare --model llama2-7b --tokens 100B --on dgx-h100:64 --on cs-3:2 --power-cap 600");
        Assert.True(ok, error);
        Assert.Contains("--power-cap 600 does not apply to cs-3, a wafer-scale system: it acts on GPU-class systems only", System.Net.WebUtility.HtmlDecode(html));
    }

    [Fact]
    public async Task Timeline_cards_say_moe_dispatch_had_no_effect()
    {
        var (ok, error, html, _) = await Submit(
            "#!wafer timeline --model mixtral-8x7b --tokens 100B --on dgx-h100:64 --layout tp=2,pp=4,ep=1,zero=1,recompute=full --moe-dispatch nodes=2,fp8=on");
        Assert.True(ok, error);
        Assert.Contains("--moe-dispatch had no effect: the layout has ep=1", System.Net.WebUtility.HtmlDecode(html));
    }

    [Fact]
    public async Task A_sweep_point_above_100_percent_says_why_on_the_card()
    {
        var (ok, error, html, _) = await Submit("#!wafer sweep --model llama3-70b --on dgx-h100 --counts 64,128");
        Assert.True(ok, error);
        Assert.Matches(@"scaling efficiency 1\d\d\.\d% is above 100%: the layout .+ is not the 64-device baseline's", System.Net.WebUtility.HtmlDecode(html));
    }

    [Fact]
    public async Task A_cell_re_run_with_changed_inputs_replaces_its_variable()
    {
        Assert.True((await Submit("#!wafer estimate --model llama2-70b --on dgx-h100:512 --tokens 2T --name run1")).Ok);
        Assert.True((await Submit("#!wafer estimate --model llama2-70b --on dgx-h100:256 --tokens 2T --name run1")).Ok);
        var value = await Submit("run1.Devices");
        Assert.Equal(256, value.Result.Events.OfType<ReturnValueProduced>().Single().Value);
    }
}
