using System.ClientModel;
using System.ClientModel.Primitives;
using LLMDistill.Teachers.Limits;
using OpenAI.Chat;

namespace LLMDistill.Teachers.OpenAi;

/// <summary>Which endpoint a request goes to.</summary>
internal enum OpenAiRoute
{
    /// <summary><c>/chat/completions</c>, through <see cref="ChatClient"/>'s protocol method.</summary>
    Chat,

    /// <summary><c>/completions</c>, through the same client's <see cref="ClientPipeline"/> (the SDK has no public client for it).</summary>
    Completions,
}

/// <summary>
/// Sends request bodies through the OpenAI SDK (or Azure's client, which derives from it): its endpoint handling,
/// authentication (Bearer, <c>api-key</c> or Entra ID) and transport, with the SDK's retries off. Reports
/// rate-limit headers and turns every failure into a categorised <see cref="TeacherException"/>.
/// </summary>
internal sealed class OpenAiTransport
{
    private readonly string _teacher;
    private readonly ChatClient _chat;
    private readonly Uri _completionsUri;
    private readonly IRateLimitFeedback? _feedback;
    private readonly SecretScrubber _scrubber;
    private readonly TimeProvider _timeProvider;

    public OpenAiTransport(string teacher, ChatClient chat, Uri completionsUri, IRateLimitFeedback? feedback, SecretScrubber scrubber, TimeProvider timeProvider)
    {
        _teacher = teacher;
        _chat = chat;
        _completionsUri = completionsUri;
        _feedback = feedback;
        _scrubber = scrubber;
        _timeProvider = timeProvider;
    }

    /// <summary>Sends a request and returns the buffered body of a successful response.</summary>
    public async Task<BinaryData> PostAsync(OpenAiRoute route, BinaryData body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(route, body, buffer: true, cancellationToken);
        return response.Content;
    }

    /// <summary>Sends a streaming request and returns the successful response, its content still unread; the caller disposes it.</summary>
    public Task<PipelineResponse> PostStreamingAsync(OpenAiRoute route, BinaryData body, CancellationToken cancellationToken)
        => SendAsync(route, body, buffer: false, cancellationToken);

    /// <summary>Wraps a failure while reading a streamed body.</summary>
    public TeacherException StreamFailed(Exception exception) => OpenAiErrors.FromTransport(_teacher, exception, _scrubber);

    private async Task<PipelineResponse> SendAsync(OpenAiRoute route, BinaryData body, bool buffer, CancellationToken cancellationToken)
    {
        PipelineResponse response;
        try
        {
            response = route == OpenAiRoute.Chat
                ? await SendChatAsync(body, buffer, cancellationToken)
                : await SendCompletionsAsync(body, buffer, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is ClientResultException or HttpRequestException or IOException or OperationCanceledException)
        {
            throw OpenAiErrors.FromTransport(_teacher, ex, _scrubber);
        }

        string? Header(string name) => response.Headers.TryGetValue(name, out var value) ? value : null;
        var snapshot = RateLimitHeaders.Snapshot(Header);
        if (!snapshot.IsEmpty)
        {
            _feedback?.Observe(snapshot);
        }

        if (response.Status is >= 200 and < 300)
        {
            return response;
        }

        using (response)
        {
            string? text;
            try
            {
                text = buffer ? response.Content.ToString() : (await response.BufferContentAsync(cancellationToken)).ToString();
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                text = null; // the status says enough
            }

            throw OpenAiErrors.FromStatus(_teacher, response.Status, text, Header, _timeProvider.GetUtcNow(), _scrubber);
        }
    }

    private async Task<PipelineResponse> SendChatAsync(BinaryData body, bool buffer, CancellationToken cancellationToken)
    {
        var options = new RequestOptions { CancellationToken = cancellationToken, ErrorOptions = ClientErrorBehaviors.NoThrow, BufferResponse = buffer };
        if (!buffer)
        {
            options.SetHeader("Accept", "text/event-stream");
        }

        var result = await _chat.CompleteChatAsync(BinaryContent.Create(body), options);
        return result.GetRawResponse();
    }

    private async Task<PipelineResponse> SendCompletionsAsync(BinaryData body, bool buffer, CancellationToken cancellationToken)
    {
        using var message = _chat.Pipeline.CreateMessage();
        message.Apply(new RequestOptions { CancellationToken = cancellationToken, ErrorOptions = ClientErrorBehaviors.NoThrow, BufferResponse = buffer });
        message.BufferResponse = buffer;
        var request = message.Request;
        request.Method = "POST";
        request.Uri = _completionsUri;
        request.Headers.Set("Content-Type", "application/json");
        request.Headers.Set("Accept", buffer ? "application/json" : "text/event-stream");
        request.Content = BinaryContent.Create(body);
        await _chat.Pipeline.SendAsync(message);
        return message.ExtractResponse() ?? throw new IOException("the pipeline returned no response");
    }
}
