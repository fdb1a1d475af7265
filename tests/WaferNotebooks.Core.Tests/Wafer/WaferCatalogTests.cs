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
        // CS-3 I/O is about 30% above CS-2's 1.2 Tb/s (Cerebras training docs).
        Assert.InRange(WaferFixtures.Cs3.SystemIoGBps.Value / WaferFixtures.Cs2.SystemIoGBps.Value, 1.25, 1.35);
        Assert.Equal("system", WaferFixtures.Cs3.DeviceNoun);
    }

    [Fact]
    public void Every_number_has_a_source_and_every_number_that_is_not_a_datasheet_figure_has_a_range()
    {
        foreach (var c in WaferFixtures.Clusters)
            foreach (var (name, value) in SourcedFields(c))
            {
                Assert.False(string.IsNullOrWhiteSpace(value.Source), $"{c.Id}.{name} has no source");
                if (value.Confidence is not (Confidence.Datasheet or Confidence.Measured))
                    Assert.True(value.HasRange, $"{c.Id}.{name} is {value.Confidence} but has no low/high");
                if (value.HasRange)
                    Assert.InRange(value.Value, value.Low!.Value, value.High!.Value);
            }
    }

    [Fact]
    public void The_cs3_dense_peak_is_uncertain_and_far_below_the_sparse_125_pf_claim()
    {
        var peak = WaferFixtures.Cs3.PeakTflops16;
        Assert.True(peak.HasRange);
        Assert.True(peak.High < 125_000 / 4.0);
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
}
