using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Tests.Wafer;

public class WaferCatalogTests
{
    static IEnumerable<(string Name, Sourced Value)> SourcedFields(WaferCluster c) =>
        typeof(WaferCluster).GetProperties().Where(p => p.PropertyType == typeof(Sourced) && p.CanWrite)
            .Select(p => (p.Name, (Sourced)p.GetValue(c)!));

    [Fact]
    public void Both_systems_load_from_the_embedded_json_with_their_published_headline_figures()
    {
        Assert.Equal(850_000, WaferFixtures.Cs2.Cores.Value);
        Assert.Equal(40, WaferFixtures.Cs2.SramGb.Value);
        Assert.Equal(150, WaferFixtures.Cs2.SystemIoGBps.Value);
        Assert.Equal(192, WaferFixtures.Cs2.MaxSystems);
        Assert.Equal(900_000, WaferFixtures.Cs3.Cores.Value);
        Assert.Equal(44, WaferFixtures.Cs3.SramGb.Value);
        Assert.Equal(21, WaferFixtures.Cs3.SramPBps.Value);
        Assert.Equal(2048, WaferFixtures.Cs3.MaxSystems);
        // CS-3's spec sheet gives the same 1.2 Tb/s as CS-2; the "+30%" (195 GB/s) is only the high end (issue 11).
        Assert.Equal(150, WaferFixtures.Cs3.SystemIoGBps.Value);
        Assert.Equal(195, WaferFixtures.Cs3.SystemIoGBps.High);
        Assert.Equal("system", WaferFixtures.Cs3.DeviceNoun);
    }

    [Fact]
    public void Every_number_has_a_source_and_every_number_that_is_not_a_datasheet_figure_has_a_range()
    {
        foreach (var c in WaferFixtures.Clusters)
            foreach (var (name, value) in SourcedFields(c))
            {
                Assert.False(string.IsNullOrWhiteSpace(value.Source), $"{c.Id}.{name} has no source");
                // The nominal peak is the MFU denominator; throughput's uncertainty lives in compute_utilisation alone.
                if (value.Confidence is not (Confidence.Datasheet or Confidence.Measured) && name != nameof(WaferCluster.PeakTflops16))
                    Assert.True(value.HasRange, $"{c.Id}.{name} is {value.Confidence} but has no low/high");
                if (value.HasRange)
                    Assert.InRange(value.Value, value.Low!.Value, value.High!.Value);
            }
    }

    [Fact]
    public void The_cs3_dense_peak_is_twice_cs2_and_far_below_the_sparse_125_pf_claim()
    {
        var peak = WaferFixtures.Cs3.PeakTflops16;
        Assert.Equal(2 * WaferFixtures.Cs2.PeakTflops16.Value, peak.Value);
        Assert.True(peak.Value < 125_000 / 4.0);
    }

    [Fact]
    public void Sustained_throughput_is_one_uncertain_parameter_not_peak_and_utilisation_separately()
    {
        // Peak × utilisation is what the logs measure; sweeping both gives corners no measurement supports (issue 11).
        foreach (var c in WaferFixtures.Clusters)
        {
            var knobs = Core.Uncertainty.UncertainKnob.Enumerate(c, WaferFixtures.Economics).Select(k => k.Name).ToList();
            Assert.Contains("compute_utilisation", knobs);
            Assert.DoesNotContain("peak_tflops16", knobs);
        }
    }

    [Fact]
    public void The_price_is_marked_as_an_assumption()
    {
        foreach (var c in WaferFixtures.Clusters)
        {
            Assert.Equal(Confidence.Assumed, c.PricePerDeviceHour.Confidence);
            Assert.Contains("no public price", c.PricePerDeviceHour.Source, StringComparison.OrdinalIgnoreCase);
        }
    }

    static string Cs3Json(Func<string, string> edit)
    {
        using var stream = typeof(WaferCluster).Assembly.GetManifestResourceStream("WaferNotebooks.Catalog.wafer.json")!;
        var root = System.Text.Json.Nodes.JsonNode.Parse(stream)!;
        var cs3 = root["systems"]!.AsArray().Single(n => (string?)n!["id"] == "cs-3")!.DeepClone();
        cs3["id"] = "my-cs-3";
        return edit($"{{\"systems\": [{cs3.ToJsonString()}]}}");
    }

    [Fact]
    public void A_user_file_can_add_a_wafer_cluster()
    {
        var catalog = SimulatorCatalog.Default.ExtendFromJsonText(Cs3Json(j => j.Replace("\"max_systems\":2048", "\"max_systems\":64")), "mine.json");
        var mine = Assert.IsType<WaferCluster>(catalog.FindSystem("my-cs-3"));
        Assert.Equal(64, mine.MaxSystems);
    }

    [Theory]
    [InlineData("\"max_systems\":2048", "\"max_sistems\":2048", "max_sistems")]
    [InlineData("\"swarmx_fan_out\"", "\"swarmx_fanout\"", "swarmx_fanout")]
    [InlineData("\"max_systems\":2048", "\"max_systems\":0", "max_systems must be at least 1")]
    public void A_bad_wafer_cluster_in_a_user_file_is_refused_with_a_message_naming_the_field(string from, string to, string named)
    {
        string json = Cs3Json(j => j.Replace(from, to));
        Assert.Contains(to, json);
        var e = Assert.ThrowsAny<WaferInputException>(() => SimulatorCatalog.Default.ExtendFromJsonText(json, "mine.json"));
        Assert.Contains("my-cs-3", e.Message);
        Assert.Contains(named, e.Message);
    }
}
