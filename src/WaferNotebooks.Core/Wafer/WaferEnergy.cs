using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;

namespace WaferNotebooks.Core.Wafer;

/// <summary>Power, energy, cost and carbon of a wafer-scale run.</summary>
public sealed record WaferEnergy(double AveragePowerKw, double EnergyMwh, double CostUsd, double Co2Tonnes)
{
    /// <summary>
    /// Each system draws idle power plus the idle-to-max span in proportion to the share of the
    /// step the wafer computes; weight streaming adds the MemoryX/SwarmX/server share. Facility
    /// power is that times PUE. Cost is the all-in price per system-hour.
    /// </summary>
    public static WaferEnergy For(WaferCluster c, int systems, double busyFraction, bool usesMemoryX, double hours, EconomicAssumptions economics)
    {
        // Idle can never exceed full power, even when the two ranges are swept against each other.
        double idle = Math.Min(c.IdlePowerKw.Value, c.SystemPowerKw.Value);
        double perSystem = idle + (c.SystemPowerKw.Value - idle) * Math.Clamp(busyFraction, 0, 1)
            + (usesMemoryX ? c.MemoryXSwarmXPowerKw.Value : 0);
        double kw = perSystem * systems * economics.Pue.Value;
        double mwh = kw * hours / 1e3;
        double price = (economics.PricePerDeviceHour ?? c.PricePerDeviceHour).Value;
        return new WaferEnergy(kw, mwh, price * systems * hours, mwh * economics.GramsCo2PerKwh.Value / 1e3);
    }
}
