using System.Text.Json.Nodes;
using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Cli.Tests.Commands;

/// <summary>
/// The model's range and the range over the user's choices (PUE, price, grid) apart, in JSON and
/// in the text (issue 13): `range` stays the model's, `choice_range` is new.
/// </summary>
public class ChoiceRangeOutputTests
{
    private static readonly string[] Job = ["estimate", "--model", "llama2-70b", "--on", "dgx-h100:512", "--tokens", "2T"];

    private static JsonObject Json(params string[] extra)
    {
        var run = CliRunner.Run([.. Job, .. extra, "--json"]);
        Assert.True(run.ExitCode == 0, run.Err);
        return JsonNode.Parse(run.Out)!.AsObject();
    }

    private static double Get(JsonNode node, string path) =>
        path.Split('.').Aggregate(node, (n, key) => n[key]!).GetValue<double>();

    [Fact]
    public void Json_gives_the_choices_range_apart_and_by_hand_it_is_the_defaults_spans()
    {
        var e = Json();
        double co2 = Get(e, "co2_t"), cost = Get(e, "cost_usd"), mwh = Get(e, "energy_mwh");
        // Energy is proportional to PUE (1.08–1.58 around 1.2), CO2 to PUE × grid (50–700 around 367 g/kWh),
        // cost to the price (the catalog's span around its value).
        Assert.Equal(mwh * 1.08 / 1.2, Get(e, "choice_range.energy_mwh.low"), 6);
        Assert.Equal(mwh * 1.58 / 1.2, Get(e, "choice_range.energy_mwh.high"), 6);
        Assert.Equal(co2 * 1.58 / 1.2 * 700 / 367, Get(e, "choice_range.co2_t.high"), 6);
        Assert.Equal(co2 * 1.08 / 1.2 * 50 / 367, Get(e, "choice_range.co2_t.low"), 6);
        var price = ((GpuCluster)SimulatorCatalog.Default.FindSystem("dgx-h100")).Price;
        Assert.Equal(cost * price.High!.Value / price.Value, Get(e, "choice_range.cost_usd.high"), 6);
        Assert.Equal(["price"], e["choice_range"]!["cost_usd"]!["inputs"]!.AsArray().Select(x => x!.GetValue<string>()));
        // The model's range is narrower than the choices' and still brackets the nominal.
        Assert.InRange(co2, Get(e, "range.co2_t.low"), Get(e, "range.co2_t.high"));
        Assert.True(Get(e, "range.co2_t.high") < Get(e, "choice_range.co2_t.high"));
        Assert.True(Get(e, "range.cost_usd.high") < Get(e, "choice_range.cost_usd.high"));
    }

    [Fact]
    public void A_choice_given_on_the_command_line_drops_out_and_all_three_leave_no_choice_range()
    {
        var e = Json("--pue", "1.1", "--carbon", "100");
        var co2 = e["choice_range"]!["co2_t"]!;
        Assert.Empty(co2["inputs"]!.AsArray());
        Assert.Equal(Get(e, "co2_t"), co2["high"]!.GetValue<double>(), 9);
        Assert.Equal(["price"], e["choice_range"]!["cost_usd"]!["inputs"]!.AsArray().Select(x => x!.GetValue<string>()));

        Assert.Null(Json("--pue", "1.1", "--carbon", "100", "--price", "2")["choice_range"]);
    }

    [Fact]
    public void The_text_prints_the_choices_after_the_model_range()
    {
        var run = CliRunner.Run(Job);
        Assert.Equal(0, run.ExitCode);
        var co2 = run.Out.Split('\n').Single(l => l.StartsWith("CO2 "));
        // The view writes a fact's range in brackets: the model's first, then the choices'.
        Assert.Matches(@"^CO2 +\d+ t \([\d.]+–[\d.]+; by choice of PUE, grid carbon intensity: [\d.]+–[\d.]+\)", co2);
        Assert.Contains("; by choice of price: $", run.Out.Split('\n').Single(l => l.StartsWith("cost ")));
    }
}
