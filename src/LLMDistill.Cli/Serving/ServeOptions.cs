using System.ComponentModel.DataAnnotations;
using LLMDistill.Inference;
using LLMDistill.Model;
using LLMDistill.Tokenization;

namespace LLMDistill.Cli.Serving;

/// <summary>
/// The <c>Serve</c> section of appsettings.json: <c>llmdistill serve</c>'s model, address and batching. Command-line
/// options override it. The API key is not here: it comes from <c>--api-key</c> or <c>LLMDISTILL_SERVE_API_KEY</c>.
/// </summary>
public sealed class ServeOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Serve";

    /// <summary>The model: a Hugging Face model directory or <c>hf:org/name[@revision]</c>.</summary>
    public string? Model { get; set; }

    /// <summary>The name clients use in <c>model</c> (and <c>/v1/models</c> lists); empty = the directory's (or repository's) name.</summary>
    public string? ModelName { get; set; }

    /// <summary>The address to listen on: an IP address or <c>localhost</c>.</summary>
    /// <value>Default <c>127.0.0.1</c> (loopback only: expose it deliberately, with an API key).</value>
    [Required]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one (printed at start).</summary>
    /// <value>Default 8000.</value>
    [Range(0, 65535)]
    public int Port { get; set; } = 8000;

    /// <summary>Device: <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <value>Default <c>auto</c>.</value>
    [Required]
    [RegularExpression(DeviceResolver.SettingPattern, ErrorMessage = DeviceResolver.SettingError)]
    public string Device { get; set; } = "auto";

    /// <summary>Weight dtype: <c>float32</c>, <c>bfloat16</c> or <c>float16</c>.</summary>
    /// <value>Default <c>float32</c>.</value>
    [Required]
    [RegularExpression(ModelDtypes.SettingPattern, ErrorMessage = ModelDtypes.SettingError)]
    public string Dtype { get; set; } = "float32";

    /// <summary>Most sequences decoded together (concurrent requests times their choices).</summary>
    /// <value>Default 64.</value>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary><c>continuous</c> (requests join the running batch between decoding steps) or <c>dynamic</c> (collect for a window, then run together).</summary>
    /// <value>Default <c>continuous</c>.</value>
    [EnumDataType(typeof(BatchingMode))]
    public BatchingMode Batching { get; set; } = BatchingMode.Continuous;

    /// <summary>Dynamic batching: milliseconds the first waiting request waits for others.</summary>
    /// <value>Default 10.</value>
    [Range(0, 10_000)]
    public double BatchWindowMilliseconds { get; set; } = 10;

    /// <summary>Most sequences waiting for a batch slot; beyond it requests get 503 with Retry-After.</summary>
    /// <value>Default 4096.</value>
    [Range(1, 1_000_000)]
    public int MaxQueuedRows { get; set; } = 4096;

    /// <summary>Chat template: <c>auto</c> (the model's own; the Plain template when it has none), <c>chatml</c>, <c>llama3</c> or <c>plain</c>.</summary>
    /// <value>Default <c>auto</c>.</value>
    [EnumDataType(typeof(ChatTemplateKind))]
    public ChatTemplateKind ChatTemplate { get; set; } = ChatTemplateKind.Auto;

    /// <summary>Largest <c>top_logprobs</c> (chat) and <c>logprobs</c> (completions) accepted.</summary>
    /// <value>Default 20 (OpenAI's limit).</value>
    [Range(0, 1000)]
    public int MaxTopLogprobs { get; set; } = 20;

    /// <summary>Seconds that running requests get to finish on shutdown (Ctrl+C) before they are cancelled.</summary>
    /// <value>Default 1.5 (a second Ctrl+C ends the process at once).</value>
    [Range(0, 3600)]
    public double ShutdownSeconds { get; set; } = 1.5;

    /// <summary>The scheduler settings these options describe.</summary>
    public SchedulerOptions ToSchedulerOptions() => new(MaxBatchSize, Batching, TimeSpan.FromMilliseconds(BatchWindowMilliseconds), MaxQueuedRows);
}
