namespace LLMDistill.Inference;

/// <summary>
/// One sequence being decoded: its request, random stream, tokens so far and how it ended. The observer runs on the
/// decoding thread with every new token and may end the row early (a stop string); a failing observer or a cancelled
/// token ends only this row.
/// </summary>
internal sealed class DecodeRow
{
    private readonly HashSet<int> _stops;
    private readonly List<GeneratedToken> _tokens;
    private readonly Func<GenerationStep, bool>? _observer;

    /// <summary>Creates a row.</summary>
    /// <param name="index">The request's index in its submission (<see cref="GenerationStep.RequestIndex"/>).</param>
    /// <param name="request">The prompt and sampling parameters (validated).</param>
    /// <param name="defaultStopIds">Stop ids when the request leaves them null.</param>
    /// <param name="observer">Called with every new token; returns true to end the row now (finish reason stop).</param>
    /// <param name="cancellationToken">Ends the row (as failed with <see cref="OperationCanceledException"/>) before its next token.</param>
    /// <param name="owner">The submission this row belongs to, for the scheduler.</param>
    public DecodeRow(int index, GenerationRequest request, IReadOnlyList<int> defaultStopIds, Func<GenerationStep, bool>? observer, CancellationToken cancellationToken, object? owner = null)
    {
        Index = index;
        Request = request;
        Seed = request.Sampling.Seed ?? CounterRng.NewSeed();
        _stops = [.. request.Sampling.StopTokenIds ?? defaultStopIds];
        _tokens = new List<GeneratedToken>(Math.Min(request.Sampling.MaxNewTokens, 1024));
        _observer = observer;
        CancellationToken = cancellationToken;
        Owner = owner;
    }

    public int Index { get; }

    public GenerationRequest Request { get; }

    public long Seed { get; }

    public CancellationToken CancellationToken { get; }

    public object? Owner { get; }

    public IReadOnlyList<GeneratedToken> Tokens => _tokens;

    public FinishReason? Finish { get; private set; }

    public Exception? Failure { get; private set; }

    /// <summary>Finished, failed or cancelled: it takes no more tokens.</summary>
    public bool Done => Finish is not null || Failure is not null;

    /// <summary>Appends a token, decides whether the row is finished, and tells the observer.</summary>
    public void Add(GeneratedToken token)
    {
        if (CancellationToken.IsCancellationRequested)
        {
            Fail(new OperationCanceledException(CancellationToken));
            return;
        }

        _tokens.Add(token);
        FinishReason? finish = _stops.Contains(token.Id) ? FinishReason.Stop
            : _tokens.Count >= Request.Sampling.MaxNewTokens ? FinishReason.Length
            : null;
        try
        {
            if (_observer?.Invoke(new GenerationStep(Index, token, finish)) == true && finish is null)
            {
                finish = FinishReason.Stop;
            }
        }
#pragma warning disable CA1031 // an observer's failure ends its own row, never the rest of the batch
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(ex);
            return;
        }

        Finish = finish;
    }

    /// <summary>Ends the row with an error (cancellation, a failing observer, a failed forward pass).</summary>
    public void Fail(Exception failure) => Failure ??= failure;

    /// <summary>The row's result (once finished).</summary>
    public GenerationResult ToResult() => new(Request.PromptIds, [.. _tokens], Finish ?? FinishReason.Length);
}
