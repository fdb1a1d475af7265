using System.Collections.Immutable;

namespace WaferNotebooks.Core.Catalog;

/// <summary>
/// The accelerators, systems and models the simulator knows, each number with its source.
/// Immutable: <see cref="With(ModelSpec)"/> and <see cref="ExtendFromJson"/> return a new catalog.
/// <see cref="Default"/> is read from the JSON files embedded in this assembly
/// (Catalog/Data/*.json); a user file in the same schema adds or replaces entries by id.
/// </summary>
public sealed class SimulatorCatalog
{
    private const string ResourcePrefix = "WaferNotebooks.Catalog.";
    private static readonly Lazy<SimulatorCatalog> DefaultCatalog = new(LoadEmbedded);

    private readonly ImmutableList<AcceleratorEntry> accelerators;
    private readonly ImmutableList<SystemSpec> systems;
    private readonly ImmutableList<ModelSpec> models;
    private readonly ImmutableList<CalibrationFit> calibrations;
    private readonly Dictionary<string, AcceleratorEntry> acceleratorByIdOrAlias;
    private readonly Dictionary<string, SystemSpec> systemById;
    private readonly Dictionary<string, ModelSpec> modelById;

    private SimulatorCatalog(ImmutableList<AcceleratorEntry> accelerators, ImmutableList<SystemSpec> systems, ImmutableList<ModelSpec> models,
        ImmutableList<CalibrationFit>? calibrations = null)
    {
        this.accelerators = accelerators;
        this.systems = systems;
        this.models = models;
        this.calibrations = calibrations ?? [];
        acceleratorByIdOrAlias = new(StringComparer.Ordinal);
        foreach (var e in accelerators) acceleratorByIdOrAlias[e.Device.Id] = e;
        foreach (var e in accelerators)
            foreach (var alias in e.Aliases) acceleratorByIdOrAlias.TryAdd(alias, e);
        systemById = systems.ToDictionary(s => s.Id, StringComparer.Ordinal);
        modelById = models.ToDictionary(m => m.Id, StringComparer.Ordinal);
        Accelerators = accelerators.Select(e => e.Device).ToImmutableList();
    }

    /// <summary>The built-in catalog, read once from the embedded JSON.</summary>
    public static SimulatorCatalog Default => DefaultCatalog.Value;

    /// <summary>A catalog with nothing in it, to build one from scratch.</summary>
    public static SimulatorCatalog Empty { get; } = new([], [], []);

    public IReadOnlyList<Accelerator> Accelerators { get; }
    public IReadOnlyList<SystemSpec> Systems => systems;
    public IReadOnlyList<ModelSpec> Models => models;

    /// <summary>The <c>wafer calibrate</c> fits applied, in the order the files were read (a later value of the same constant and group wins).</summary>
    public IReadOnlyList<CalibrationFit> Calibrations => calibrations;

    /// <summary>The key the accelerator's fitted constants are stored under: its calibration group, else its id.</summary>
    public string CalibrationGroupOf(string acceleratorId) =>
        acceleratorByIdOrAlias.TryGetValue(CatalogIds.Normalize(acceleratorId), out var e) ? e.CalibrationGroup : acceleratorId;

    /// <summary>
    /// Applies a fit: each value without a framework replaces its constant on every accelerator
    /// of its calibration group (systems follow); values with a framework are kept for
    /// <see cref="ForFramework"/>. The fit is recorded in <see cref="Calibrations"/>.
    /// </summary>
    public SimulatorCatalog WithCalibration(CalibrationFit fit, string sourceName = "calibration")
    {
        if (fit.Problem() is { } problem) throw new WaferInputException($"Catalog file '{sourceName}': calibration '{fit.Command}': {problem}.");
        foreach (var v in fit.Values)
            if (!accelerators.Any(e => e.CalibrationGroup == v.Accelerator || e.Device.Id == v.Accelerator))
                throw new WaferInputException($"Catalog file '{sourceName}': calibration for '{v.Accelerator}', which is neither an accelerator id nor a calibration group of the catalog."
                    + Suggest(v.Accelerator, accelerators.Select(e => e.CalibrationGroup).Distinct()));
        var catalog = new SimulatorCatalog(accelerators, systems, models, calibrations.Add(fit));
        return catalog.Apply(fit.Values.Where(v => v.Framework is null), fit);
    }

    /// <summary>The catalog as it predicts runs of one framework: its framework- and family-specific fitted values applied over the rest.</summary>
    public SimulatorCatalog ForFramework(string framework)
    {
        var catalog = this;
        foreach (var fit in calibrations)
            catalog = catalog.Apply(fit.Values.Where(v => fit.AppliesTo(v, framework)), fit);
        return catalog;
    }

    /// <summary>
    /// The catalog with a fit replaced by the same fit with other values (cross-validation): a
    /// calibration group the new values leave out goes back to its uncalibrated default.
    /// </summary>
    internal SimulatorCatalog WithRefit(CalibrationFit fit, IReadOnlyList<CalibrationValue> values)
    {
        var index = calibrations.IndexOf(fit);
        var replaced = fit with { Values = values };
        var catalog = new SimulatorCatalog(accelerators, systems, models, index < 0 ? calibrations.Add(replaced) : calibrations.SetItem(index, replaced));
        foreach (var lost in fit.Values.Where(v => v.Framework is null && !values.Any(n => n.Accelerator == v.Accelerator && n.Framework is null && n.Constant == v.Constant)))
        {
            var constant = CalibratedConstant.All.First(c => c.Name == lost.Constant);
            foreach (var entry in catalog.accelerators.Where(e => e.CalibrationGroup == lost.Accelerator || e.Device.Id == lost.Accelerator).ToList())
                catalog = catalog.WithEntry(entry with { Device = constant.Set(entry.Device, null) });
        }
        return catalog.Apply(values.Where(v => v.Framework is null), replaced);
    }

    /// <summary>The catalog with the given constant values on every accelerator of each value's group (provenance from the fit).</summary>
    internal SimulatorCatalog Apply(IEnumerable<CalibrationValue> values, CalibrationFit fit)
    {
        var catalog = this;
        foreach (var v in values)
        {
            var constant = CalibratedConstant.All.First(c => c.Name == v.Constant);
            // Derived: computed from published measurements by the procedure the source states;
            // its band (what single rows want) is the constant's range, so estimates carry it.
            var sourced = new Sourced(v.Value, fit.SourceFor(v), Confidence.Derived, v.Low, v.High);
            foreach (var entry in catalog.accelerators.Where(e => e.CalibrationGroup == v.Accelerator || e.Device.Id == v.Accelerator).ToList())
                catalog = catalog.WithEntry(entry with { Device = constant.Set(entry.Device, sourced) });
        }
        return catalog;
    }

    /// <summary>A catalog model by id (case-insensitive), or an inline architecture such as <c>layers=48,hidden=6144,heads=64,vocab=51200</c>.</summary>
    public ModelSpec FindModel(string idOrInline)
    {
        if (InlineModel.Looks(idOrInline)) return InlineModel.Parse(idOrInline);
        return modelById.TryGetValue(CatalogIds.Normalize(idOrInline), out var m)
            ? m
            : throw CatalogLookupException.For("model", idOrInline, modelById.Keys, "wafer catalog models");
    }

    /// <summary>
    /// A system by id, or a bare accelerator id or alias (<c>h100</c>, <c>b200</c>, <c>mi300x</c>)
    /// standing for that accelerator's default system (its "default_system" in accelerators.json).
    /// </summary>
    public SystemSpec FindSystem(string id)
    {
        var key = CatalogIds.Normalize(id);
        if (systemById.TryGetValue(key, out var s)) return s;
        if (DefaultSystemFor(key) is { } d) return d;
        var known = systemById.Keys.Concat(acceleratorByIdOrAlias.Where(kv => kv.Value.DefaultSystem is not null).Select(kv => kv.Key));
        throw CatalogLookupException.For("system", id, known, "wafer catalog systems");
    }

    /// <summary>An accelerator by id or alias (case-insensitive).</summary>
    public Accelerator FindAccelerator(string id) =>
        acceleratorByIdOrAlias.TryGetValue(CatalogIds.Normalize(id), out var e)
            ? e.Device
            : throw CatalogLookupException.For("accelerator", id, acceleratorByIdOrAlias.Keys, "wafer catalog accelerators");

    /// <summary>The system a bare accelerator id stands for, or null if the id is unknown or has no default.</summary>
    public SystemSpec? DefaultSystemFor(string acceleratorIdOrAlias) =>
        acceleratorByIdOrAlias.TryGetValue(CatalogIds.Normalize(acceleratorIdOrAlias), out var e)
        && e.DefaultSystem is { } sid && systemById.TryGetValue(sid, out var s) ? s : null;

    /// <summary>Other ids that name the accelerator (e.g. "h100" for "h100-sxm").</summary>
    public IReadOnlyList<string> AliasesOf(string acceleratorId) =>
        acceleratorByIdOrAlias.TryGetValue(CatalogIds.Normalize(acceleratorId), out var e) ? e.Aliases : [];

    /// <summary>The accelerator's default rental price per device-hour, used by systems that give none.</summary>
    public Sourced? DefaultPricePerHour(string acceleratorId) =>
        acceleratorByIdOrAlias.TryGetValue(CatalogIds.Normalize(acceleratorId), out var e) ? e.PricePerHour : null;

    /// <summary>Adds the model, or replaces the one with the same id.</summary>
    public SimulatorCatalog With(ModelSpec model)
    {
        CatalogIds.Check(model.Id, "model", "SimulatorCatalog.With");
        if (ModelShape.Problem(model) is { } problem) throw new WaferInputException($"Model '{model.Id}': {problem}.");
        return new(accelerators, systems, Upsert(models, model, m => m.Id), calibrations);
    }

    /// <summary>Adds the system, or replaces the one with the same id. A GPU cluster's accelerator is added too if the catalog lacks it.</summary>
    public SimulatorCatalog With(SystemSpec system)
    {
        CatalogIds.Check(system.Id, "system", "SimulatorCatalog.With");
        var withDevice = system is GpuCluster g && !acceleratorByIdOrAlias.ContainsKey(g.Device.Id) ? With(g.Device) : this;
        return new(withDevice.accelerators, Upsert(withDevice.systems, system, s => s.Id), withDevice.models, withDevice.calibrations);
    }

    /// <summary>
    /// Adds the accelerator, or replaces the one with the same id; systems built from the replaced
    /// accelerator then use the new one (so overriding "h100-sxm" changes every H100 system).
    /// </summary>
    public SimulatorCatalog With(Accelerator accelerator)
    {
        CatalogIds.Check(accelerator.Id, "accelerator", "SimulatorCatalog.With");
        var old = accelerators.FirstOrDefault(e => e.Device.Id == accelerator.Id);
        return WithEntry(old is null ? new AcceleratorEntry(accelerator, [], null, null, accelerator.Id) : old with { Device = accelerator });
    }

    /// <summary>Adds or replaces the entries of a user catalog file (same schema as the embedded files).</summary>
    public SimulatorCatalog ExtendFromJson(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new WaferInputException($"Cannot read catalog file '{path}': {e.Message}", e);
        }
        return ExtendFromJsonText(text, path);
    }

    /// <summary>Adds or replaces the entries of catalog JSON given as text; <paramref name="sourceName"/> names it in messages.</summary>
    public SimulatorCatalog ExtendFromJsonText(string json, string sourceName = "catalog JSON") =>
        Extend([(sourceName, CatalogJson.ParseFile(json, sourceName))]);

    private static SimulatorCatalog LoadEmbedded()
    {
        var assembly = typeof(SimulatorCatalog).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (n, CatalogJson.ParseFile(reader.ReadToEnd(), n));
            })
            .ToList();
        return Empty.Extend(files);
    }

    // Accelerators of every file first, then calibrations of them, then systems (which reference accelerators by id), then models.
    private SimulatorCatalog Extend(IReadOnlyList<(string Name, CatalogFileDto File)> files)
    {
        var catalog = this;
        var added = new List<(string File, AcceleratorEntry Entry)>();
        foreach (var (name, file) in files)
        {
            var seen = new HashSet<string>();
            foreach (var dto in file.Accelerators ?? [])
            {
                var entry = CatalogJson.ToAccelerator(dto, name);
                if (!seen.Add(entry.Device.Id)) throw new WaferInputException($"Catalog file '{name}': accelerator '{entry.Device.Id}' is defined twice.");
                catalog = catalog.WithEntry(entry);
                added.Add((name, entry));
            }
        }
        foreach (var (name, file) in files)
            foreach (var fit in file.Calibrations ?? [])
                catalog = catalog.WithCalibration(fit, name);
        foreach (var (name, file) in files)
        {
            var seen = new HashSet<string>();
            var current = catalog;
            var ctx = new SystemJsonContext(name, (acceleratorId, systemId) => current.acceleratorByIdOrAlias.TryGetValue(CatalogIds.Normalize(acceleratorId), out var e)
                ? e
                : throw new WaferInputException($"Catalog file '{name}': system '{systemId}' uses accelerator '{acceleratorId}', which is not in the catalog."
                    + Suggest(acceleratorId, current.acceleratorByIdOrAlias.Keys)));
            foreach (var element in file.Systems ?? [])
            {
                var system = CatalogJson.ToSystem(element, ctx);
                if (!seen.Add(system.Id)) throw new WaferInputException($"Catalog file '{name}': system '{system.Id}' is defined twice.");
                catalog = catalog.With(system);
            }
        }
        foreach (var (name, file) in files)
        {
            var seen = new HashSet<string>();
            foreach (var dto in file.Models ?? [])
            {
                var model = CatalogJson.ToModel(dto, name);
                if (!seen.Add(model.Id)) throw new WaferInputException($"Catalog file '{name}': model '{model.Id}' is defined twice.");
                catalog = catalog.With(model);
            }
        }
        foreach (var (name, entry) in added)
        {
            if (entry.DefaultSystem is { } sid && !catalog.systemById.ContainsKey(sid))
                throw new WaferInputException($"Catalog file '{name}': accelerator '{entry.Device.Id}' has default_system '{sid}', which is not in the catalog."
                    + Suggest(sid, catalog.systemById.Keys));
            foreach (var alias in entry.Aliases)
                if (catalog.acceleratorByIdOrAlias[alias] != catalog.acceleratorByIdOrAlias[entry.Device.Id])
                    throw new WaferInputException($"Catalog file '{name}': alias '{alias}' of accelerator '{entry.Device.Id}' is already the id or alias of another accelerator.");
        }
        return catalog;
    }

    private SimulatorCatalog WithEntry(AcceleratorEntry entry)
    {
        var id = entry.Device.Id;
        var rebound = systems.Select(s => s is GpuCluster g && g.Device.Id == id ? g with { Device = entry.Device } : s).ToImmutableList();
        return new(Upsert(accelerators, entry, e => e.Device.Id), rebound, models, calibrations);
    }

    private static ImmutableList<T> Upsert<T>(ImmutableList<T> list, T item, Func<T, string> id)
    {
        var index = list.FindIndex(x => id(x) == id(item));
        return index < 0 ? list.Add(item) : list.SetItem(index, item);
    }

    private static string Suggest(string typed, IEnumerable<string> known) =>
        CloseMatches.Find(typed, known) is { Count: > 0 } close ? $" Did you mean: {string.Join(", ", close)}?" : "";
}
