using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Benchmarks;

/// <summary>The published jobs the benchmarks time, built once from the embedded catalog.</summary>
public static class Workloads
{
    public static SystemSpec DgxH100 => SimulatorCatalog.Default.FindSystem("dgx-h100");

    public static SystemSpec Cs3 => SimulatorCatalog.Default.FindSystem("cs-3");

    /// <summary>Llama 2 70B: 2T tokens, 4M-token batches of 4,096-token sequences (Touvron et al. 2023, table 1).</summary>
    public static TrainingJob Llama2_70b => new(SimulatorCatalog.Default.FindModel("llama2-70b"), 2e12, 1024, 4096);

    /// <summary>A Megatron-style layout for 70B on 512 GPUs: TP inside the NVLink domain, 4 pipeline stages.</summary>
    public static Layout Llama2_70bLayout => new(Tp: 8, Pp: 4, Dp: 16, MicroBatch: 1, Vpp: 5, ZeroStage: 1, Recompute: Recompute.Selective, SequenceParallel: true);

    /// <summary>Llama 3 405B: 15.6T tokens, 16M-token batches of 8,192-token sequences (Llama 3 Herd paper, §3.4).</summary>
    public static TrainingJob Llama3_405b => new(SimulatorCatalog.Default.FindModel("llama3-405b"), 15.6e12, 2048, 8192);
}
