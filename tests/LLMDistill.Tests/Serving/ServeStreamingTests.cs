using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LLMDistill.Tests.Serving;

/// <summary>Streaming edge cases of <c>serve</c>: several prompts with echo in one stream, and a client that goes away mid-stream.</summary>
public sealed class ServeStreamingTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.RootAddress, Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task CompletionsStream_TwoPromptsWithEchoAndLogprobs_ReassemblesToTheNonStreamingAnswer()
    {
        var body = new Dictionary<string, object>
        {
            ["model"] = "shakespeare-4m", ["prompt"] = new[] { "ROMEO:\n", "Now is the winter" }, ["max_tokens"] = 7, ["temperature"] = 0,
            ["n"] = 2, ["echo"] = true, ["logprobs"] = 1,
        };
        using var whole = await PostJsonAsync(body);
        body["stream"] = true;

        using var response = await _http.PostAsJsonAsync("/v1/completions", body);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("data: [DONE]", events[^1]);
        var texts = new StringBuilder[4];
        var tokens = new List<string>[4];
        var offsets = new List<int>[4];
        var finishes = new string?[4];
        for (var i = 0; i < 4; i++)
        {
            (texts[i], tokens[i], offsets[i]) = (new StringBuilder(), [], []);
        }

        foreach (var data in events[..^1])
        {
            using var chunk = JsonDocument.Parse(data["data: ".Length..]);
            var choice = chunk.RootElement.GetProperty("choices")[0];
            var index = choice.GetProperty("index").GetInt32();
            texts[index].Append(choice.GetProperty("text").GetString());
            if (choice.GetProperty("logprobs") is { ValueKind: JsonValueKind.Object } logprobs)
            {
                tokens[index].AddRange(logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!));
                offsets[index].AddRange(logprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()));
            }

            finishes[index] = choice.GetProperty("finish_reason").GetString() ?? finishes[index];
        }

        var expected = whole.RootElement.GetProperty("choices").EnumerateArray().ToArray();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i].GetProperty("text").GetString(), texts[i].ToString());
            Assert.StartsWith(i < 2 ? "ROMEO:\n" : "Now is the winter", texts[i].ToString(), StringComparison.Ordinal);
            Assert.Equal(expected[i].GetProperty("logprobs").GetProperty("tokens").EnumerateArray().Select(t => t.GetString()), tokens[i]);
            Assert.Equal(expected[i].GetProperty("logprobs").GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()), offsets[i]);
            Assert.Equal("length", finishes[i]);
        }
    }

    [Fact]
    public async Task ChatStream_ClientGoesAway_TheServerStopsGenerating()
    {
        var statistics = fixture.Server.Model.Scheduler;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "shakespeare-4m", messages = new[] { new { role = "user", content = "Speak on." } }, max_tokens = 400, temperature = 0, stream = true }),
        };
        var before = statistics.Statistics.GeneratedTokens;
        using var impatient = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = fixture.Server.RootAddress }; // closing the stream drops the connection

        using (var response = await impatient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        await using (var stream = await response.Content.ReadAsStreamAsync())
        {
            using var reader = new StreamReader(stream);
            Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal); // the stream has started
        }

        // Generation stops within a few steps of the disconnect, far short of 400 tokens.
        var settled = await SettledAsync(() => statistics.Statistics.GeneratedTokens);
        Assert.InRange(settled - before, 1, 300);
    }

    private async Task<JsonDocument> PostJsonAsync(object body)
    {
        using var response = await _http.PostAsJsonAsync("/v1/completions", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text);
    }

    /// <summary>Waits until a counter stops moving (unchanged for 300 ms) and returns it.</summary>
    private static async Task<long> SettledAsync(Func<long> read)
    {
        var last = read();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await Task.Delay(300);
            var now = read();
            if (now == last)
            {
                return now;
            }

            last = now;
        }

        return last;
    }
}
