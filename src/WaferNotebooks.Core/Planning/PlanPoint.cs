using WaferNotebooks.Core.Parallel;

namespace WaferNotebooks.Core.Planning;

/// <summary>One feasible layout of a plan, reduced to what a scatter plot or a ranked table needs.</summary>
public sealed record PlanPoint(
    Layout Layout,
    double StepTimeS,
    double TimeToTrainDays,
    double EnergyMwh,
    double CostUsd,
    double TokensPerS,
    double Mfu,
    double MemoryPerDeviceGb,
    bool OnParetoFront);
