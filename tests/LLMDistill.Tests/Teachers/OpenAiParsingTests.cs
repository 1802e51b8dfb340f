using System.Text;
using System.Text.Json.Nodes;
using LLMDistill.Teachers;
using LLMDistill.Teachers.OpenAi;
using LLMDistill.Tests.Fixtures.OpenAiServer;

namespace LLMDistill.Tests.Teachers;

/// <summary>Wire-format details of OpenAI-compatible servers: SSE framing, error bodies, echo offsets in code points.</summary>
public sealed class OpenAiParsingTests
{
    private static async Task<List<string>> EventsAsync(string wire)
    {
        var events = new List<string>();
        await foreach (var data in OpenAiStreamReader.ReadEventsAsync(new MemoryStream(Encoding.UTF8.GetBytes(wire)), CancellationToken.None))
        {
            events.Add(data);
        }

        return events;
    }

    [Fact]
    public async Task ReadEventsAsync_CommentsMultiLineDataAndDone_AreFramedPerSpec()
    {
        var wire = ": keep-alive\n\nevent: message\ndata: {\"a\":1}\n\ndata:{\"b\":\ndata: 2}\nid: 7\n\ndata: [DONE]\n\ndata: {\"after\":true}\n\n";

        Assert.Equal(["{\"a\":1}", "{\"b\":\n2}"], await EventsAsync(wire));
    }

    [Fact]
    public async Task ReadEventsAsync_CrLfAndNoTrailingBlankLine_StillYieldsTheLastEvent()
        => Assert.Equal(["{\"a\":1}", "{\"b\":2}"], await EventsAsync("data: {\"a\":1}\r\n\r\ndata: {\"b\":2}"));

    [Theory]
    [InlineData("""{"object":"error","message":"This model's maximum context length is 4096 tokens","type":"BadRequestError","code":400}""", "This model's maximum context length is 4096 tokens")]
    [InlineData("""{"error":{"message":"Invalid 'top_logprobs'","type":"invalid_request_error","code":null}}""", "Invalid 'top_logprobs'")]
    [InlineData("""{"error":"model not loaded"}""", "model not loaded")]
    [InlineData("<html>502 Bad Gateway</html>", "<html>502 Bad Gateway</html>")]
    public void FromStatus_ErrorBodiesOfDifferentServers_KeepTheServersMessage(string body, string message)
    {
        var error = OpenAiErrors.FromStatus("t", 400, body, _ => null, DateTimeOffset.UnixEpoch, SecretScrubber.None);

        Assert.Equal($"teacher 't': BadRequest: HTTP 400: {message}", error.Message);
    }

    [Fact]
    public void FromStatus_AzureContentFilter_IsContentFilter()
    {
        const string body = """{"error":{"message":"The response was filtered","code":"content_filter","innererror":{"code":"ResponsibleAIPolicyViolation"}}}""";

        var error = OpenAiErrors.FromStatus("t", 400, body, _ => null, DateTimeOffset.UnixEpoch, SecretScrubber.None);

        Assert.Equal(TeacherErrorCategory.ContentFilter, error.Category);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void FromStatus_503WithRetryAfter_IsTransientAndCarriesTheWait()
    {
        var error = OpenAiErrors.FromStatus("t", 503, null, name => name == "Retry-After" ? "12" : null, DateTimeOffset.UnixEpoch, SecretScrubber.None);

        Assert.True(error.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(12), error.RetryAfter);
        Assert.Equal("teacher 't': Unavailable: HTTP 503", error.Message);
    }

    [Fact]
    public void FromStatus_LongMessage_IsTruncatedToOneLine()
    {
        var error = OpenAiErrors.FromStatus("t", 400, new string('x', 2000) + "\nsecond line", _ => null, DateTimeOffset.UnixEpoch, SecretScrubber.None);

        Assert.True(error.Message.Length < 600);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ReadScore_AstralCharactersInContext_LocatesTheContinuationByCodePoints()
    {
        const string context = "🙂 Q: ok?\nA:";
        const string continuation = " Yes 🙂 indeed";
        var tokens = FakeOpenAiResponses.Tokenize(context + continuation);
        var body = new JsonObject
        {
            ["model"] = "m",
            ["choices"] = new JsonArray { new JsonObject { ["text"] = context + continuation, ["logprobs"] = FakeOpenAiResponses.LegacyLogprobs(tokens, 0, 0, 0, firstIsNull: true) } },
        };

        var score = OpenAiResponseReader.ReadScore("m", BinaryData.FromString(body.ToJsonString()), context, continuation, 0);

        Assert.Equal([" Yes", " 🙂", " indeed"], score.Tokens.Select(t => t.Token).ToList());
        Assert.Equal(Encoding.UTF8.GetBytes(" 🙂"), score.Tokens[1].Bytes);
    }

    [Fact]
    public void ReadLegacy_MismatchedArrays_IsMalformed()
    {
        var logprobs = JsonNode.Parse("""{"tokens":["a","b"],"token_logprobs":[-1]}""")!;
        using var document = System.Text.Json.JsonDocument.Parse(logprobs.ToJsonString());

        var error = Assert.Throws<System.Text.Json.JsonException>(() => OpenAiLogprobsReader.ReadLegacy(document.RootElement, 0));

        Assert.Contains("token_logprobs has 1 entries but logprobs.tokens has 2", error.Message, StringComparison.Ordinal);
    }
}
