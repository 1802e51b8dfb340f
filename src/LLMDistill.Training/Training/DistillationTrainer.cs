using System.Globalization;
using System.Reflection;
using LLMDistill.Checkpoints;
using LLMDistill.Model;
using LLMDistill.Training.Checkpointing;
using LLMDistill.Training.Data;
using LLMDistill.Training.Distillation;
using LLMDistill.Training.Metrics;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace LLMDistill.Training;

/// <summary>
/// The training loop over a loaded <see cref="TrainingSession"/>: micro-batches with gradient accumulation, the optimizer
/// step on the schedule's learning rate, metrics every <c>LogEvery</c> steps, held-out evaluation, checkpoints and the
/// final export. Runs on one thread; every step inside a dispose scope.
/// </summary>
internal sealed class DistillationTrainer(TrainingSession session, ILogger logger, TimeProvider time, IProgress<TrainingProgress>? progress)
{
    private readonly ObjectiveSchedule _objectives = new(session.Options.Loss);
    private long _tokens = session.TokensSeen;
    private long _start;
    private long _intervalTokens;
    private long _intervalSteps;
    private double _intervalSeconds;
    private long _lastEvalStep = -1;
    private long _lastCheckpointStep = -1;
    private string? _lastCheckpoint;
    private TrainingMetrics? _lastTrain;
    private TrainingMetrics? _lastEval;

    private double Elapsed => session.ElapsedSeconds + time.GetElapsedTime(_start).TotalSeconds;

    public TrainingResult Run(CancellationToken cancellationToken)
    {
        var o = session.Options;
        TrainingCheckpoint.RemoveIncomplete(session.CheckpointRoot);
        using var metrics = new MetricsFiles(o.OutputDirectory, session.ResumedFrom is null ? null : session.StartStep);
        _start = time.GetTimestamp();
        var step = session.StartStep;
        var summary = TrainingSummary.Describe(session);
        TrainerLog.Started(logger, summary);
        progress?.Report(new TrainingProgress(TrainingProgressKind.Started, step, o.Steps, Message: summary));
        if (session.ResumedFrom is { } from)
        {
            TrainerLog.Resumed(logger, from, step);
            _lastCheckpointStep = step;
            _lastCheckpoint = from;
            _lastEvalStep = (o.EvalEvery > 0 && step % o.EvalEvery == 0) || step >= o.Steps ? step : -1; // already in the kept metrics
        }
        else if (o.EvalEvery > 0 && session.Evaluator.HasData)
        {
            Evaluate(step, metrics); // the starting point of the held-out curves
        }

        while (step < o.Steps)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                if (o.CheckpointOnCancel && step > _lastCheckpointStep)
                {
                    SaveCheckpoint(step);
                }

                TrainerLog.Cancelled(logger, step, _lastCheckpoint ?? "no checkpoint");
                cancellationToken.ThrowIfCancellationRequested();
            }

            TrainStep(step, metrics);
            step++;
            if (o.EvalEvery > 0 && step % o.EvalEvery == 0 && session.Evaluator.HasData)
            {
                Evaluate(step, metrics);
            }

            if (o.CheckpointEvery > 0 && step % o.CheckpointEvery == 0)
            {
                SaveCheckpoint(step);
            }
        }

        if (_lastEvalStep != step && session.Evaluator.HasData)
        {
            Evaluate(step, metrics);
        }

        if (_lastCheckpointStep != step)
        {
            SaveCheckpoint(step);
        }

        var student = Export();
        TrainerLog.Completed(logger, student, step, Elapsed);
        progress?.Report(new TrainingProgress(TrainingProgressKind.Completed, step, o.Steps, Message: student));
        return new TrainingResult(step, o.OutputDirectory, student, _lastCheckpoint!, _lastTrain, _lastEval, _tokens, Elapsed);
    }

    private void TrainStep(long step, MetricsFiles metrics)
    {
        var o = session.Options;
        var began = time.GetTimestamp();
        var learningRate = o.LearningRate.At(step);
        var objective = _objectives.At(step, out var temperature, out var alpha);
        using var scope = NewDisposeScope();
        Tensor? lossSum = null;
        var partSums = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (var micro = 0; micro < o.GradientAccumulationSteps; micro++)
        {
            var rows = NextRows(step, micro);
            using (var microScope = NewDisposeScope())
            {
                var batch = BatchBuilder.Build(rows, session.PadId, session.Corpus.TopKSlots, session.Device);
                var loss = session.Losses.Compute(batch, objective);

                // Gradients of the micro-batches add up (a sum), but the step's objective is their mean, as with one
                // large batch: scale each micro-batch's loss by 1/accumulation before backward.
                (loss.Total / o.GradientAccumulationSteps).backward();
                lossSum = Accumulate(lossSum, loss.Total);
                foreach (var (name, part) in loss.Parts)
                {
                    partSums[name] = Accumulate(partSums.GetValueOrDefault(name), part);
                }

                _tokens += batch.Tokens;
                _intervalTokens += batch.Tokens;
            }

            session.Optimizer.AccumulateGradients();
        }

        var gradNorm = session.Optimizer.Step(learningRate, o.MaxGradNorm);
        var done = step + 1;
        _intervalSteps++;
        _intervalSeconds += time.GetElapsedTime(began).TotalSeconds;
        if (done % o.LogEvery != 0 && done != o.Steps)
        {
            return;
        }

        // The only host reads of the step's loss values: once per logged step.
        var n = (double)o.GradientAccumulationSteps;
        var parts = partSums.ToDictionary(p => p.Key, p => p.Value.item<float>() / n, StringComparer.Ordinal);
        var tokensPerSecond = _intervalTokens / Math.Max(_intervalSeconds, 1e-9);
        var eta = (o.Steps - done) * _intervalSeconds / _intervalSteps;
        var record = new TrainingMetrics(done, TrainingMetrics.TrainSplit, lossSum!.item<float>() / n, parts, learningRate, temperature, alpha, gradNorm, tokensPerSecond, Elapsed);
        metrics.Write(record);
        _lastTrain = record;
        (_intervalTokens, _intervalSteps, _intervalSeconds) = (0, 0, 0);
        TrainerLog.Step(logger, done, o.Steps, record.Loss, learningRate, gradNorm, tokensPerSecond, eta);
        progress?.Report(new TrainingProgress(TrainingProgressKind.Step, done, o.Steps, record, eta));
    }

    private TrainingExample[][] NextRows(long step, int micro)
    {
        var rows = session.Cursor.Next();
        if (session.OnPolicy is not { } onPolicy || !onPolicy.IsOnPolicy(step, micro))
        {
            return rows;
        }

        // A step is atomic (its data position is already consumed), so generation is not cancelled half-way.
        session.Compute.eval();
        var generated = onPolicy.Generate(rows.SelectMany(r => r).ToList(), step, micro, CancellationToken.None);
        session.Compute.train();
        return [.. SequencePacker.Pack(generated, Enumerable.Range(0, generated.Count), session.Options.SequenceLength, session.Options.Batching)];
    }

    private void Evaluate(long step, MetricsFiles metrics)
    {
        var o = session.Options;
        var began = time.GetTimestamp();
        var objective = _objectives.At(step, out var temperature, out var alpha);
        var (loss, parts, tokens) = session.Evaluator.Run(objective);
        var seconds = time.GetElapsedTime(began).TotalSeconds;
        var record = new TrainingMetrics(step, TrainingMetrics.EvalSplit, loss, parts, o.LearningRate.At(step), temperature, alpha, null, tokens / Math.Max(seconds, 1e-9), Elapsed);
        metrics.Write(record);
        _lastEval = record;
        _lastEvalStep = step;
        var partsText = string.Join(" ", parts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value:F4}")));
        TrainerLog.Evaluated(logger, step, loss, partsText);
        progress?.Report(new TrainingProgress(TrainingProgressKind.Evaluation, step, o.Steps, record));
    }

    private void SaveCheckpoint(long step)
    {
        var o = session.Options;
        var state = new TrainerState(
            TrainerState.CurrentFormatVersion,
            step,
            session.Cursor.Epoch,
            session.Cursor.Batch,
            _tokens,
            Elapsed,
            o.Seed,
            ModelDtypes.Name(session.Compute.Dtype),
            o.Teacher is null ? null : Path.GetFullPath(o.Teacher),
            Path.GetFullPath(session.TokenizerDirectory),
            session.Trajectory,
            typeof(DistillationTrainer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            time.GetUtcNow(),
            session.Distiller is not null);
        _lastCheckpoint = TrainingCheckpoint.Save(session.CheckpointRoot, state, session.Master, session.TokenizerDirectory, session.Optimizer, session.Distiller, o.KeepCheckpoints);
        _lastCheckpointStep = step;
        TrainerLog.CheckpointSaved(logger, step, _lastCheckpoint);
        progress?.Report(new TrainingProgress(TrainingProgressKind.Checkpoint, step, o.Steps, Message: _lastCheckpoint));
    }

    /// <summary>Writes the student (float32 master weights, no FitNets regressors) in the Hugging Face layout, atomically.</summary>
    private string Export()
    {
        var directory = Path.Combine(session.Options.OutputDirectory, "student");
        var temp = Path.Combine(session.Options.OutputDirectory, $".tmp-student-{Guid.NewGuid():N}");
        HfCheckpoint.Save(session.Master, temp, session.TokenizerDirectory);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.Move(temp, directory);
        return directory;
    }

    private static Tensor Accumulate(Tensor? sum, Tensor value)
        => sum is null ? value.detach().clone().MoveToOuterDisposeScope() : sum.add_(value.detach());
}
