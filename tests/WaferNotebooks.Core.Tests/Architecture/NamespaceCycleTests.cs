using System.Reflection;
using WaferNotebooks.Core.Simulation;

namespace WaferNotebooks.Core.Tests.Architecture;

/// <summary>
/// Core's namespaces form layers (docs/architecture.md): each uses only the layers below it, so
/// no two namespaces use each other, directly or around a loop.
/// </summary>
public class NamespaceCycleTests
{
    /// <summary>
    /// Core's layers, bottom to top. A namespace below a listed one (Validation.Calibration) is in
    /// its layer and may use it; namespaces side by side in one layer do not use each other.
    /// </summary>
    private static readonly string[][] Layers =
    [
        ["WaferNotebooks.Core"], // WaferInputException, which every layer throws
        ["WaferNotebooks.Core.Catalog"],
        ["WaferNotebooks.Core.Workload"],
        ["WaferNotebooks.Core.Parallel"],
        ["WaferNotebooks.Core.Reliability"],
        ["WaferNotebooks.Core.Economics"],
        ["WaferNotebooks.Core.Energy"],
        ["WaferNotebooks.Core.Results"],
        ["WaferNotebooks.Core.Estimation"],
        ["WaferNotebooks.Core.Gpu", "WaferNotebooks.Core.Wafer"],
        ["WaferNotebooks.Core.Planning"],
        ["WaferNotebooks.Core.Simulation"],
        ["WaferNotebooks.Core.Comparisons", "WaferNotebooks.Core.Sweeps", "WaferNotebooks.Core.Timeline", "WaferNotebooks.Core.Uncertainty"],
        ["WaferNotebooks.Core.Validation"],
        ["WaferNotebooks.Core.Charting"],
        ["WaferNotebooks.Core.Commands"],
    ];

    private static NamespaceGraph CoreGraph() => new(typeof(Simulator).Assembly);

    [Fact]
    public void Core_has_no_namespace_cycle()
    {
        var graph = CoreGraph();
        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, string.Join("\n\n", cycles.Select(c =>
            $"cycle among {string.Join(", ", c)}:\n  " + string.Join("\n  ", graph.Describe(c)))));
    }

    [Fact]
    public void Each_namespace_of_Core_uses_only_the_layers_below_it()
    {
        var problems = LayerViolations(CoreGraph());
        Assert.True(problems.Count == 0, string.Join("\n", problems));
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
        var graph = CoreGraph();
        graph.Edges["WaferNotebooks.Core.Validation"].TryAdd("WaferNotebooks.Core.Commands", "probe");
        Assert.Contains(graph.Cycles(), c => c.Contains("WaferNotebooks.Core.Commands"));
    }

    [Fact]
    public void The_layer_check_sees_a_use_of_a_higher_layer()
    {
        // The catalog read a GPU estimator constant (the sustained matmul share) until the
        // default moved onto Accelerator; that use alone makes no cycle but breaks the layering.
        var graph = CoreGraph();
        graph.Edges["WaferNotebooks.Core.Catalog"].TryAdd("WaferNotebooks.Core.Gpu", "probe");
        Assert.Contains(LayerViolations(graph), p => p.StartsWith("WaferNotebooks.Core.Catalog → WaferNotebooks.Core.Gpu", StringComparison.Ordinal));
    }

    /// <summary>Every use of a namespace that is not in a lower layer, and every Core namespace the layers do not list.</summary>
    private static List<string> LayerViolations(NamespaceGraph graph)
    {
        var problems = new List<string>();
        var names = graph.Edges.Keys.Concat(graph.Edges.Values.SelectMany(t => t.Keys))
            .Where(n => n == "WaferNotebooks.Core" || n.StartsWith("WaferNotebooks.Core.", StringComparison.Ordinal)).Distinct().Order();
        foreach (var name in names)
            if (Listed(name) is null) problems.Add($"{name} is in no layer: add it to Layers here and to docs/architecture.md");
        foreach (var (from, targets) in graph.Edges)
        {
            if (Listed(from) is not { } a) continue;
            foreach (var (to, example) in targets)
            {
                if (Listed(to) is not { } b || b.Entry == a.Entry || b.Layer < a.Layer) continue;
                problems.Add($"{from} → {to} (e.g. {example}): {(b.Layer == a.Layer ? "side by side in one layer" : "a higher layer")}");
            }
        }
        return problems;
    }

    /// <summary>The layer of a namespace and the listed namespace it falls under (the longest listed prefix; the root only by itself).</summary>
    private static (int Layer, string Entry)? Listed(string name) =>
        Layers.SelectMany((entries, layer) => entries.Select(entry => (Layer: layer, Entry: entry)))
            .Where(l => name == l.Entry || (l.Entry != "WaferNotebooks.Core" && name.StartsWith(l.Entry + ".", StringComparison.Ordinal)))
            .OrderByDescending(l => l.Entry.Length)
            .Select(l => ((int, string)?)l)
            .FirstOrDefault();
}
