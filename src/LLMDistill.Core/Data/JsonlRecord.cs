namespace LLMDistill.Data;

/// <summary>One parsed line of a JSONL file.</summary>
/// <typeparam name="T">The row type.</typeparam>
/// <param name="LineNumber">1-based line number, for error messages (<c>file:line</c>).</param>
/// <param name="Value">The parsed row.</param>
public readonly record struct JsonlRecord<T>(int LineNumber, T Value);
