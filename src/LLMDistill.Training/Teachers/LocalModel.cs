using System.Diagnostics;
using LLMDistill.Checkpoints;
using LLMDistill.Inference;
using LLMDistill.Model;
using LLMDistill.Tokenization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LLMDistill.Teachers;

/// <summary>
/// An in-process model ready to answer requests: weights, tokenizer, chat template and a <see cref="GenerationScheduler"/>
/// so that concurrent callers share batched forward passes. The engine behind the <c>local</c> teacher
/// (<see cref="LocalTeacher"/>) and <c>llmdistill serve</c>. Thread-safe.
/// </summary>
public sealed partial class LocalModel : IDisposable
{
    private readonly LlamaForCausalLM _model;
    private readonly TokenDescriber _describer;
    private readonly HashSet<int> _stopIds;

    private LocalModel(LocalModelOptions options, LlamaForCausalLM model, ModelTokenizer tokenizer, IReadOnlyList<int> stopIds, ILogger logger)
    {
        _model = model;
        Tokenizer = tokenizer;
        _describer = new TokenDescriber(tokenizer);
        _stopIds = [.. stopIds];
        Directory = Path.GetFullPath(options.Directory);
        Name = string.IsNullOrWhiteSpace(options.Name) ? new DirectoryInfo(Directory).Name : options.Name;
        Scheduler = new GenerationScheduler(model, [.. _stopIds], options.Scheduler, logger);
        ChatTemplateName = TemplateName(tokenizer);
        Device = options.Device;
        Dtype = options.Dtype;
        Fingerprint = ModelFingerprint.Compute(Directory, options.Dtype, ChatTemplateName);
    }

    /// <summary>The model's name in responses.</summary>
    public string Name { get; }

    /// <summary>The model directory (absolute).</summary>
    public string Directory { get; }

    /// <summary>The chat template's name (<c>chatml</c>, <c>llama3</c>, <c>plain</c>), or <c>unsupported</c> when the model's own is of an unknown family.</summary>
    public string ChatTemplateName { get; }

    /// <summary>Where the model runs.</summary>
    public TorchSharp.torch.Device Device { get; }

    /// <summary>The weights' dtype.</summary>
    public TorchSharp.torch.ScalarType Dtype { get; }

    /// <summary>The tokenizer.</summary>
    public ModelTokenizer Tokenizer { get; }

    /// <summary>Most positions (prompt plus generated tokens) the model takes: <c>max_position_embeddings</c>.</summary>
    public int ContextLength => _model.Config.MaxPositionEmbeddings;

    /// <summary>Ids that end a choice: generation config and tokenizer EOS ids, and the chat template's end-of-turn token.</summary>
    public IReadOnlyCollection<int> StopTokenIds => _stopIds;

    /// <summary>The batching scheduler (statistics, options).</summary>
    public GenerationScheduler Scheduler { get; }

    /// <summary>A hash of the weights, tokenizer, dtype and chat template: a new model never reuses an old model's cached answers.</summary>
    public string Fingerprint { get; }

    /// <summary>Loads the model, tokenizer and generation config, off the calling thread.</summary>
    /// <param name="options">Directory, device, dtype, chat template and batching.</param>
    /// <param name="logger">Logs loading and failed passes; null for none.</param>
    /// <param name="cancellationToken">Cancels before loading starts.</param>
    /// <returns>The ready model.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">A required file is missing.</exception>
    /// <exception cref="InvalidDataException">A malformed file; the message names it.</exception>
    public static Task<LocalModel> LoadAsync(LocalModelOptions options, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Scheduler.Validate();
        var log = logger ?? NullLogger.Instance;
        return Task.Run(
            () =>
            {
                var clock = Stopwatch.StartNew();
                var tokenizer = ModelTokenizer.Load(options.Directory, options.ChatTemplate);
                var model = HfCheckpoint.Load(options.Directory, options.Device, options.Dtype);
                try
                {
                    var stops = HfGenerationConfig.Load(options.Directory, model.Config).StopTokenIds(model.Config).Concat(tokenizer.StopTokenIds).Distinct().ToArray();
                    var local = new LocalModel(options, model, tokenizer, stops, log);
                    Loaded(log, local.Name, local.Device, local.Dtype, local.ChatTemplateName, options.Scheduler.MaxBatchSize, options.Scheduler.Mode, clock.Elapsed.TotalSeconds);
                    return local;
                }
                catch
                {
                    model.Dispose();
                    throw;
                }
            },
            cancellationToken);
    }

    /// <summary>Encodes a completion prompt as Hugging Face's <c>encode(text)</c> does (with BOS when the tokenizer adds one).</summary>
    /// <param name="prompt">The prompt text.</param>
    /// <returns>The ids.</returns>
    public IReadOnlyList<int> EncodePrompt(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return Tokenizer.Encode(prompt, Tokenizer.AddBosToken);
    }

    /// <summary>Renders a conversation with the chat template (and the assistant's generation prompt) and encodes it.</summary>
    /// <param name="messages">The conversation.</param>
    /// <returns>The prompt ids.</returns>
    /// <exception cref="ArgumentException">A malformed message, or a role the template cannot express.</exception>
    /// <exception cref="NotSupportedException">The model's chat template is of an unsupported family (choose one in the options).</exception>
    public IReadOnlyList<int> EncodeChat(IReadOnlyList<ChatTurn> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            throw new ArgumentException("messages is empty");
        }

        return Tokenizer.Encode(Tokenizer.ChatTemplate.Render(messages, addGenerationPrompt: true), addBos: false);
    }

    /// <summary>Generates the request's choices, batched with every other caller's requests.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Removes the request's sequences from the batch.</param>
    /// <returns>The choices and token counts.</returns>
    /// <exception cref="ArgumentException">An invalid parameter; the message names it.</exception>
    /// <exception cref="ContextLengthExceededException">The prompt plus <see cref="LocalCompletionRequest.MaxTokens"/> exceed <see cref="ContextLength"/>.</exception>
    /// <exception cref="SchedulerOverloadedException">Too many requests are waiting.</exception>
    public async Task<LocalCompletion> CompleteAsync(LocalCompletionRequest request, CancellationToken cancellationToken)
    {
        var (rows, assemblers) = Prepare(request);
        var results = await Scheduler.GenerateAsync(rows, step => Observe(assemblers[step.RequestIndex], step, null), cancellationToken);
        var choices = results.Select((result, i) =>
        {
            var assembler = assemblers[i];
            return new LocalChoice(i, assembler.Text, Reason(result.FinishReason), assembler.Ids.ToArray(), assembler.Logprobs, assembler.TextOffsets);
        }).ToArray();
        return new LocalCompletion(choices, request.PromptIds.Count, choices.Sum(c => c.TokenIds.Count));
    }

    /// <summary>Checks a request without running it (what <see cref="CompleteAsync"/> and <see cref="StreamAsync"/> would reject), so a server can answer with an error before it starts streaming.</summary>
    /// <param name="request">The request.</param>
    /// <exception cref="ArgumentException">An invalid parameter; the message names it.</exception>
    /// <exception cref="ContextLengthExceededException">The request does not fit the context.</exception>
    public void Validate(LocalCompletionRequest request) => _ = Prepare(request);

    /// <summary>Disposes the scheduler (waiting requests fail) and the weights.</summary>
    public void Dispose()
    {
        Scheduler.Dispose();
        _model.Dispose();
    }

    private (GenerationRequest[] Rows, ChoiceAssembler[] Assemblers) Prepare(LocalCompletionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PromptIds is null || request.PromptIds.Count == 0)
        {
            throw new ArgumentException("the prompt is empty (it has no tokens)");
        }

        if (request.N is < 1 or > MaxChoices)
        {
            throw new ArgumentException($"n must be between 1 and {MaxChoices} (got {request.N})");
        }

        if (request.MaxTokens < 1)
        {
            throw new ArgumentException($"max_tokens must be at least 1 (got {request.MaxTokens})");
        }

        if (request.TopLogprobs < 0 || request.TopLogprobs > Tokenizer.VocabSize)
        {
            throw new ArgumentException($"top_logprobs must be between 0 and {Tokenizer.VocabSize} (got {request.TopLogprobs})");
        }

        if ((long)request.PromptIds.Count + request.MaxTokens > ContextLength)
        {
            throw new ContextLengthExceededException(
                $"this model's context is {ContextLength} tokens, but the prompt has {request.PromptIds.Count} tokens and {request.MaxTokens} were asked for ({request.PromptIds.Count + (long)request.MaxTokens} in all); shorten the prompt or lower max_tokens");
        }

        var stopIds = new HashSet<int>(_stopIds);
        var stopStrings = new List<string>();
        foreach (var stop in request.Stop ?? [])
        {
            if (string.IsNullOrEmpty(stop))
            {
                throw new ArgumentException("stop strings must not be empty");
            }

            // A special token never appears in the text, so a stop string that is one stops on its id.
            if (Tokenizer.TokenId(stop) is { } id && Tokenizer.IsSpecialToken(id))
            {
                stopIds.Add(id);
            }
            else
            {
                stopStrings.Add(stop);
            }
        }

        foreach (var id in request.StopTokenIds ?? [])
        {
            stopIds.Add(id is >= 0 && id < Tokenizer.VocabSize ? id : throw new ArgumentException($"stop token id {id} is outside the vocabulary [0, {Tokenizer.VocabSize})"));
        }

        var stops = stopIds.ToArray();
        var rows = Enumerable.Range(0, request.N).Select(i => new GenerationRequest(
            request.PromptIds,
            new DecodingParameters(request.MaxTokens, request.Temperature, request.TopK, request.TopP, request.Seed + i, stops, request.Logprobs, request.TopLogprobs))).ToArray();
        GenerationValidation.Validate(rows, _model.Config.VocabSize);
        var wantsLogprobs = request.Logprobs || request.TopLogprobs > 0;
        var assemblers = rows.Select(_ => new ChoiceAssembler(Tokenizer, _describer, stopStrings, stopIds, wantsLogprobs)).ToArray();
        return (rows, assemblers);
    }

    /// <summary>Runs on the decoding thread for each token: builds the text, checks stop strings, and hands out stream pieces.</summary>
    private static bool Observe(ChoiceAssembler assembler, GenerationStep step, Action<LocalCompletionDelta>? emit)
    {
        var stopped = assembler.Add(step.Token);
        FinishReason? finish = step.FinishReason ?? (stopped ? FinishReason.Stop : null);
        if (finish is not null)
        {
            assembler.Complete();
        }

        if (emit is not null)
        {
            var (text, logprobs, offsets) = assembler.Release();
            if (text.Length > 0 || logprobs.Count > 0 || finish is not null)
            {
                emit(new LocalCompletionDelta(step.RequestIndex, text, logprobs, offsets, finish is { } f ? Reason(f) : null, finish is null ? null : assembler.TokenCount));
            }
        }

        return stopped;
    }

    private static string Reason(FinishReason reason) => reason == FinishReason.Stop ? "stop" : "length";

    private static string TemplateName(ModelTokenizer tokenizer)
    {
        try
        {
            return tokenizer.ChatTemplate.Name;
        }
        catch (NotSupportedException)
        {
            return "unsupported";
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded model {Name} on {Device} ({Dtype}, chat template {Template}, batches of up to {MaxBatchSize}, {Mode} batching) in {Seconds:F1} s")]
    private static partial void Loaded(ILogger logger, string name, TorchSharp.torch.Device device, TorchSharp.torch.ScalarType dtype, string template, int maxBatchSize, BatchingMode mode, double seconds);
}
