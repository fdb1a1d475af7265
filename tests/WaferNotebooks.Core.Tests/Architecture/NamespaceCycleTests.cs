using System.Reflection;

namespace WaferNotebooks.Core.Tests.Architecture;

/// <summary>
/// Core's namespaces form layers (docs/architecture.md): the model below, the subcommands
/// (Commands) above it. A namespace that uses another which uses it back is a cycle.
/// </summary>
public class NamespaceCycleTests
{
    /// <summary>
    /// The target (issue 12) is no cycle at all. Reached so far: the command layer (Commands), the
    /// chart contract (Charting) and the analyses above the model (Comparisons, Sweeps, Timeline,
    /// Uncertainty, Validation) are outside every cycle. The model's namespaces still use each
    /// other (Catalog → Gpu for calibrated constants, Workload → Gpu for the software profile,
    /// Results → Reliability, Gpu → Catalog, ...), and the root namespace and Planning join them
    /// because Simulator (which calls the Planner) and IEstimator sit beside WaferInputException,
    /// which every layer uses. This set is pinned so that it cannot grow.
    /// </summary>
    private static readonly string[] KnownModelCycle =
    [
        "WaferNotebooks.Core", "WaferNotebooks.Core.Catalog", "WaferNotebooks.Core.Economics", "WaferNotebooks.Core.Energy",
        "WaferNotebooks.Core.Gpu", "WaferNotebooks.Core.Parallel", "WaferNotebooks.Core.Planning", "WaferNotebooks.Core.Reliability",
        "WaferNotebooks.Core.Results", "WaferNotebooks.Core.Wafer", "WaferNotebooks.Core.Workload",
    ];

    [Fact]
    public void Core_namespaces_have_no_cycles_beyond_the_known_model_one_and_the_command_layer_is_in_none()
    {
        var graph = new NamespaceGraph(typeof(Simulator).Assembly);
        var cycles = graph.Cycles();
        string Describe(IEnumerable<List<string>> found) => string.Join("\n\n", found.Select(c =>
            $"cycle among {string.Join(", ", c)}:\n  " + string.Join("\n  ", graph.Describe(c))));
        var beyond = cycles.Where(c => c.Except(KnownModelCycle).Any()).ToList();
        Assert.True(beyond.Count == 0, Describe(beyond));
        Assert.DoesNotContain(cycles.SelectMany(c => c), ns => ns.StartsWith("WaferNotebooks.Core.Commands", StringComparison.Ordinal));
    }

    [Fact]
    public void The_check_sees_a_cycle_made_only_inside_method_bodies()
    {
        var graph = new NamespaceGraph(Assembly.GetExecutingAssembly());
        Assert.Contains(graph.Cycles(), c => c.SequenceEqual(["CycleProbe.A", "CycleProbe.B"]));
    }

    [Fact]
    public void The_check_sees_a_cycle_through_the_command_layer()
    {
        // Validation used the command layer's JobDefaults until it moved to Workload; a type of
        // the command layer named in a model signature would close such a loop again.
        var graph = new NamespaceGraph(typeof(Simulator).Assembly);
        graph.Edges["WaferNotebooks.Core.Validation"].TryAdd("WaferNotebooks.Core.Commands", "probe");
        Assert.Contains(graph.Cycles(), c => c.Contains("WaferNotebooks.Core.Commands"));
    }
}
