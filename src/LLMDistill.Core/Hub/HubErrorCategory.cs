namespace LLMDistill.Hub;

/// <summary>Why a Hub operation failed, so callers can react without parsing messages.</summary>
public enum HubErrorCategory
{
    /// <summary>401/403: a private or gated repository, or a rejected token. Not retried.</summary>
    Authentication,

    /// <summary>404: the repository, revision or file does not exist. Not retried.</summary>
    NotFound,

    /// <summary>The Hub cannot be reached (DNS failure, connection refused) or <c>HF_HUB_OFFLINE</c> is set and the cache lacks the model.</summary>
    Offline,

    /// <summary>408/429/5xx answers, timeouts or dropped connections that persisted through all retries.</summary>
    Unavailable,

    /// <summary>A downloaded file's size or checksum differs from the Hub's metadata; the bad data was deleted.</summary>
    ChecksumMismatch,

    /// <summary>The Hub's answer could not be understood (malformed JSON, missing fields, unsafe file names, other HTTP errors).</summary>
    InvalidResponse,

    /// <summary>The local cache cannot be used (not writable, locked by another download, a file in the way).</summary>
    Cache,
}
