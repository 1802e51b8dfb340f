using System.ComponentModel.DataAnnotations;
using LLMDistill.Inference;
using LLMDistill.Model;
using LLMDistill.Tokenization;

namespace LLMDistill.Teachers;

/// <summary>
/// The keys of a <c>Teachers:&lt;name&gt;</c> section of kind <c>local</c> beyond <see cref="TeacherOptions"/>:
/// where the model is and how it runs. <c>Model</c> is shared with <see cref="TeacherOptions.Model"/>.
/// </summary>
public sealed class LocalTeacherOptions
{
    /// <summary>A Hugging Face model directory (relative to the working directory) or <c>hf:org/name[@revision]</c> (pulled into the Hub cache when missing).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Model { get; set; } = "";

    /// <summary>Device: <c>auto</c> (CUDA when available), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <value>Default <c>auto</c>.</value>
    [Required]
    [RegularExpression(DeviceResolver.SettingPattern, ErrorMessage = DeviceResolver.SettingError)]
    public string Device { get; set; } = "auto";

    /// <summary>Weight dtype (<c>DType</c> in configuration also binds): <c>float32</c>, <c>bfloat16</c> or <c>float16</c>.</summary>
    /// <value>Default <c>float32</c>.</value>
    [Required]
    [RegularExpression(ModelDtypes.SettingPattern, ErrorMessage = ModelDtypes.SettingError)]
    public string Dtype { get; set; } = "float32";

    /// <summary>Most sequences decoded together (concurrent requests times their choices).</summary>
    /// <value>Default 64.</value>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>Chat template: <c>auto</c> (the model's own; the Plain template when it has none), <c>chatml</c>, <c>llama3</c> or <c>plain</c>.</summary>
    /// <value>Default <c>auto</c>.</value>
    [EnumDataType(typeof(ChatTemplateKind))]
    public ChatTemplateKind ChatTemplate { get; set; } = ChatTemplateKind.Auto;

    /// <summary>How concurrent requests share forward passes: <c>continuous</c> (join between decoding steps) or <c>dynamic</c> (collect for a window, then run together).</summary>
    /// <value>Default <c>continuous</c>.</value>
    [EnumDataType(typeof(BatchingMode))]
    public BatchingMode Batching { get; set; } = BatchingMode.Continuous;

    /// <summary>Dynamic batching: milliseconds the first waiting request waits for others.</summary>
    /// <value>Default 10.</value>
    [Range(0, 10_000)]
    public double BatchWindowMilliseconds { get; set; } = 10;

    /// <summary>Most sequences waiting for a batch slot; beyond it requests fail fast (transient, retried).</summary>
    /// <value>Default 4096.</value>
    [Range(1, 1_000_000)]
    public int MaxQueuedRows { get; set; } = 4096;

    /// <summary>The scheduler settings these options describe.</summary>
    public SchedulerOptions ToSchedulerOptions() => new(MaxBatchSize, Batching, TimeSpan.FromMilliseconds(BatchWindowMilliseconds), MaxQueuedRows);
}
