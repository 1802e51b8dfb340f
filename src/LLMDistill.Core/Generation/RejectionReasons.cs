namespace LLMDistill.Generation;

/// <summary>Stable reason codes written to <c>rejected.jsonl</c> and counted in the manifest.</summary>
public static class RejectionReasons
{
    /// <summary>Task shorter than <c>Expand:MinTaskChars</c> or fewer than three words.</summary>
    public const string TaskTooShort = "task:too-short";

    /// <summary>Task longer than <c>Expand:MaxTaskChars</c>.</summary>
    public const string TaskTooLong = "task:too-long";

    /// <summary>The "task" reads like an answer or a preamble (Sure, Here is, Answer:, ...).</summary>
    public const string TaskLooksLikeAnswer = "task:looks-like-answer";

    /// <summary>The task needs images, files, audio, browsing or other non-text abilities.</summary>
    public const string TaskNeedsNonText = "task:needs-non-text";

    /// <summary>The task starts with punctuation or has no letters.</summary>
    public const string TaskMalformed = "task:malformed";

    /// <summary>Same normalised text as a kept task.</summary>
    public const string DuplicateExact = "dedupe:exact";

    /// <summary>ROUGE-L with a kept task at or above the threshold.</summary>
    public const string DuplicateNear = "dedupe:near";

    /// <summary>A non-fatal teacher error while expanding (the request's tasks are lost, the run goes on).</summary>
    public const string ExpandTeacherError = "expand:teacher-error";

    /// <summary>Every answer teacher failed with a non-fatal error.</summary>
    public const string AnswerTeacherError = "answer:teacher-error";

    /// <summary>The teacher answered with nothing usable.</summary>
    public const string AnswerEmpty = "answer:empty";

    /// <summary>The provider's content filter stopped the answer.</summary>
    public const string AnswerContentFilter = "answer:content-filter";

    /// <summary>The judge failed (non-fatal teacher error).</summary>
    public const string JudgeError = "score:judge-error";

    /// <summary>The judge's reply held no score.</summary>
    public const string JudgeUnparseable = "score:judge-unparseable";

    /// <summary>The scoring teacher failed (non-fatal teacher error).</summary>
    public const string ScoringError = "score:scoring-error";

    /// <summary>Multi-teacher consensus found no majority.</summary>
    public const string NoConsensus = "multi:no-consensus";

    /// <summary>The teachers of a mixture tokenised the answer differently.</summary>
    public const string MixtureMismatch = "multi:tokenizer-mismatch";

    /// <summary>Combined score below <c>Filter:MinScore</c>.</summary>
    public const string BelowThreshold = "filter:below-threshold";

    /// <summary>Outside the top fraction of its window.</summary>
    public const string TopFraction = "filter:top-fraction";

    /// <summary>Its seed or category already filled its quota.</summary>
    public const string Quota = "filter:quota";

    /// <summary>The target was reached before this candidate was needed.</summary>
    public const string Surplus = "surplus";

    /// <summary>Merge: the same sample id is already in an earlier input.</summary>
    public const string MergeDuplicateId = "merge:duplicate-id";
}
