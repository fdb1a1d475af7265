using WaferNotebooks.Core.Results;

namespace WaferNotebooks.Core.Uncertainty;

/// <summary>
/// A nominal value with its range, as every front end should print it: "108 days (77–360)".
/// Uncertain results are shown with their range instead of false precision.
/// </summary>
public static class RangeText
{
    /// <summary>Formats with three significant figures, the precision the inputs justify.</summary>
    public static string Format(double nominal, MetricRange? range, string unit = "")
    {
        string suffix = unit.Length > 0 ? " " + unit : "";
        string n = Number(nominal);
        if (range is null || (Number(range.Low) == n && Number(range.High) == n))
            return n + suffix;
        return $"{n}{suffix} ({Number(range.Low)}–{Number(range.High)})";
    }

    public static string Days(Estimate e) => Format(e.TimeToTrainDays, e.Ranges?.TimeToTrainDays, "days");

    public static string Mwh(Estimate e) => Format(e.EnergyMwh, e.Ranges?.EnergyMwh, "MWh");

    /// <summary>
    /// How far the user's open choices move a metric, apart from the model's range:
    /// "by choice of PUE, grid carbon intensity: 6.1–86", or null when no open choice moves it.
    /// </summary>
    public static string? Choices(ChoiceRange? choice, Func<double, string>? number = null)
    {
        if (choice is not { Moves: true }) return null;
        number ??= Number;
        return $"by choice of {string.Join(", ", choice.Inputs)}: {number(choice.Low)}–{number(choice.High)}";
    }

    /// <summary><paramref name="text"/> followed by the choices' range, "; by choice of …", when there is one.</summary>
    public static string WithChoices(string text, ChoiceRange? choice, Func<double, string>? number = null) =>
        Choices(choice, number) is { } c ? $"{text}; {c}" : text;

    static string Number(double x) => SignificantFigures.Three(x);
}
