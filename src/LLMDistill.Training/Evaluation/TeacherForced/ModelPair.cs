namespace LLMDistill.Evaluation.TeacherForced;

/// <summary>A pair of models to compare position by position, as indices into the model list.</summary>
/// <param name="Reference">P, usually a teacher.</param>
/// <param name="Compared">Q, usually the student (or another teacher).</param>
public readonly record struct ModelPair(int Reference, int Compared);
