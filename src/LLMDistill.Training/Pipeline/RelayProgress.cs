namespace LLMDistill.Pipeline;

/// <summary>An <see cref="IProgress{T}"/> that calls its action on the reporting thread (unlike <see cref="Progress{T}"/>, which posts).</summary>
internal sealed class RelayProgress<T>(Action<T> action) : IProgress<T>
{
    public void Report(T value) => action(value);
}
