using LLMDistill.Teachers.Limits;

namespace LLMDistill.Tests.Teachers;

public sealed class RateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Func<string, string?> Headers(params (string Name, string Value)[] headers)
        => name => headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    [Theory]
    [InlineData("2", 2.0)]
    [InlineData("0", 0.0)]
    [InlineData(" 1.5 ", 1.5)]
    [InlineData("Sat, 01 Mar 2025 12:00:07 GMT", 7.0)]
    [InlineData("Sat, 01 Mar 2025 11:59:00 GMT", 0.0)]
    public void RetryAfter_SecondsOrHttpDate_ParsesRelativeToNow(string value, double seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), RateLimitHeaders.RetryAfter(Headers(("Retry-After", value)), Now));

    [Fact]
    public void RetryAfter_MillisecondsHeader_WinsOverSeconds()
        => Assert.Equal(TimeSpan.FromMilliseconds(250), RateLimitHeaders.RetryAfter(Headers(("Retry-After", "30"), ("retry-after-ms", "250")), Now));

    [Theory]
    [InlineData("soon")]
    [InlineData("-3")]
    public void RetryAfter_Unparsable_IsNull(string value)
        => Assert.Null(RateLimitHeaders.RetryAfter(Headers(("Retry-After", value)), Now));

    [Fact]
    public void RetryAfter_Absent_IsNull() => Assert.Null(RateLimitHeaders.RetryAfter(Headers(), Now));

    [Theory]
    [InlineData("1s", 1.0)]
    [InlineData("6m0s", 360.0)]
    [InlineData("20ms", 0.02)]
    [InlineData("1h2m3.5s", 3723.5)]
    [InlineData("0.5", 0.5)]
    public void Duration_OpenAiFormats_Parse(string value, double seconds)
        => Assert.Equal(seconds, RateLimitHeaders.Duration(value)!.Value.TotalSeconds, 6);

    [Theory]
    [InlineData("")]
    [InlineData("1x")]
    [InlineData("s1")]
    [InlineData("1s junk")]
    public void Duration_Garbage_IsNull(string value) => Assert.Null(RateLimitHeaders.Duration(value));

    [Fact]
    public void Snapshot_ReadsAllFourHeaders()
    {
        var snapshot = RateLimitHeaders.Snapshot(Headers(
            ("x-ratelimit-remaining-requests", "59"), ("x-ratelimit-reset-requests", "1s"),
            ("x-ratelimit-remaining-tokens", "149000"), ("x-ratelimit-reset-tokens", "600ms")));

        Assert.Equal(new RateLimitSnapshot(59, TimeSpan.FromSeconds(1), 149000, TimeSpan.FromMilliseconds(600)), snapshot);
        Assert.True(RateLimitHeaders.Snapshot(Headers()).IsEmpty);
    }
}
