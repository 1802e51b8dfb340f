using LLMDistill.Model;

namespace LLMDistill.Evaluation.TeacherForced;

/// <summary>A model with the name the metrics carry (e.g. "student", "shakespeare-4m").</summary>
/// <param name="Name">Unique name.</param>
/// <param name="Model">The model, on the device of the evaluation; the caller keeps ownership.</param>
public sealed record NamedModel(string Name, LlamaForCausalLM Model);
