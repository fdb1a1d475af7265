using WaferNotebooks.Core.Charting;
using System.Text.Json.Nodes;
using WaferNotebooks.Core.Results;
using static WaferNotebooks.Core.Commands.CommandGrammar;
using static WaferNotebooks.Core.Commands.ValueText;
using static WaferNotebooks.Core.Commands.ViewTableBuilder;

namespace WaferNotebooks.Core.Commands;

/// <summary><c>estimate</c>: one job on one system, its headline figures with ranges, where a step and the memory go.</summary>
public sealed class EstimateCommand : Subcommand<EstimateRequest, Estimate>
{
    public static EstimateCommand Instance { get; } = new();

    public override SubcommandSpec Spec { get; } = new("estimate",
        "Estimate one training job on one system: time to train, throughput, MFU, memory, energy, cost.",
        "estimate --model llama2-70b --on dgx-h100:512 --tokens 2T",
        [.. JobOptions, On, Layout, Objective, .. EconomicOptions, .. PhysicsOptions, .. SharedOptions]);

    public override EstimateRequest Parse(RequestArgs a) => a.Run((job, target, layout, economics, objective) => new EstimateRequest(job, target, layout, economics, objective));

    public override Estimate Run(EstimateRequest r, RunContext context) => RangedEstimate.Of(r.Job, r.Target, r.Layout, r.Economics, r.Objective);

    public override string? DoesNotFit(Estimate e) => e.Feasible ? null : e.Reason ?? "the layout does not fit";

    public override JsonNode Json(Estimate e) => ResultJson.Estimate(e);

    public override IReadOnlyList<string> Charts(Estimate e, IChartRenderer charts, bool offline) =>
        [charts.StepBreakdown(e, offline), charts.MemoryBreakdown(e, offline)];

    /// <summary>
    /// Headline figures with their ranges, the step and memory tables, the sensitivities and the
    /// assumptions; a job that does not fit has none of the figures, only why and what overflows.
    /// </summary>
    public override ResultView View(Estimate e)
    {
        if (!e.Feasible)
            return EstimateView.DoesNotFitView(EstimateView.Title(e), EstimateView.Subtitle(e), e, DoesNotFit(e)!);
        var r = e.Ranges;
        var g = e.Goodput;
        var tables = new List<ViewTable> { EstimateView.StepTable(e), EstimateView.MemoryTable(e.Memory) };
        if (e.Sensitivities is { Count: > 0 } sensitivities)
        {
            var table = new ViewTableBuilder(Text("uncertain input"), Number("low"), Number("nominal"), Number("high"), Number("days at low"), Number("days at high"));
            foreach (var s in sensitivities.OrderByDescending(s => s.Swing))
                table.Add(s.Parameter, Num(s.LowValue), Num(s.NominalValue), Num(s.HighValue), Num(s.DaysAtLow), Num(s.DaysAtHigh));
            tables.Add(table.Build());
        }
        return new ResultView(EstimateView.Title(e), EstimateView.Subtitle(e))
        {
            Facts =
            [
                new("time to train", $"{Num(e.TimeToTrainDays)} days", Range(e.TimeToTrainDays, r?.TimeToTrainDays, Num), "without interruptions"),
                new("with downtime", g is null ? "not modelled" : g.Share > 0 ? $"{Num(g.DaysWithDowntime)} days" : "never finishes",
                    Detail: g is null ? "no failure rate for this system"
                        : g.Share > 0 ? $"goodput {Percent(g.Share)}, {Num(g.ExpectedInterruptions)} interruptions expected, {Num(g.EvaluationDays)} days of evaluation"
                        : "interruptions come faster than checkpoints save work"),
                new("throughput", $"{Scaled(e.TokensPerS)} tokens/s", Range(e.TokensPerS, r?.TokensPerS, Scaled), $"{Num(e.TokensPerSPerDevice)} per device"),
                new("MFU / HFU", $"{Percent(e.Mfu)} / {Percent(e.Hfu)}"),
                new("step time", Duration(e.StepTimeS), Range(e.StepTimeS, r?.StepTimeS, Duration)),
                new("TFLOP/s per device", $"{Num(e.ModelTflopsPerDevice)} model", Detail: $"{Num(e.HardwareTflopsPerDevice)} hardware"),
                new("memory per device", $"{Num(e.Memory.TotalGb)} GB", Detail: $"of {Num(e.Memory.CapacityGb)} GB {e.Memory.Where}"),
                new("energy", $"{Num(e.EnergyMwh)} MWh", Range(e.EnergyMwh, r?.EnergyMwh, r?.Choices?.EnergyMwh, Num), $"{Num(e.AveragePowerKw)} kW average"),
                new("cost", Usd(e.CostUsd), Range(e.CostUsd, r?.CostUsd, r?.Choices?.CostUsd, Usd), $"{Num(e.DeviceHours)} device-hours"),
                new("CO2", $"{Num(e.Co2Tonnes)} t", Range(e.Co2Tonnes, r?.Co2Tonnes, r?.Choices?.Co2Tonnes, Num)),
            ],
            Tables = tables,
            Notes = [new("Bottleneck", e.Bottleneck)],
            Lists = [new("assumptions", [.. e.Assumptions, .. r is null ? Array.Empty<string>() : [$"ranges: {r.Method}"]])],
        };
    }
}
