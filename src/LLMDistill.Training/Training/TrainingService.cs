using LLMDistill.Configuration;
using LLMDistill.Training.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LLMDistill.Training;

/// <summary>
/// Distillation training as a service: options in, an exported student out. <c>llmdistill train</c> is a thin wrapper
/// around it, and the end-to-end <c>run</c> job calls it in-process. The work runs on a dedicated thread (TorchSharp
/// dispose scopes are per thread); progress is reported synchronously on that thread.
/// </summary>
/// <param name="logger">Receives the start-up summary, one line per logged step, evaluations and checkpoints.</param>
/// <param name="timeProvider">The clock for elapsed time, throughput and ETA.</param>
public sealed class TrainingService(ILogger<TrainingService>? logger = null, TimeProvider? timeProvider = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<TrainingService>.Instance;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Trains a student as <paramref name="request"/> says, resuming from a checkpoint when asked.</summary>
    /// <param name="request">Options and resume point.</param>
    /// <param name="progress">Receives start, step, evaluation, checkpoint and completion reports; may be null.</param>
    /// <param name="cancellationToken">
    /// Stops between steps; with <c>Train:CheckpointOnCancel</c> a checkpoint of the last completed step is written first,
    /// so <c>--resume</c> continues exactly.
    /// </param>
    /// <returns>Where the student and metrics are.</returns>
    /// <exception cref="OptionsValidationException">An option is invalid or does not fit the models or data; the message names its key.</exception>
    /// <exception cref="InvalidDataException">A data file, model or checkpoint is malformed, or a resume would not be exact.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public Task<TrainingResult> RunAsync(TrainingRequest request, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        TrainOptionsReader.Validate(request.Options);
        return Task.Factory.StartNew(
            () =>
            {
                using var session = TrainingSession.Create(request, cancellationToken);
                return new DistillationTrainer(session, _logger, _time, progress).Run(cancellationToken);
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }
}
