using System.Text.Json;
using System.Threading.Channels;
using LLMDistill.Teachers;
using Microsoft.AspNetCore.Http;

namespace LLMDistill.Cli.Serving;

/// <summary>
/// <c>POST /v1/completions</c>: raw prompts (text or token ids, one or several), with <c>echo</c> to return the prompt and
/// its teacher-forced logprobs (scoring; <c>max_tokens: 0</c> scores without generating). Choice i*n+j is choice j of prompt i.
/// </summary>
internal sealed class CompletionsEndpoint(ServeContext serve)
{
    public async Task<RequestSummary> HandleAsync(HttpContext http, CancellationToken cancellationToken)
    {
        using var body = await ServeContext.ReadBodyAsync(http, cancellationToken);
        var request = CompletionRequest.Parse(body.RootElement, serve.MaxTopLogprobs);
        serve.CheckModel(request.Model);
        var s = request.Sampling;
        var prompts = request.Prompts.Select(Encode).ToArray();
        var logprobs = request.Logprobs is not null;
        var locals = request.MaxTokens == 0 ? null : prompts.Select(p => new LocalCompletionRequest(
            p.Ids, request.MaxTokens, s.Temperature, s.TopP, s.TopK, s.Seed, s.Stop, s.StopTokenIds, s.N, logprobs, request.Logprobs ?? 0)).ToArray();
        foreach (var local in locals ?? [])
        {
            serve.Model.Validate(local);
        }

        var echoes = request.Echo ? await Task.WhenAll(prompts.Select(p => EchoAsync(p, logprobs, request.Logprobs ?? 0, cancellationToken))) : null;
        var promptTokens = prompts.Sum(p => p.Ids.Count);
        var id = ServeContext.NewId("cmpl-");
        var created = serve.Created();
        if (!s.Stream)
        {
            var results = locals is null ? null : await Task.WhenAll(locals.Select(l => serve.Model.CompleteAsync(l, cancellationToken)));
            var completionTokens = results?.Sum(r => r.CompletionTokens) ?? 0;
            http.Response.ContentType = "application/json";
            await using (var writer = new Utf8JsonWriter(http.Response.Body, ServeContext.Json))
            {
                writer.WriteStartObject();
                WriteHeader(writer, id, created);
                writer.WriteStartArray("choices");
                for (var p = 0; p < prompts.Length; p++)
                {
                    for (var j = 0; j < s.N; j++)
                    {
                        var choice = results?[p].Choices[j];
                        var echo = echoes?[p];
                        var text = (echo?.Text ?? "") + (choice?.Text ?? "");
                        var (tokens, offsets) = Logprobs(echo, choice?.Logprobs ?? [], choice?.TextOffsets ?? []);
                        WriteChoice(writer, (p * s.N) + j, text, logprobs ? tokens : null, offsets, choice?.FinishReason ?? "length");
                    }
                }

                writer.WriteEndArray();
                UsageJson.Write(writer, promptTokens, completionTokens);
                writer.WriteEndObject();
            }

            return new RequestSummary(promptTokens, completionTokens);
        }

        var events = new ServerSentEvents(http.Response);
        var generated = 0;
        try
        {
            for (var index = 0; index < prompts.Length * s.N && echoes is not null; index++)
            {
                var echo = echoes[index / s.N];
                var (tokens, offsets) = Logprobs(echo, [], []);
                await events.WriteAsync(w => WriteChunk(w, id, created, s.IncludeUsage, index, echo.Text, logprobs ? tokens : null, offsets, null), cancellationToken);
            }

            await foreach (var (prompt, delta) in MergeAsync(locals, cancellationToken))
            {
                var index = (prompt * s.N) + delta.Choice;
                var shift = echoes?[prompt].CodePoints ?? 0;
                if (delta.Text.Length > 0 || delta.Logprobs.Count > 0)
                {
                    await events.WriteAsync(w => WriteChunk(w, id, created, s.IncludeUsage, index, delta.Text, logprobs ? delta.Logprobs : null, delta.TextOffsets.Select(o => o + shift).ToArray(), null), cancellationToken);
                }

                if (delta.FinishReason is { } finish)
                {
                    generated += delta.CompletionTokens ?? 0;
                    await events.WriteAsync(w => WriteChunk(w, id, created, s.IncludeUsage, index, "", null, [], finish), cancellationToken);
                }
            }

            for (var index = 0; index < prompts.Length * s.N && locals is null; index++)
            {
                var i = index;
                await events.WriteAsync(w => WriteChunk(w, id, created, s.IncludeUsage, i, "", null, [], "length"), cancellationToken); // echo only
            }

            if (s.IncludeUsage)
            {
                await events.WriteAsync(w => WriteUsageChunk(w, id, created, promptTokens, generated), cancellationToken);
            }

            await events.DoneAsync(cancellationToken);
        }
        catch (Exception ex) when (events.Started && ex is not OperationCanceledException)
        {
            throw new StreamFailure(events, ex);
        }

        return new RequestSummary(promptTokens, generated, Streamed: true);
    }

    private EncodedPrompt Encode(PromptInput input)
    {
        if (input.Text is { } text)
        {
            return new EncodedPrompt(serve.Model.EncodePrompt(text), text, IsText: true);
        }

        var ids = input.Ids!;
        var vocab = serve.Model.Tokenizer.VocabSize;
        if (ids.Where(i => i < 0 || i >= vocab).Select(i => (int?)i).FirstOrDefault() is { } bad)
        {
            throw OpenAiError.Invalid($"token id {bad} in 'prompt' is outside the vocabulary [0, {vocab})", "prompt");
        }

        return new EncodedPrompt(ids, serve.Model.Tokenizer.Decode(ids, skipSpecialTokens: false), IsText: false);
    }

    /// <summary>The echoed prompt: its text and, when logprobs are asked for, its teacher-forced logprobs (one batched scoring pass).</summary>
    private async Task<Echo> EchoAsync(EncodedPrompt prompt, bool logprobs, int top, CancellationToken cancellationToken)
    {
        var codePoints = prompt.Text.EnumerateRunes().Count();
        if (!logprobs)
        {
            return new Echo(prompt.Text, codePoints, [], []);
        }

        var score = prompt.IsText
            ? await serve.Model.ScoreTextAsync(prompt.Text, top, cancellationToken)
            : await serve.Model.ScoreAsync(prompt.Ids, top, cancellationToken);
        return new Echo(prompt.Text, codePoints, score.Tokens, score.TextOffsets);
    }

    /// <summary>Echoed tokens first, then the completion's, with completion offsets moved past the echoed text.</summary>
    private static (IReadOnlyList<TokenLogprob> Tokens, IReadOnlyList<int> Offsets) Logprobs(Echo? echo, IReadOnlyList<TokenLogprob> tokens, IReadOnlyList<int> offsets)
        => echo is null
            ? (tokens, offsets)
            : ([.. echo.Tokens, .. tokens], [.. echo.Offsets, .. offsets.Select(o => o + echo.CodePoints)]);

    /// <summary>The deltas of every prompt's stream, interleaved as produced (all prompts decode in the same batch).</summary>
    private async IAsyncEnumerable<(int Prompt, LocalCompletionDelta Delta)> MergeAsync(LocalCompletionRequest[]? locals, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (locals is null)
        {
            yield break;
        }

        var channel = Channel.CreateUnbounded<(int, LocalCompletionDelta)>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producers = locals.Select(async (local, p) =>
        {
            await foreach (var delta in serve.Model.StreamAsync(local, stop.Token))
            {
                channel.Writer.TryWrite((p, delta));
            }
        }).ToArray();
        var all = Task.WhenAll(producers).ContinueWith(t => channel.Writer.TryComplete(t.Exception?.GetBaseException()), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await all; // the producers have stopped; their failures were handed to the reader
        }
    }

    private static void WriteChoice(Utf8JsonWriter writer, int index, string text, IReadOnlyList<TokenLogprob>? logprobs, IReadOnlyList<int> offsets, string? finishReason)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
        writer.WriteString("text", text);
        writer.WritePropertyName("logprobs");
        if (logprobs is not null)
        {
            LogprobsJson.WriteLegacy(writer, logprobs, offsets);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteString("finish_reason", finishReason);
        writer.WriteEndObject();
    }

    private void WriteChunk(Utf8JsonWriter writer, string id, long created, bool includeUsage, int index, string text, IReadOnlyList<TokenLogprob>? logprobs, IReadOnlyList<int> offsets, string? finishReason)
    {
        writer.WriteStartObject();
        WriteHeader(writer, id, created);
        writer.WriteStartArray("choices");
        WriteChoice(writer, index, text, logprobs, offsets, finishReason);
        writer.WriteEndArray();
        if (includeUsage)
        {
            writer.WriteNull("usage");
        }

        writer.WriteEndObject();
    }

    private void WriteUsageChunk(Utf8JsonWriter writer, string id, long created, int promptTokens, int completionTokens)
    {
        writer.WriteStartObject();
        WriteHeader(writer, id, created);
        writer.WriteStartArray("choices");
        writer.WriteEndArray();
        UsageJson.Write(writer, promptTokens, completionTokens);
        writer.WriteEndObject();
    }

    private void WriteHeader(Utf8JsonWriter writer, string id, long created)
    {
        writer.WriteString("id", id);
        writer.WriteString("object", "text_completion");
        writer.WriteNumber("created", created);
        writer.WriteString("model", serve.Model.Name);
        writer.WriteString("system_fingerprint", serve.SystemFingerprint);
    }

    private sealed record EncodedPrompt(IReadOnlyList<int> Ids, string Text, bool IsText);

    private sealed record Echo(string Text, int CodePoints, IReadOnlyList<TokenLogprob> Tokens, IReadOnlyList<int> Offsets);
}
