using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;
using WaferNotebooks.Core.Energy;

namespace WaferNotebooks.Core.Tests.EnergyModelTests;

public class EnergyTests
{
    [Theory]
    [InlineData(0, 100)]
    [InlineData(0.5, 400)]
    [InlineData(1, 700)]
    [InlineData(2, 700)]
    public void DevicePowerIsLinearBetweenIdleAndTdp(double busy, double watts) =>
        Assert.Equal(watts, DevicePower.Watts(100, 700, busy), 1e-9);

    [Fact]
    public void RunEnergyCostAndCarbon()
    {
        var econ = new EconomicAssumptions(new Sourced(1.1, "t"), new Sourced(2.5, "t"), new Sourced(400, "t"));
        // 16 devices × 500 W + 2 nodes × 1000 W = 10 kW IT, × 1.1 = 11 kW, for 100 h = 1.1 MWh.
        var r = RunEnergy.For(16, 500, 2, 1000, 100, new Sourced(9, "catalog"), econ);
        Assert.Equal(11, r.AveragePowerKw, 1e-9);
        Assert.Equal(1.1, r.EnergyMwh, 1e-9);
        Assert.Equal(2.5 * 16 * 100, r.CostUsd, 1e-9);   // the override price, not the catalog's
        Assert.Equal(1.1 * 1000 * 400 / 1e6, r.Co2Tonnes, 1e-9);
        Assert.Equal(9 * 16 * 100, RunEnergy.For(16, 500, 2, 1000, 100, new Sourced(9, "catalog"), econ with { PricePerDeviceHour = null }).CostUsd, 1e-9);
    }
}
