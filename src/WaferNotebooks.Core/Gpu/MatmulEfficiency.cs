using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Gpu;

/// <summary>
/// Achieved throughput of one GEMM (M×K by K×N) on one device, as a function of its shape.
/// The ceiling is the accelerator's measured maximum achievable matmul fraction at the GEMM's
/// input precision (catalog <see cref="Accelerator.MatmulEfficiencyAt"/>: the FP8 measurement
/// for 8-bit inputs where the catalog has one). Below it:
/// <list type="bullet">
/// <item>tile quantisation: the output is cut into tiles; partial tiles at the edges do full work;</item>
/// <item>wave quantisation: tiles run in waves of one tile per compute unit; a partial last wave idles units;</item>
/// <item>K-loop amortisation: each tile pays a prologue/epilogue (load, store) worth about
/// <see cref="TileOverheadK"/> steps of its K loop, so short K runs below peak;</item>
/// <item>power limit: under an operator's cap below the TDP the tensor clock, and with it the
/// math rate, falls to <see cref="Energy.PowerLimitedClock.ClockShare(Accelerator)"/>;</item>
/// <item>roofline: when the bytes moved (A, B and C once) over HBM bandwidth exceed the math
/// time, the GEMM is memory-bound.</item>
/// </list>
/// Like cuBLAS's heuristics, the best of a few tile shapes is taken; smaller tiles reuse less
/// data, so they carry a lower ceiling.
/// </summary>
public static class MatmulEfficiency
{
    /// <summary>Prologue/epilogue cost of one tile in K-loop steps of length 1 (elements of K).
    /// Assumed 64: a 128×128 tile stores its accumulators and reloads its first operands in
    /// about the time of 64 K-elements of math; it reproduces the measured drop of GEMMs with
    /// K ≤ 1024 (ml-engineering MAMF sweeps: K=1024 runs ~10% below the K=8192 maximum).</summary>
    public const double TileOverheadK = 64;

    /// <summary>Fraction of HBM peak that streaming kernels reach (A100/H100 STREAM-style copy
    /// benchmarks reach 85–92% of datasheet bandwidth; 0.85 taken).</summary>
    public const double HbmEfficiency = 0.85;

    /// <summary>The HBM bandwidth streaming kernels sustain on <paramref name="a"/>, bytes/s.</summary>
    public static double HbmBytesPerS(Accelerator a) => a.HbmTBps.Value * 1e12 * HbmEfficiency;

    /// <summary>Launch and synchronisation cost of one kernel, s (CUDA kernel launch ≈ 4–5 µs
    /// when not hidden by the stream queue; taken 4 µs).</summary>
    public const double KernelOverheadS = 4e-6;

    /// <summary>Compute units assumed where the catalog has no <c>compute_units</c>: 128, a
    /// round figure between the V100's 80 and the MI300X's 304 SMs/CUs of the catalogued GPUs.</summary>
    public const int DefaultComputeUnits = 128;

    /// <summary>SMs or CUs that tiles are spread over: the catalog's <c>compute_units</c>, else <see cref="DefaultComputeUnits"/>.</summary>
    public static int ComputeUnits(Accelerator a) => a.ComputeUnits is { } units ? (int)units.Value : DefaultComputeUnits;

    /// <summary>Fraction of dense peak the device's tensor cores sustain in a training step at
    /// <paramref name="precision"/>: the measured matmul maximum, the share of it GEMMs keep inside a step
    /// (<see cref="Accelerator.SustainedShare"/>) and the power-limited clock. GEMMs and fused attention
    /// both start from it.</summary>
    public static double SustainedMaximum(Accelerator a, Precision precision = Precision.Bf16) =>
        a.MatmulEfficiencyAt(precision) * a.SustainedShare * Energy.PowerLimitedClock.ClockShare(a);

    /// <summary>Fraction of dense peak achieved by a GEMM of this shape (before the memory roofline).</summary>
    public static double ComputeFraction(Accelerator a, double m, double n, double k, double batch = 1, Precision precision = Precision.Bf16)
    {
        double measured = a.MatmulEfficiencyAt(precision);
        if (m <= 0 || n <= 0 || k <= 0) return measured;
        int units = ComputeUnits(a);
        // (rows, cols, relative ceiling) of candidate output tiles. 256×128 is the largest
        // CUTLASS/cuBLAS Ampere/Hopper tensor-core tile; the ceilings for smaller tiles follow the
        // lower operand reuse (CUTLASS profiler tables show 64×64 tiles at roughly 3/4 of the
        // throughput of 256×128 on large problems). Written as calls with constant sides, not a
        // table: the JIT then turns the divisions by the power-of-two sides into exact multiplications.
        double best = Math.Max(Math.Max(Math.Max(Math.Max(
            TileShare(m, n, batch, units, 256, 128, 1.00),
            TileShare(m, n, batch, units, 128, 256, 1.00)),
            TileShare(m, n, batch, units, 128, 128, 0.95)),
            TileShare(m, n, batch, units, 128, 64, 0.88)),
            TileShare(m, n, batch, units, 64, 64, 0.75));
        double kUse = k / (k + TileOverheadK);
        return SustainedMaximum(a, precision) * best * kUse;
    }

    /// <summary>Share of the ceiling one tile shape reaches on an m×n output: its tile use (partial edge tiles do full work) times its wave use (a partial last wave idles units).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    static double TileShare(double m, double n, double batch, int units, int tm, int tn, double ceiling)
    {
        double tilesM = Math.Ceiling(m / tm), tilesN = Math.Ceiling(n / tn);
        double tiles = tilesM * tilesN * Math.Max(1, batch);
        double tileUse = m * n / (tilesM * tm * tilesN * tn);
        double waveUse = tiles / (Math.Ceiling(tiles / units) * units);
        return ceiling * tileUse * waveUse;
    }

    /// <summary>Seconds for <paramref name="batch"/> independent GEMMs of M×K·K×N with inputs of the given precision.</summary>
    public static double Seconds(Accelerator a, Precision precision, double m, double n, double k, double batch = 1)
    {
        if (m <= 0 || n <= 0 || k <= 0 || batch <= 0) return 0;
        double flops = 2 * m * n * k * batch;
        double bytesPerElement = RunsFourBit(a, precision) ? Fp4BytesPerElement : RunsEightBit(a, precision) ? 1 : 2;
        double math = flops / (a.PeakTflops(precision) * 1e12 * ComputeFraction(a, m, n, k, batch, precision));
        // Output stays 16-bit even when inputs are 8-bit (FP8 training keeps activations in BF16).
        double bytes = batch * ((m * k + k * n) * bytesPerElement + m * n * 2);
        double memory = bytes / HbmBytesPerS(a);
        return Math.Max(math, memory) + KernelOverheadS;
    }

    /// <summary>Range of measured FP8 over 16-bit maximum achievable matmul fractions in the
    /// catalog (ml-engineering MAMF table): H100 SXM 0.709/0.803 = 0.88 … Gaudi 3 0.703/0.677 = 1.04.</summary>
    public const double Fp8ToBf16RatioLow = 0.88, Fp8ToBf16RatioHigh = 1.04;

    public static bool IsEightBit(Precision p) => p is Precision.Fp8 or Precision.Fp4;

    /// <summary>True when GEMMs at this precision really run 8-bit: an 8-bit precision on a device with FP8 units.</summary>
    public static bool RunsEightBit(Accelerator a, Precision p) => IsEightBit(p) && a.PeakTflopsFp8 is not null;

    /// <summary>NVFP4 input bytes per element: 4-bit values plus one FP8 scale per 16 (NVIDIA,
    /// "Pretraining LLMs with NVFP4", 2025): 0.5 + 1/16.</summary>
    public const double Fp4BytesPerElement = 0.5 + 1.0 / 16;

    /// <summary>True when GEMMs at this precision really run 4-bit: FP4 on a device with FP4 tensor cores.</summary>
    public static bool RunsFourBit(Accelerator a, Precision p) => p == Precision.Fp4 && a.PeakTflopsFp4 is not null;

    /// <summary>True when a run at this precision uses the FP8 peak but the catalog has no FP8
    /// matmul measurement for the device, so the 16-bit fraction stands in for it.</summary>
    public static bool Fp8EfficiencyAssumed(Accelerator a, Precision p) =>
        RunsEightBit(a, p) && a.MatmulEfficiencyFp8 is null;
}
