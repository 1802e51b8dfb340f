namespace LLMDistill.Pipeline;

/// <summary>How a <see cref="SelectionSignal"/> is named in reports and findings.</summary>
public static class SelectionSignalNames
{
    /// <summary>The signal that ranks the samples, lower case (<c>combined</c> for both combined selections).</summary>
    public static string Score(this SelectionSignal signal) => signal switch
    {
        SelectionSignal.DiverseCombined => "combined",
        _ => signal.ToString().ToLowerInvariant(),
    };

    /// <summary>The subset in a phrase: "highest-combined", or "diverse highest-combined" with the distance constraint.</summary>
    public static string Subset(this SelectionSignal signal)
        => signal == SelectionSignal.DiverseCombined ? $"diverse highest-{signal.Score()}" : $"highest-{signal.Score()}";

    /// <summary>How the subset was chosen, for the table of subsets.</summary>
    public static string Rule(this SelectionSignal signal)
        => signal == SelectionSignal.DiverseCombined ? $"highest {signal.Score()} first, each far enough from those chosen" : $"highest {signal.Score()} first";
}
