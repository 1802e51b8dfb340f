using System.Text.Json.Serialization;

namespace LLMDistill.Evaluation.Report;

/// <summary>A metric column of a <see cref="ComparisonTable"/>.</summary>
/// <param name="Name">Header, e.g. "top-1 agreement".</param>
/// <param name="HigherIsBetter">true/false marks the best row in bold; null for neutral columns (e.g. length).</param>
/// <param name="Decimals">Digits after the decimal point.</param>
/// <param name="Percent">Show a [0, 1] value as a percentage.</param>
public sealed record ComparisonColumn(
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] bool? HigherIsBetter = true,
    int Decimals = 3,
    bool Percent = false);
