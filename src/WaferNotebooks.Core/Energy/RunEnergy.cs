using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Economics;

namespace WaferNotebooks.Core.Energy;

/// <summary>Energy, money and carbon of a whole run; <see cref="Assumptions"/> is empty when the caller asked for numbers only.</summary>
public readonly record struct RunEnergy(double AveragePowerKw, double EnergyMwh, double CostUsd, double Co2Tonnes, IReadOnlyList<string> Assumptions)
{
    /// <summary>
    /// Facility power = (devices × device power + nodes × node overhead) × PUE. Node overhead
    /// (CPUs, NICs, fans, the node's share of switches) comes from the system catalog; the
    /// device-hour price is the economics override or else the system's catalog price; carbon
    /// is energy × grid intensity. Used by every estimator (GPU-class and wafer-scale).
    /// </summary>
    public static RunEnergy For(
        int devices,
        double devicePowerW,
        int nodes,
        double nodeOverheadW,
        double hours,
        Sourced systemPricePerDeviceHour,
        EconomicAssumptions economics,
        string deviceNoun = "device",
        bool describe = true)
    {
        double itKw = (devices * devicePowerW + nodes * nodeOverheadW) / 1000;
        double pue = economics.Pue.Value;
        double kw = itKw * pue;
        double mwh = kw * hours / 1000;
        var price = economics.PricePerDeviceHour ?? systemPricePerDeviceHour;
        double cost = price.Value * devices * hours;
        double co2 = mwh * 1000 * economics.GramsCo2PerKwh.Value / 1e6;
        if (!describe) return new RunEnergy(kw, mwh, cost, co2, []);
        var assumptions = new List<string>
        {
            $"power: {devices} × {devicePowerW:0} W per {deviceNoun} + {nodes} × {nodeOverheadW:0} W node overhead, × PUE {pue:0.##} ({economics.Pue.Source})",
            $"price: ${price.Value:0.##} per {deviceNoun}-hour ({price.Source})",
            $"carbon: {economics.GramsCo2PerKwh.Value:0} g CO2/kWh ({economics.GramsCo2PerKwh.Source})",
        };
        return new RunEnergy(kw, mwh, cost, co2, assumptions);
    }
}
