using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Sweeps;

namespace WaferNotebooks.Cli.Tests.Commands;

public class CommandExecutorTests
{
    /// <summary>Records every report synchronously (Progress&lt;T&gt; would post them later).</summary>
    private sealed class Recorder : IProgress<double>
    {
        public List<double> Values { get; } = [];

        public void Report(double value)
        {
            lock (Values) Values.Add(value);
        }
    }

    private static CommandRequest Parse(string subcommand, params (string Name, string Value)[] options) =>
        RequestParser.Default.Parse(subcommand, options.GroupBy(o => o.Name).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(o => o.Value).ToList()));

    [Fact]
    public void A_sweep_reports_progress_up_to_one()
    {
        var progress = new Recorder();
        var result = CommandExecutor.Default.Execute(
            Parse("sweep", ("--model", "llama2-7b"), ("--on", "dgx-h100"), ("--counts", "8,16,32,64")), progress).Shared<SweepResult>();
        Assert.Equal(4, result.Points.Count);
        Assert.Equal(1.0, progress.Values[^1], 12);
        Assert.Equal(progress.Values.Order(), progress.Values);
    }

    [Fact]
    public async Task A_cancelled_request_stops()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CommandExecutor.Default.ExecuteAsync(Parse("plan", ("--model", "llama2-70b"), ("--on", "dgx-h100:512")), ct: cancel.Token));
    }

    [Fact]
    public void Estimates_carry_ranges_around_the_nominal()
    {
        var e = CommandExecutor.Default.Execute(Parse("estimate", ("--model", "llama2-70b"), ("--on", "cs-3:16"), ("--tokens", "2T"))).Shared<Estimate>();
        Assert.NotNull(e.Ranges);
        Assert.InRange(e.TimeToTrainDays, e.Ranges!.TimeToTrainDays.Low, e.Ranges.TimeToTrainDays.High);
        Assert.InRange(e.EnergyMwh, e.Ranges.EnergyMwh.Low, e.Ranges.EnergyMwh.High);
        Assert.NotEmpty(e.Sensitivities!);
    }
}
