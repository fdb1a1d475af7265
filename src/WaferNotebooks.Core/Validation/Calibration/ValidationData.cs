namespace WaferNotebooks.Core.Validation.Calibration;

/// <summary>One case of a data file, with the file it came from (as given) and the framework it ran with.</summary>
public sealed record DataRow(ValidationCase Case, string File, string Framework);

/// <summary>
/// The cases of one data file: a CSV in the schema of data/validation/README.md, or a vTrain
/// ground-truth table (recognised by its "iteration time (ms)" column, <see cref="VTrainData"/>;
/// ids are the file name and the line). Malformed rows of a schema CSV are kept as skipped rows.
/// </summary>
public sealed record ValidationData(string File, IReadOnlyList<DataRow> Rows, IReadOnlyList<ValidationRow> Malformed)
{
    /// <summary>What <see cref="FrameworkOf"/> returns for a row that does not say.</summary>
    public const string UnknownFramework = "unknown";

    public string Name => Path.GetFileName(File);

    public static ValidationData Load(string path, string givenBy)
    {
        string text;
        try { text = System.IO.File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new WaferInputException($"{givenBy} '{path}': {e.Message}", e);
        }
        IReadOnlyList<CsvRecord> records;
        try { records = CsvReader.Parse(text); }
        catch (FormatException e) { throw new WaferInputException($"{givenBy} '{path}': {e.Message}", e); }
        var header = records.Count > 0 ? records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList() : [];
        if (header.Contains("iteration time (ms)"))
        {
            try
            {
                var vtrain = VTrainData.Load(path, Path.GetFileNameWithoutExtension(path));
                return new ValidationData(path, [.. vtrain.Select(c => new DataRow(c, path, UnknownFramework))], []);
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException)
            {
                throw new WaferInputException($"{givenBy} '{path}': not a vTrain ground-truth table: {e.Message}", e);
            }
        }
        var (cases, malformed) = ValidationRun.Parse(text, Path.GetFileName(path));
        return new ValidationData(path, [.. cases.Select(c => new DataRow(c, path, FrameworkOf(c)))], malformed);
    }

    /// <summary>
    /// The framework a row ran with: its <c>framework</c> column resolved to the profile's name
    /// (aliases such as gpt-neox are deepspeed), else <see cref="UnknownFramework"/>.
    /// The one place that decides it for calibration.
    /// </summary>
    public static string FrameworkOf(ValidationCase c) => c.Inputs.Framework?.Name ?? UnknownFramework;
}
