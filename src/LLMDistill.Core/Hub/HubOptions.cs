using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Hub;

/// <summary>
/// The <c>Hub</c> section of appsettings.json: where Hugging Face models are downloaded from and cached, which
/// files a model directory needs, and how patient the downloader is. Environment variables of
/// <c>huggingface_hub</c> (<c>HF_ENDPOINT</c>, <c>HF_HUB_CACHE</c>, <c>HF_HOME</c>, <c>HF_TOKEN</c>,
/// <c>HF_HUB_OFFLINE</c>) apply where a setting here is left empty; the token is never a setting.
/// </summary>
public sealed class HubOptions : IValidatableObject
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Hub";

    /// <summary>The public Hugging Face Hub, used when neither <see cref="Endpoint"/> nor <c>HF_ENDPOINT</c> is set.</summary>
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>
    /// The files a model directory needs (config, weights as safetensors, tokenizer); pickled <c>*.bin</c>/<c>*.pt</c>,
    /// ONNX and GGUF files are left out unless included explicitly. Patterns follow Python's <c>fnmatch</c>, as in
    /// <c>huggingface_hub</c>'s <c>allow_patterns</c>.
    /// </summary>
    public static IReadOnlyList<string> DefaultAllowPatterns { get; } =
    [
        "config.json",
        "generation_config.json",
        "*.safetensors",
        "model.safetensors.index.json",
        "tokenizer.json",
        "tokenizer.model",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "chat_template.jinja",
    ];

    /// <summary>The Hub's base URL.</summary>
    /// <value>Empty: <c>HF_ENDPOINT</c>, else <see cref="DefaultEndpoint"/>.</value>
    public string? Endpoint { get; set; }

    /// <summary>The cache root that holds <c>models--org--name</c> folders, shared with Python tools.</summary>
    /// <value>Empty: <c>HF_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>, else <c>~/.cache/huggingface/hub</c>.</value>
    public string? CacheDir { get; set; }

    /// <summary>Which repository files <c>pull</c> downloads; <c>--include</c> adds to them.</summary>
    /// <value>Empty: <see cref="DefaultAllowPatterns"/>.</value>
    public IReadOnlyList<string>? AllowPatterns { get; set; }

    /// <summary>How many files download at once.</summary>
    /// <value>4.</value>
    [Range(1, 32)]
    public int MaxConcurrentDownloads { get; set; } = 4;

    /// <summary>Time allowed for an API call, or for a download's response headers, before the attempt counts as failed.</summary>
    /// <value>30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time a download may go without receiving a byte before the attempt counts as failed (and is resumed).</summary>
    /// <value>60 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time allowed to open a TCP/TLS connection.</summary>
    /// <value>15 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Retries after a 408/429/5xx answer, a timeout or a dropped connection (downloads resume where they stopped).</summary>
    /// <value>4.</value>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter. A <c>Retry-After</c> header wins.</summary>
    /// <value>1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Link snapshot files to their blob with relative symlinks, as <c>huggingface_hub</c> does; false (or a file system
    /// without symlinks) copies the blob instead, which doubles the disk use.
    /// </summary>
    /// <value>true.</value>
    public bool UseSymlinks { get; set; } = true;

    /// <summary>The patterns in effect: <see cref="AllowPatterns"/> or the defaults, plus <paramref name="include"/>.</summary>
    /// <param name="include">Extra patterns (from <c>--include</c>), or null.</param>
    /// <returns>The distinct patterns.</returns>
    public IReadOnlyList<string> EffectiveAllowPatterns(IEnumerable<string>? include = null)
    {
        var basePatterns = AllowPatterns is { Count: > 0 } configured ? configured : DefaultAllowPatterns;
        return basePatterns.Concat(include ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Endpoint) && !HubEndpoint.TryParse(Endpoint, out _))
        {
            yield return new ValidationResult($"must be an absolute http(s) URL such as {DefaultEndpoint} (got '{Endpoint}')", [nameof(Endpoint)]);
        }
    }
}
