using System.Globalization;

namespace LLMDistill.Evaluation.Report;

/// <summary>Number formatting of the report (invariant culture; "–" for missing values).</summary>
internal static class Fmt
{
    public const string Missing = "–";

    public static string Num(double? value, int decimals = 3)
        => value is { } v && double.IsFinite(v) ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : Missing;

    public static string Pct(double? value, int decimals = 1)
        => value is { } v && double.IsFinite(v) ? (v * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%" : Missing;

    public static string Int(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : Missing;

    public static string Params(long? value) => value switch
    {
        null => Missing,
        >= 1_000_000_000 => (value.Value / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "B",
        >= 1_000_000 => (value.Value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (value.Value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "K",
        _ => value.Value.ToString(CultureInfo.InvariantCulture),
    };

    public static string Bytes(long? value) => value switch
    {
        null => Missing,
        >= 1L << 30 => (value.Value / (double)(1L << 30)).ToString("0.##", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (value.Value / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        _ => (value.Value / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
    };

    public static string Cell(double? value, ComparisonColumn column)
        => column.Percent ? Pct(value, Math.Max(0, column.Decimals - 2)) : Num(value, column.Decimals);
}
