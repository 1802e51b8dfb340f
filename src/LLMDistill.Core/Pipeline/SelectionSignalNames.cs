namespace LLMDistill.Pipeline;

/// <summary>How a <see cref="SelectionSignal"/> is named in reports and findings.</summary>
public static class SelectionSignalNames
{
    /// <summary>The signal that ranks the samples, lower case (<c>combined</c> for both combined selections, <c>none</c> for <see cref="SelectionSignal.Diverse"/>).</summary>
    public static string Score(this SelectionSignal signal) => signal switch
    {
        SelectionSignal.DiverseCombined => "combined",
        SelectionSignal.Diverse => "none",
        _ => signal.ToString().ToLowerInvariant(),
    };

    /// <summary>The subset in a phrase: "highest-combined", "diverse highest-combined" or "diverse (coverage)".</summary>
    public static string Subset(this SelectionSignal signal) => signal switch
    {
        SelectionSignal.DiverseCombined => $"diverse highest-{signal.Score()}",
        SelectionSignal.Diverse => "diverse (coverage)",
        _ => $"highest-{signal.Score()}",
    };

    /// <summary>How the subset was chosen, for the table of subsets.</summary>
    public static string Rule(this SelectionSignal signal) => signal switch
    {
        SelectionSignal.DiverseCombined => $"highest {signal.Score()} first, each far enough from those chosen",
        SelectionSignal.Diverse => "seeded random order, each far enough from those chosen",
        _ => $"highest {signal.Score()} first",
    };

    /// <summary>Whether the selection keeps a distance between chosen samples (<c>Run:Diversity</c>).</summary>
    public static bool IsDiverse(this SelectionSignal signal) => signal is SelectionSignal.DiverseCombined or SelectionSignal.Diverse;
}
