using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Commands;

/// <summary>
/// Turns raw option values (option name → the strings given for it, as both front ends collect
/// them) into a typed, checked <see cref="CommandRequest"/>: the user's catalog files are applied,
/// then the subcommand's unit reads its options (<see cref="RequestArgs"/>). Names may be given
/// with or without their leading dashes; a flag is on when present with no value or with "true".
/// </summary>
/// <param name="catalog">The catalog ids are looked up in, before user files.</param>
/// <param name="environmentCatalogs">
/// Catalog files applied under every --catalog, as <see cref="UserCatalogs.EnvironmentVariable"/> lists them; null for none.
/// </param>
public sealed class RequestParser(SimulatorCatalog catalog, string? environmentCatalogs = null)
{
    /// <summary>
    /// The built-in catalog and the files in <see cref="UserCatalogs.EnvironmentVariable"/>, read
    /// on each call so that a notebook session may set the variable at any time.
    /// </summary>
    public static RequestParser Default => new(SimulatorCatalog.Default, Environment.GetEnvironmentVariable(UserCatalogs.EnvironmentVariable));

    public SimulatorCatalog Catalog => catalog;

    /// <summary>
    /// Parses one subcommand. The request carries the catalog its ids were found in (the base
    /// catalog with any user files), so the executor lists and validates against the same one.
    /// </summary>
    public CommandRequest Parse(string subcommand, IReadOnlyDictionary<string, IReadOnlyList<string>> values)
    {
        var spec = CommandGrammar.Find(subcommand);
        var raw = new RequestArgs(spec, values, catalog);
        var extended = UserCatalogs.Apply(catalog, environmentCatalogs, raw.Many(CommandGrammar.UserCatalog));
        // --framework also picks the constants fitted for that framework or its software family (wafer
        // calibrate --by accelerator+framework or accelerator+family), as validation applies them to a row of that framework.
        // Without it a job is costed as today's mainstream stack, Megatron-Core (the estimator's own profile), so it takes
        // the Megatron family's fitted constants.
        if (spec.Options.Contains(CommandGrammar.Framework))
            extended = extended.ForFramework(raw.One(CommandGrammar.Framework) is { } framework
                ? ValueParsers.ParseFramework(CommandGrammar.Framework.Name, framework).Framework.Name
                : Gpu.TrainingFramework.Mainstream(null).Name);
        var args = new RequestArgs(spec, values, extended);
        var request = Subcommands.For(spec).Parse(args) with { Output = args.Output(), Catalog = extended };
        return request is JobRequest job
            ? job with { SoftwareWithoutMoeDispatch = args.SoftwareWithoutMoeDispatch, SystemKindOptions = args.SystemKindOptions() }
            : request;
    }
}
