using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Commands;

/// <summary>A column of a catalog table: a snake_case key (JSON) and a header (text, HTML).</summary>
public sealed record CatalogColumn(string Key, string Header);

/// <summary>
/// One table of the catalog. Cells are numbers (double, int), strings or null (not published),
/// so front ends can sort numerically and JSON keeps numbers as numbers.
/// </summary>
public sealed record CatalogTable(string Title, IReadOnlyList<CatalogColumn> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>The result of <c>catalog</c>: the entries asked for, and the same as tables with sources.</summary>
public sealed record CatalogListing(IReadOnlyList<ModelSpec> Models, IReadOnlyList<Accelerator> Accelerators, IReadOnlyList<SystemSpec> Systems)
{
    public IReadOnlyList<CatalogTable> Tables()
    {
        var tables = new List<CatalogTable>();
        if (Models.Count > 0)
            tables.Add(Table("Models",
                [("id", "id"), ("name", "name"), ("params_b", "params (B)"), ("layers", "layers"), ("hidden", "hidden"),
                 ("ffn_hidden", "ffn"), ("ffn", "mlp"), ("heads", "heads"), ("kv_heads", "kv heads"), ("vocab", "vocab"),
                 ("seq_len", "seq"), ("batch_seqs", "batch"), ("moe", "moe"), ("source", "source")],
                Models.Select(m => new object?[]
                {
                    m.Id, m.Name, Math.Round(TransformerArithmetic.Parameters(m).Total / 1e9, 2), m.Layers, m.Hidden,
                    m.FfnHidden, m.Ffn == FfnKind.SwiGlu ? "gated" : "gelu", m.Heads, m.KvHeads, m.Vocab, m.SeqLen, m.BatchSeqs,
                    m.Moe is { } moe ? $"{moe.Active}/{moe.Experts}" + (moe.Shared > 0 ? $"+{moe.Shared}" : "") : null,
                    m.Source,
                })));
        if (Accelerators.Count > 0)
            tables.Add(Table("Accelerators",
                [("id", "id"), ("name", "name"), ("vendor", "vendor"), ("peak_tflops_16", "bf16 TFLOP/s"), ("peak_tflops_fp8", "fp8 TFLOP/s"),
                 ("hbm_gb", "HBM GB"), ("hbm_tbps", "HBM TB/s"), ("scale_up_gbps", "scale-up GB/s"), ("scale_out_gbps", "scale-out GB/s"),
                 ("tdp_w", "TDP W"), ("matmul_efficiency", "matmul eff."), ("architecture", "architecture"),
                 ("clock_power_curve_points", "clock/power points"), ("source", "source (peak)")],
                Accelerators.Select(a => new object?[]
                {
                    a.Id, a.Name, a.Vendor, a.PeakTflops16.Value, a.PeakTflopsFp8?.Value, a.HbmGb.Value, a.HbmTBps.Value,
                    a.ScaleUpGBps.Value, a.ScaleOutGBps.Value, a.TdpW.Value, a.MatmulEfficiency.Value,
                    // Not stated (a user's device): no generation's kernel measurements apply to it.
                    a.Architecture == DeviceArchitecture.Unknown ? null : DeviceArchitectureNames.Name(a.Architecture),
                    // Measured clock/power points (--power-cap follows them); none: the generic cubic law.
                    a.ClockPower?.Clock.Count, a.PeakTflops16.Source,
                })));
        if (Systems.Count > 0)
            tables.Add(Table("Systems",
                [("id", "id"), ("name", "name"), ("device", "device"), ("devices_per_node", "per node"), ("scale_up_domain", "scale-up domain"),
                 ("scale_up_gbps", "scale-up GB/s"), ("scale_out_gbps", "scale-out GB/s"), ("max_devices", "max devices"),
                 ("price_per_device_hour", "$/device-h"), ("notes", "notes")],
                Systems.Select(s => s is GpuCluster g
                    ? new object?[]
                    {
                        g.Id, g.Name, g.Device.Id, g.DevicesPerNode, g.ScaleUpDomain, g.ScaleUpGBps.Value, g.ScaleOutGBps.Value,
                        g.MaxDevices, g.PricePerDeviceHour.Value, g.Notes,
                    }
                    : [s.Id, s.Name, s.DeviceNoun, null, null, null, null, s.MaxDevices, s.PricePerDeviceHour.Value, s.Notes])));
        return tables;
    }

    private static CatalogTable Table(string title, (string Key, string Header)[] columns, IEnumerable<object?[]> rows) =>
        new(title, columns.Select(c => new CatalogColumn(c.Key, c.Header)).ToList(), rows.ToList<IReadOnlyList<object?>>());
}
