namespace LLMDistill.Teachers;

/// <summary>A teacher that can stream its answer token by token (used by <c>llmdistill serve</c>).</summary>
public interface IStreamingTeacherClient : ITeacherClient
{
    /// <summary>Streams the answer of a single-choice request as deltas; the last delta carries the finish reason and usage.</summary>
    IAsyncEnumerable<TeacherStreamDelta> StreamAsync(TeacherRequest request, CancellationToken cancellationToken);
}
