using System.Runtime.CompilerServices;
using System.Text.Json;
using LLMDistill.Teachers.Decorators;

namespace LLMDistill.Teachers.OpenAi;

/// <summary>
/// The raw client of an OpenAI, Azure OpenAI or OpenAI-compatible teacher (vLLM, Ollama, llama.cpp server, LM Studio):
/// chat or completion mode, top-k logprobs, streaming, and scoring by <c>echo</c>. It makes exactly one HTTP call per
/// operation; retries, limits, accounting and caching are the decorators' job.
/// </summary>
internal sealed class OpenAiCompatibleTeacherClient : IStreamingTeacherClient, IScoringTeacherClient, IScoreWithUsage, ITeacherFeatures
{
    private readonly TeacherOptions _options;
    private readonly string _model;
    private readonly OpenAiTransport _transport;

    public OpenAiCompatibleTeacherClient(string name, TeacherOptions options, string model, OpenAiTransport transport)
    {
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        _options = options;
        _model = model;
        _transport = transport;
        Capabilities = new TeacherCapabilities(
            Chat: options.Mode == TeacherMode.Chat,
            Completion: options.Mode == TeacherMode.Completion,
            MaxTopLogprobs: options.MaxTopLogprobs,
            FullLogits: false,
            StructuredOutput: options.Mode == TeacherMode.Chat && options.StructuredOutput);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public TeacherCapabilities Capabilities { get; }

    /// <inheritdoc />
    public bool CanStream => true;

    /// <inheritdoc />
    public bool CanScore => _options.ScoringEnabled;

    /// <inheritdoc />
    public async Task<TeacherResponse> CompleteAsync(TeacherRequest request, CancellationToken cancellationToken)
    {
        var route = Validate(request, streaming: false);
        var body = route == OpenAiRoute.Chat
            ? OpenAiRequestWriter.Chat(request, _model, stream: false, Capabilities.StructuredOutput)
            : OpenAiRequestWriter.Completion(request, _model, stream: false);
        var content = await _transport.PostAsync(route, body, cancellationToken);
        TeacherResponse response;
        try
        {
            response = route == OpenAiRoute.Chat
                ? OpenAiResponseReader.ReadChat(Name, _model, content, request)
                : OpenAiResponseReader.ReadCompletion(Name, _model, content, request);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw OpenAiErrors.Malformed(Name, route == OpenAiRoute.Chat ? "chat" : "completion", ex);
        }

        // A filtered answer is an empty choice with finish_reason content_filter, not an HTTP error.
        if (response.Choices.All(c => c.FinishReason == "content_filter" && c.Text.Length == 0))
        {
            throw new TeacherException(Name, TeacherErrorCategory.ContentFilter, "the provider's content filter withheld the answer", 200);
        }

        return response;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<TeacherStreamDelta> StreamAsync(TeacherRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var route = Validate(request, streaming: true);
        var body = route == OpenAiRoute.Chat
            ? OpenAiRequestWriter.Chat(request, _model, stream: true, Capabilities.StructuredOutput)
            : OpenAiRequestWriter.Completion(request, _model, stream: true);
        using var response = await _transport.PostStreamingAsync(route, body, cancellationToken);
        var deltas = OpenAiStreamReader.ReadAsync(response.ContentStream!, route, request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                // yield cannot sit inside a try with a catch, so each step is awaited here and yielded below.
                try
                {
                    if (!await deltas.MoveNextAsync())
                    {
                        yield break;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
                {
                    throw OpenAiErrors.Malformed(Name, "stream", ex);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
                {
                    throw _transport.StreamFailed(ex);
                }

                yield return deltas.Current;
            }
        }
        finally
        {
            await deltas.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TokenLogprob>> ScoreAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken)
        => (await ScoreWithUsageAsync(context, continuation, topLogprobs, cancellationToken)).Tokens;

    /// <inheritdoc />
    public async Task<TeacherScore> ScoreWithUsageAsync(string context, string continuation, int topLogprobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        if (!CanScore)
        {
            throw BadRequest($"scoring is off; set {Key("Scoring")}=true if the server supports /completions with echo");
        }

        CheckTopLogprobs(topLogprobs);
        var content = await _transport.PostAsync(OpenAiRoute.Completions, OpenAiRequestWriter.Score(context + continuation, _model, topLogprobs), cancellationToken);
        try
        {
            return OpenAiResponseReader.ReadScore(_model, content, context, continuation, topLogprobs);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw OpenAiErrors.Malformed(Name, "scoring", ex);
        }
    }

    private OpenAiRoute Validate(TeacherRequest request, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.Messages is null) == (request.Prompt is null))
        {
            throw BadRequest("a request needs exactly one of Messages (chat) and Prompt (completion)");
        }

        if (request.Mode != _options.Mode)
        {
            throw BadRequest($"this teacher serves {_options.Mode} requests ({Key("Mode")}), not {request.Mode}");
        }

        if (request.N < 1 || (streaming && request.N != 1))
        {
            throw BadRequest(streaming ? "streaming serves single-choice requests (N = 1)" : $"N must be at least 1, got {request.N}");
        }

        CheckTopLogprobs(request.TopLogprobs);
        if (request.JsonSchema is { } schema && Capabilities.StructuredOutput)
        {
            try
            {
                using var _ = JsonDocument.Parse(schema);
            }
            catch (JsonException ex)
            {
                throw BadRequest($"JsonSchema is not valid JSON: {ex.Message}");
            }
        }

        return request.Mode == TeacherMode.Chat ? OpenAiRoute.Chat : OpenAiRoute.Completions;
    }

    private void CheckTopLogprobs(int topLogprobs)
    {
        if (topLogprobs < 0 || topLogprobs > _options.MaxTopLogprobs)
        {
            throw BadRequest($"TopLogprobs must be between 0 and {_options.MaxTopLogprobs} ({Key("MaxTopLogprobs")}), got {topLogprobs}");
        }
    }

    private TeacherException BadRequest(string message) => new(Name, TeacherErrorCategory.BadRequest, message);

    private string Key(string key) => $"{TeacherOptions.SectionPrefix}:{Name}:{key}";
}
