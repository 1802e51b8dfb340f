using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Identity;
using LLMDistill.Configuration;
using OpenAI;
using OpenAI.Chat;

namespace LLMDistill.Teachers.OpenAi;

/// <summary>
/// Creates teachers of kind <c>openai</c> (OpenAI or any OpenAI-compatible server, through the OpenAI SDK with a custom
/// endpoint) and <c>azure</c> (Azure OpenAI through Azure.AI.OpenAI: API key, or Entra ID via DefaultAzureCredential
/// when no key is set). The SDK's own retries are off, so that Polly's are the only ones.
/// </summary>
internal sealed class OpenAiTeacherProvider : ITeacherClientProvider
{
    /// <summary>The default OpenAI endpoint.</summary>
    public static readonly Uri OpenAIEndpoint = new("https://api.openai.com/v1");

    // Placeholder Bearer token for servers without authentication (vLLM, Ollama, LM Studio): the SDK requires one.
    private const string NoKey = "no-key";
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the provider for <paramref name="kind"/> (<see cref="TeacherKinds.OpenAI"/> or <see cref="TeacherKinds.Azure"/>).</summary>
    public OpenAiTeacherProvider(string kind, TimeProvider timeProvider)
    {
        if (kind is not (TeacherKinds.OpenAI or TeacherKinds.Azure))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "expected 'openai' or 'azure'");
        }

        Kind = kind;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public string Kind { get; }

    /// <summary>The endpoint shown in logs and folded into cache keys.</summary>
    public static Uri ResolveEndpoint(TeacherDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Options.Endpoint is { Length: > 0 } endpoint ? new Uri(endpoint) : OpenAIEndpoint;
    }

    /// <inheritdoc />
    public void Validate(TeacherDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var options = definition.Options;
        if (Kind == TeacherKinds.Azure)
        {
            Require(definition, options.Endpoint, "Endpoint", "the Azure OpenAI resource endpoint, e.g. https://myresource.openai.azure.com");
            Require(definition, options.Deployment ?? options.Model, "Deployment", "the Azure deployment name");
            _ = definition.GetApiKey(); // fails early when a named key variable is unset
        }
        else
        {
            Require(definition, options.Model, "Model", "the model name sent with each request");
            var key = definition.GetApiKey();
            if (key is null && options.Endpoint is not { Length: > 0 })
            {
                throw new OptionsValidationException(
                    $"{definition.ConfigKey("ApiKeyEnvironmentVariable")}: api.openai.com needs an API key; name the environment variable that holds it (e.g. OPENAI_API_KEY)");
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<ITeacherClient> CreateAsync(TeacherDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Validate(definition);
        var options = definition.Options;
        var key = definition.GetApiKey();
        var endpoint = ResolveEndpoint(definition);

        // Polly owns retries and timeouts; the network timeout is only a backstop a little beyond the attempt timeout.
        var retry = new ClientRetryPolicy(maxRetries: 0);
        var networkTimeout = TimeSpan.FromSeconds(options.AttemptTimeoutSeconds + 5);
        ChatClient chat;
        Uri completions;
        string model;
        if (Kind == TeacherKinds.Azure)
        {
            var deployment = options.Deployment ?? options.Model!;
            var clientOptions = new AzureOpenAIClientOptions { RetryPolicy = retry, NetworkTimeout = networkTimeout };
            var client = key is null
                ? new AzureOpenAIClient(endpoint, new DefaultAzureCredential(), clientOptions)
                : new AzureOpenAIClient(endpoint, new ApiKeyCredential(key), clientOptions);
            chat = client.GetChatClient(deployment);
            completions = new Uri(WithSlash(endpoint), $"openai/deployments/{Uri.EscapeDataString(deployment)}/completions?api-version={Uri.EscapeDataString(options.ApiVersion)}");
            model = options.Model ?? deployment;
        }
        else
        {
            var clientOptions = new OpenAIClientOptions { Endpoint = endpoint, RetryPolicy = retry, NetworkTimeout = networkTimeout };
            model = options.Model!;
            chat = new ChatClient(model, new ApiKeyCredential(key ?? NoKey), clientOptions);
            completions = new Uri(WithSlash(endpoint), "completions");
        }

        var scrubber = new SecretScrubber(key);
        var transport = new OpenAiTransport(definition.Name, chat, completions, definition.RateLimitFeedback, scrubber, _timeProvider);
        return ValueTask.FromResult<ITeacherClient>(new OpenAiCompatibleTeacherClient(definition.Name, options, model, transport));
    }

    private static void Require(TeacherDefinition definition, string? value, string key, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new OptionsValidationException($"{definition.ConfigKey(key)}: required for kind '{definition.Options.Kind}' ({what})");
        }
    }

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
