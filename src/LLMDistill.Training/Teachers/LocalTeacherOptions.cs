using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Teachers;

/// <summary>
/// The keys of a <c>Teachers:&lt;name&gt;</c> section of kind <c>local</c> beyond <see cref="TeacherOptions"/>:
/// where the model is and how it runs. <c>Model</c> is shared with <see cref="TeacherOptions.Model"/>.
/// </summary>
public sealed class LocalTeacherOptions : LocalModelSettings
{
    /// <summary>A Hugging Face model directory (relative to the working directory) or <c>hf:org/name[@revision]</c> (pulled into the Hub cache when missing).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Model { get; set; } = "";
}
