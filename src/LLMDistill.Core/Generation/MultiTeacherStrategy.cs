namespace LLMDistill.Generation;

/// <summary>How a multi-teacher run picks the answer of a sample.</summary>
public enum MultiTeacherStrategy
{
    /// <summary>The answer with the best combined teaching-value score (ties: earlier teacher in <c>AnswerTeachers</c>).</summary>
    Best,

    /// <summary>Majority answer after normalisation, for short answers (classification, extraction, arithmetic); longer answers fall back to Best.</summary>
    Consensus,

    /// <summary>The first teacher's answer is the sample; every other answer is kept with its provenance.</summary>
    All,
}
