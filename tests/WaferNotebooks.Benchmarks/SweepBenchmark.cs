using BenchmarkDotNet.Attributes;
using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Sweeps;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Benchmarks;

/// <summary>
/// A 1,000-point sweep with a fixed layout: llama2-70b at tp=8, pp=4 on 10 device counts
/// (32 to 16,384, powers of two) crossed with 100 global batches (512 to 51,200 sequences, steps
/// of 512, so every dp divides them), without interleaving. Every point is a full estimate, none a
/// quick rejection.
/// </summary>
[MemoryDiagnoser]
public class SweepBenchmark
{
    private readonly TrainingJob job = Workloads.Llama2_70b;
    private readonly SystemSpec system = Workloads.DgxH100;
    // Without interleaving: vpp=5 would reject the points with fewer micro-batches than 4 per pipeline.
    private readonly Layout layout = Workloads.Llama2_70bLayout with { Vpp = 1 };
    private readonly int[] counts = Enumerable.Range(5, 10).Select(k => 1 << k).ToArray();
    private readonly SweepKnob batches = new(KnobKind.GlobalBatch, Enumerable.Range(1, 100).Select(k => 512.0 * k).ToArray());

    [Benchmark(Description = "sweep llama2-70b on dgx-h100, 10 counts x 100 batches, fixed layout")]
    public SweepResult Sweep() => Sweeper.Sweep(job, system, counts, layout, knob: batches);
}
