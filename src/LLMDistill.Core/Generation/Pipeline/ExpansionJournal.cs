using LLMDistill.Data;

namespace LLMDistill.Generation.Pipeline;

/// <summary>Appends expansion results to <c>expansions.jsonl</c>, fsynced per record (a few per minute).</summary>
internal sealed class ExpansionJournal : IAsyncDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly JsonlAppender _appender;

    public ExpansionJournal(string directory) => _appender = new JsonlAppender(Path.Combine(directory, ResumeState.JournalFileName));

    public async Task AppendAsync(ExpansionRecord record, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await _appender.AppendAsync(record, GenerationJson.Default.ExpansionRecord, CancellationToken.None);
            await _appender.FlushAsync(CancellationToken.None);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _appender.DisposeAsync();
        _lock.Dispose();
    }
}
