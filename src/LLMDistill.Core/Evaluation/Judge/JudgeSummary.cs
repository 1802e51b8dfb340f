namespace LLMDistill.Evaluation.Judge;

/// <summary>Win/tie/loss of the student against the teacher's answers, judged by a teacher in both orders.</summary>
/// <param name="Judge">The judging teacher's name.</param>
/// <param name="Student">The student's name.</param>
/// <param name="Teacher">Whose answers the student was compared with.</param>
/// <param name="Pairs">Pairs submitted.</param>
/// <param name="Wins">Pairs the student won.</param>
/// <param name="Ties">Pairs tied (including orderings that disagree).</param>
/// <param name="Losses">Pairs the student lost.</param>
/// <param name="Unjudged">Pairs without a usable verdict in both orders; left out of the rates.</param>
/// <param name="WinRate">Wins over judged pairs, in [0, 1].</param>
/// <param name="TieRate">Ties over judged pairs.</param>
/// <param name="LossRate">Losses over judged pairs.</param>
/// <param name="Score">(Wins + ½·Ties) / judged pairs: 0.5 means as good as the teacher.</param>
/// <param name="PositionConsistency">Fraction of judged pairs whose two orderings gave the same result.</param>
/// <param name="FirstPositionPreference">Fraction of decisive single verdicts that chose answer A (0.5 = no position bias).</param>
/// <param name="Results">Per-pair verdicts, in input order.</param>
public sealed record JudgeSummary(
    string Judge,
    string Student,
    string Teacher,
    int Pairs,
    int Wins,
    int Ties,
    int Losses,
    int Unjudged,
    double WinRate,
    double TieRate,
    double LossRate,
    double Score,
    double PositionConsistency,
    double FirstPositionPreference,
    IReadOnlyList<JudgedPair> Results);
