using System.ComponentModel.DataAnnotations;
using LLMDistill.Teachers;

namespace LLMDistill.Cli.Serving;

/// <summary>
/// The <c>Serve</c> section of appsettings.json: <c>llmdistill serve</c>'s model, address and batching. Command-line
/// options override it. The API key is not here: it comes from <c>--api-key</c> or <c>LLMDISTILL_SERVE_API_KEY</c>.
/// </summary>
public sealed class ServeOptions : LocalModelSettings
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

    /// <summary>Largest <c>top_logprobs</c> (chat) and <c>logprobs</c> (completions) accepted.</summary>
    /// <value>Default 20 (OpenAI's limit).</value>
    [Range(0, 1000)]
    public int MaxTopLogprobs { get; set; } = 20;

    /// <summary>Seconds that running requests get to finish on shutdown (Ctrl+C) before they are cancelled.</summary>
    /// <value>Default 1.5 (a second Ctrl+C ends the process at once).</value>
    [Range(0, 3600)]
    public double ShutdownSeconds { get; set; } = 1.5;
}
