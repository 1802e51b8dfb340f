namespace LLMDistill.Teachers;

/// <summary>
/// Optional for raw teacher clients: extra text that identifies what answers (for a local model, e.g. a hash of its
/// weights), so the response cache does not serve answers of an older model under the same name and path.
/// </summary>
public interface ITeacherCacheIdentity
{
    /// <summary>Text folded into every cache key of the teacher.</summary>
    string CacheIdentity { get; }
}
