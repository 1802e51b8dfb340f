using System.ComponentModel.DataAnnotations;
using LLMDistill.Inference;
using LLMDistill.Tokenization;

namespace LLMDistill.Teachers;

/// <summary>
/// How an in-process model runs and shares its forward passes: the keys a local teacher (<c>Teachers:&lt;name&gt;</c>,
/// <see cref="LocalTeacherOptions"/>) and <c>llmdistill serve</c> (the <c>Serve</c> section) have in common.
/// </summary>
public abstract class LocalModelSettings : ModelRuntimeOptions
{
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

    /// <summary>
    /// Most sequences waiting for a batch slot; beyond it requests are refused at once (<c>serve</c>: 503 with
    /// Retry-After; a local teacher: a transient error, retried).
    /// </summary>
    /// <value>Default 4096.</value>
    [Range(1, 1_000_000)]
    public int MaxQueuedRows { get; set; } = 4096;

    /// <summary>The scheduler settings these options describe.</summary>
    public SchedulerOptions ToSchedulerOptions() => new(MaxBatchSize, Batching, TimeSpan.FromMilliseconds(BatchWindowMilliseconds), MaxQueuedRows);
}
