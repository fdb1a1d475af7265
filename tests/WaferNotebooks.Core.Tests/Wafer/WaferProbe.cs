using WaferNotebooks.Core.Wafer;
using Xunit.Abstractions;
namespace WaferNotebooks.Core.Tests.Wafer;
public class WaferProbe(ITestOutputHelper o)
{
    [Fact]
    public void Probe()
    {
        var est = new WaferEstimator();
        foreach (var (m, sys, b, ns) in new[] { (WaferFixtures.Gpt3Xl, WaferFixtures.Cs2, 528, new[]{1,16}), (WaferFixtures.Megatron1T, WaferFixtures.Cs3, 1024, new[]{1,16}), (WaferFixtures.NeoX20B, WaferFixtures.Cs3, 1024, new[]{1}) })
        foreach (var n in ns)
        {
            var e = est.Best(WaferFixtures.Job(m, b, 20 * 1e9), sys, n, WaferFixtures.Economics);
            o.WriteLine($"{m.Id} {sys.Id}x{n}: {e.ExecutionMode} feas={e.Feasible} {e.Reason} step={e.StepTimeS:G4} layout={e.Layout} mfu={e.Mfu:P1} days={e.TimeToTrainDays:G4} {e.Bottleneck}");
            foreach (var p in e.Breakdown.Parts) o.WriteLine($"   {p.Name} {p.Seconds:G4}  {p.Description}");
            foreach (var p in e.Memory.Parts) o.WriteLine($"   mem {p.Name} {p.Gb:G4}");
            foreach (var a in e.Assumptions) o.WriteLine($"   - {a}");
        }
        o.WriteLine($"threshold cs2 {WeightStreaming.ThresholdTokens(WaferFixtures.Cs2)} cs3 {WeightStreaming.ThresholdTokens(WaferFixtures.Cs3)}");
    }
}
