namespace LLMDistill.Generation.Pipeline;

/// <summary>Names of the counts in progress reports and <c>manifest.json</c>.</summary>
internal static class CounterNames
{
    public const string Seeds = "seeds";
    public const string SeedErrors = "seedErrors";
    public const string ExpansionRequests = "expansionRequests";
    public const string ExpansionReplayed = "expansionReplayed";
    public const string ExpansionErrors = "expansionErrors";
    public const string Rounds = "rounds";
    public const string Generated = "generated";
    public const string Deduplicated = "deduplicated";
    public const string Admitted = "admitted";
    public const string Answered = "answered";
    public const string AnswerFailures = "answerFailures";
    public const string Judged = "judged";
    public const string Scored = "scored";
    public const string Kept = "kept";
    public const string Rejected = "rejected";
    public const string Candidates = "candidates";
    public const string Resumed = "resumed";
}
