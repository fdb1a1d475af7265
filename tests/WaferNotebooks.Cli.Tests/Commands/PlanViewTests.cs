using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Commands;
using WaferNotebooks.Core.Planning;
using WaferNotebooks.Core.Results;
using WaferNotebooks.Core.Simulation;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Cli.Tests.Commands;

/// <summary>The plan's Pareto note and column read right when the front is one layout, a tie, or a span.</summary>
public class PlanViewTests
{
    private static readonly TrainingJob Job = new(SimulatorCatalog.Default.FindModel("llama2-7b"), 1e11, 512, 4096);

    private static Estimate Estimate(string layout) =>
        Simulator.Estimate(Job, SimulatorCatalog.Default.FindSystem("dgx-h100"), 64,
            LayoutSpec.Parse(layout).Resolve(64, Job, SimulatorCatalog.Default.FindSystem("dgx-h100")));

    private static ResultView View(IReadOnlyList<Estimate> top, IReadOnlyList<Estimate> front) =>
        PlanCommand.Instance.View(new PlanResult(Job, "dgx-h100", 64, Objective.Time, top[0], top, front, [], top.Count, 0, [], null));

    private static string Note(ResultView view) => view.Notes.Single(n => n.Label == "Pareto front of time vs energy").Text;

    [Fact]
    public void One_layout_on_the_front_is_one_point_not_a_span_from_itself_to_itself()
    {
        var e = Estimate("tp=2,pp=1,mb=1,zero=1");
        var note = Note(View([e], [e]));
        Assert.StartsWith("one layout, ", note);
        Assert.EndsWith(" MWh: it is the fastest and uses the least energy", note);
        Assert.DoesNotContain(" to ", note);
    }

    [Fact]
    public void Layouts_that_tie_are_said_to_tie()
    {
        // The planner estimates each front layout again: equal estimates, distinct objects.
        var (a, b) = (Estimate("tp=2,pp=1,mb=1,zero=1"), Estimate("tp=2,pp=1,mb=1,zero=1"));
        var note = Note(View([a], [a, b]));
        Assert.StartsWith("2 layouts tie at ", note);
        Assert.DoesNotContain(" to ", note);
    }

    [Fact]
    public void A_front_that_spans_names_its_fastest_and_its_least_energy_end()
    {
        var (fast, frugal) = (Estimate("tp=2,pp=1,mb=1,zero=1"), Estimate("tp=8,pp=1,mb=1,zero=1"));
        Assert.NotEqual(fast.TimeToTrainDays.ToString("G3"), frugal.TimeToTrainDays.ToString("G3"));
        var note = Note(View([fast, frugal], [fast, frugal]));
        Assert.Matches(@"^2 layouts, from .+ days / .+ MWh \(fastest\) to .+ days / .+ MWh \(least energy\)$", note);
    }

    [Fact]
    public void The_pareto_column_marks_front_layouts_though_the_planner_estimated_them_again()
    {
        var (fast, other) = (Estimate("tp=2,pp=1,mb=1,zero=1"), Estimate("tp=8,pp=1,mb=1,zero=1"));
        var table = View([fast, other], [Estimate("tp=2,pp=1,mb=1,zero=1")]).Tables[0];
        var pareto = table.Columns.ToList().FindIndex(c => c.Header == "pareto");
        Assert.Equal(new[] { "*", "" }, table.Rows.Select(r => r[pareto]));
    }
}
