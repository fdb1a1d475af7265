using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Gpu;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Tests.GpuTests;

/// <summary>A job's framework profile reaches the estimate (the --framework option).</summary>
public class TrainingFrameworkTests
{
    [Fact]
    public void TheJobsSoftwareProfileDecidesTheEstimate()
    {
        var model = SimulatorCatalog.Default.FindModel("gpt3-175b");
        var system = SimulatorCatalog.Default.FindSystem("dgx-a100-80gb");
        var layout = new Layout(8, 8, 16, Vpp: 2, ZeroStage: 1, Recompute: Recompute.Full, SequenceParallel: true);
        var job = new TrainingJob(model, 1e12, 1536, 2048);
        Results.Estimate With(GpuSoftware? sw) => Simulator.Estimate(job with { Software = sw }, system, 1024, layout);
        var today = With(null);
        Assert.Equal(today.StepTimeS, With(TrainingFramework.MegatronCore.SoftwareAt(null)).StepTimeS);
        Assert.True(With(TrainingFramework.MegatronLm.SoftwareAt(new DateOnly(2021, 4, 1))).StepTimeS > today.StepTimeS);
        var deepSpeed = With(TrainingFramework.DeepSpeed.SoftwareAt(null));
        Assert.False(deepSpeed.Feasible);
        Assert.Contains("interleaved", deepSpeed.Reason);
    }
}
