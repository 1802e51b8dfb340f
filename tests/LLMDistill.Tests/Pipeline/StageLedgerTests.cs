using LLMDistill.Pipeline;

namespace LLMDistill.Tests.Pipeline;

public sealed class StageLedgerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ledger-").FullName;

    [Fact]
    public void IsComplete_AfterMarkAndReopen_TrueOnlyForSameHash()
    {
        var ledger = StageLedger.Open(_dir);
        Assert.False(ledger.IsComplete("generate", "abc"));
        ledger.MarkComplete("generate", "abc", TimeSpan.FromSeconds(2));

        var reopened = StageLedger.Open(_dir);
        Assert.True(reopened.IsComplete("generate", "abc"));
        Assert.False(reopened.IsComplete("generate", "abd"));
        Assert.False(reopened.IsComplete("train", "abc"));
    }

    [Fact]
    public void HashOf_DependsOnEveryPart()
    {
        Assert.Equal(StageLedger.HashOf(new { A = 1 }, "x"), StageLedger.HashOf(new { A = 1 }, "x"));
        Assert.NotEqual(StageLedger.HashOf(new { A = 1 }, "x"), StageLedger.HashOf(new { A = 2 }, "x"));
        Assert.NotEqual(StageLedger.HashOf(new { A = 1 }, "x"), StageLedger.HashOf(new { A = 1 }, "y"));
    }

    [Fact]
    public void Open_CorruptLedger_ThrowsNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_dir, "run-state.json"), "{ not json");
        var ex = Assert.Throws<InvalidDataException>(() => StageLedger.Open(_dir));
        Assert.Contains("run-state.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindAndClear_RecordOfTheLastCompletion_AndNothingAfterClear()
    {
        var ledger = StageLedger.Open(_dir);
        Assert.Null(ledger.Find("eval"));
        ledger.MarkComplete("eval", "h1", TimeSpan.FromSeconds(3));
        ledger.MarkComplete("eval", "h2", TimeSpan.FromSeconds(4));

        Assert.Equal(("h2", 4.0), (StageLedger.Open(_dir).Find("eval")!.ConfigHash, StageLedger.Open(_dir).Find("eval")!.Seconds));

        ledger.Clear();
        Assert.Null(StageLedger.Open(_dir).Find("eval"));
        Assert.False(StageLedger.Open(_dir).IsComplete("eval", "h2"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
