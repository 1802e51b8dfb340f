using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace LLMDistill.Tests.Serving;

/// <summary><c>serve</c>'s wire format: the SDK's typed client, raw JSON and SSE, echo scoring, several prompts, errors and status codes.</summary>
public sealed class ServeProtocolTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.RootAddress, Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose() => _http.Dispose();

    private ChatClient SdkChat() => new("shakespeare-4m", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = fixture.Server.BaseAddress });

    [Fact]
    public async Task SdkTypedChat_ParsesLogprobsBytesAndUsage()
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 12, IncludeLogProbabilities = true, TopLogProbabilityCount = 3 };

        ChatCompletion completion = await SdkChat().CompleteChatAsync([new UserChatMessage("Good morrow.")], options);

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(12, completion.Usage.OutputTokenCount);
        Assert.Equal(12, completion.ContentTokenLogProbabilities.Count);
        var text = new StringBuilder();
        foreach (var token in completion.ContentTokenLogProbabilities)
        {
            Assert.Equal(Encoding.UTF8.GetBytes(token.Token), token.Utf8Bytes!.Value.ToArray());
            Assert.Equal(3, token.TopLogProbabilities.Count);
            Assert.Equal(token.TopLogProbabilities[0].LogProbability, token.LogProbability, tolerance: 1e-6); // greedy
            text.Append(token.Token);
        }

        Assert.Equal(completion.Content[0].Text, text.ToString());
    }

    [Fact]
    public async Task SdkTypedStreaming_ConcatenatesToTheAnswerAndEndsWithUsage()
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 15 };
        ChatCompletion whole = await SdkChat().CompleteChatAsync([new UserChatMessage("Tell me of Verona.")], options);

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in SdkChat().CompleteChatStreamingAsync([new UserChatMessage("Tell me of Verona.")], options))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.Equal(whole.Usage.InputTokenCount, usage!.InputTokenCount);
        Assert.Equal(15, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Completions_EchoWithoutGeneration_ScoresThePromptInTheLegacyFormat()
    {
        const string prompt = "ROMEO:\nBut soft, what light";
        var ids = fixture.Models.Model.Tokenizer.Encode(prompt);
        var logp = fixture.Models.LogSoftmax(ids);

        using var json = await PostAsync("/v1/completions", new { model = "shakespeare-4m", prompt, max_tokens = 0, echo = true, logprobs = 2 });

        var choice = json.RootElement.GetProperty("choices")[0];
        Assert.Equal(prompt, choice.GetProperty("text").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        var logprobs = choice.GetProperty("logprobs");
        var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToArray();
        var values = logprobs.GetProperty("token_logprobs").EnumerateArray().ToArray();
        var tops = logprobs.GetProperty("top_logprobs").EnumerateArray().ToArray();
        var offsets = logprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()).ToArray();
        Assert.Equal(prompt, string.Concat(tokens));
        Assert.Equal(JsonValueKind.Null, values[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, tops[0].ValueKind);
        for (var i = 1; i < ids.Count; i++)
        {
            Assert.Equal(logp[i - 1][ids[i]], values[i].GetDouble(), tolerance: 1e-4);
            Assert.Equal(2, tops[i].EnumerateObject().Count());
            Assert.Equal(offsets[i - 1] + tokens[i - 1].Length, offsets[i]);
        }

        Assert.Equal(0, offsets[0]);
        Assert.Equal(0, json.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(ids.Count, json.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Completions_SeveralPromptsTextAndIds_ChoicesArePromptMajor()
    {
        var king = fixture.Models.Model.Tokenizer.Encode("KING RICHARD:\n").ToArray();

        using var json = await PostAsync("/v1/completions", new { model = "shakespeare-4m", prompt = new object[] { "JULIET:\n", king }, max_tokens = 6, temperature = 0, n = 2 });

        var texts = json.RootElement.GetProperty("choices").EnumerateArray().Select(c => (c.GetProperty("index").GetInt32(), c.GetProperty("text").GetString())).ToArray();
        var juliet = await GreedyAsync("JULIET:\n", 6);
        var richard = await GreedyAsync("KING RICHARD:\n", 6);
        Assert.NotEqual(juliet, richard);
        Assert.Equal([(0, juliet), (1, juliet), (2, richard), (3, richard)], texts);
        Assert.Equal(king.Length + 3, json.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ChatStream_SseFraming_UsageOnlyInTheLastChunkWhenAskedFor(bool includeUsage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new
            {
                model = "shakespeare-4m", messages = new[] { new { role = "user", content = "Hail!" } }, max_tokens = 5, temperature = 0, n = 2, stream = true,
                stream_options = new { include_usage = includeUsage },
            }),
        };
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToArray();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal(2, chunks.Count(c => c.GetProperty("choices").GetArrayLength() == 1 && c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String));
        if (includeUsage)
        {
            Assert.Equal(10, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
            Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
            Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        }
        else
        {
            Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
        }
    }

    [Fact]
    public async Task Models_ListAndGet_DescribeTheServedModel()
    {
        using var list = JsonDocument.Parse(await _http.GetStringAsync("/v1/models"));
        var model = Assert.Single(list.RootElement.GetProperty("data").EnumerateArray());
        using var one = await _http.GetAsync("/v1/models/shakespeare-4m");
        using var missing = await _http.GetAsync("/v1/models/gpt-4");

        Assert.Equal("shakespeare-4m", model.GetProperty("id").GetString());
        Assert.Equal(512, model.GetProperty("max_model_len").GetInt32());
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("model_not_found", (await ErrorOf(missing)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("/v1/chat/completions", "{\"model\":\"shakespeare-4m\",\"messages\":[", 400, null, "parse the JSON body")]
    [InlineData("/v1/chat/completions", "{\"model\":\"shakespeare-4m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":3}", 400, "temperature", "at most 2")]
    [InlineData("/v1/chat/completions", "{\"model\":\"shakespeare-4m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", 400, "messages[0].role", "must be system")]
    [InlineData("/v1/chat/completions", "{\"model\":\"shakespeare-4m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"presence_penalty\":1}", 400, "presence_penalty", "not supported")]
    [InlineData("/v1/chat/completions", "{\"model\":\"shakespeare-4m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_logprobs\":2}", 400, "top_logprobs", "needs 'logprobs'")]
    [InlineData("/v1/chat/completions", "{\"model\":\"shakespeare-4m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"n\":0}", 400, "n", "between 1 and 128")]
    [InlineData("/v1/completions", "{\"model\":\"shakespeare-4m\",\"prompt\":\"x\",\"max_tokens\":0}", 400, "max_tokens", "only with 'echo'")]
    [InlineData("/v1/completions", "{\"model\":\"shakespeare-4m\",\"prompt\":[1,99999]}", 400, "prompt", "outside the vocabulary")]
    [InlineData("/v1/completions", "{\"model\":\"shakespeare-4m\",\"prompt\":\"x\",\"stop\":[\"\"]}", 400, "stop", "must not be empty")]
    [InlineData("/v1/completions", "{\"model\":\"shakespeare-4m\",\"prompt\":\"x\",\"max_tokens\":600}", 400, null, "context is 512 tokens")]
    [InlineData("/v1/completions", "{\"model\":\"davinci\",\"prompt\":\"x\"}", 404, "model", "does not exist")]
    [InlineData("/v1/embeddings", "{}", 404, null, "Unknown request URL: POST /v1/embeddings")]
    public async Task BadRequests_GetOpenAiErrorJson(string path, string body, int status, string? param, string message)
    {
        using var response = await _http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        var error = await ErrorOf(response);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString());
        if (message.Contains("context"))
        {
            Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task SixteenConcurrentHttpRequests_ShareForwardPasses()
    {
        var before = fixture.Server.Model.Scheduler.Statistics.ForwardPasses;

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => PostAsync("/v1/completions", new { model = "shakespeare-4m", prompt = $"LORD {i}:\n", max_tokens = 16, temperature = 0 })));

        var passes = fixture.Server.Model.Scheduler.Statistics.ForwardPasses - before;
        Assert.All(responses, r => Assert.Equal(16, r.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32()));
        Assert.True(passes * 4 < 16 * 17, $"16 concurrent HTTP requests took {passes} forward passes (one at a time: {16 * 17})");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private async Task<string> GreedyAsync(string prompt, int maxTokens)
        => (await fixture.Direct.CompleteAsync(new LLMDistill.Teachers.TeacherRequest(null, prompt, new LLMDistill.Teachers.SamplingParameters(0, 1, maxTokens)), CancellationToken.None)).Text;

    private async Task<JsonDocument> PostAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("error").Clone();
    }
}
