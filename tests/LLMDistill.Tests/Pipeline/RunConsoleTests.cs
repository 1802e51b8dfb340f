using LLMDistill.Cli.Commands.Run;
using LLMDistill.Evaluation;
using LLMDistill.Pipeline;
using LLMDistill.Training;
using LLMDistill.Training.Metrics;

namespace LLMDistill.Tests.Pipeline;

public sealed class RunConsoleTests
{
    [Fact]
    public void Report_StagesAndTheirOwnProgress_OneLineEachWithStageAndJobTime()
    {
        using var output = new StringWriter { NewLine = "\n" };
        var console = new RunConsole(output);
        var at = TimeSpan.FromSeconds(75);
        var step = new TrainingMetrics(20, TrainingMetrics.TrainSplit, 1.5, new Dictionary<string, double> { ["forward_kl"] = 1.5 }, 1e-3, 1, null, 0.5, 6000, 10);

        console.Report(new JobProgress(1, 7, "generate", JobProgressKind.Skipped, at, "complete for this configuration (abc)"));
        console.Report(new JobProgress(3, 7, "train kd", JobProgressKind.Started, at));
        console.Report(new JobProgress(3, 7, "train kd", JobProgressKind.Progress, at, Training: new TrainingProgress(TrainingProgressKind.Step, 20, 300, step, 42)));
        console.Report(new JobProgress(3, 7, "train kd", JobProgressKind.Progress, at, Training: new TrainingProgress(TrainingProgressKind.Checkpoint, 20, 300, Message: "ck")));
        console.Report(new JobProgress(7, 7, "eval", JobProgressKind.Progress, at, Evaluation: new EvaluationProgress("token-level", 1, 4)));
        console.Report(new JobProgress(7, 7, "eval", JobProgressKind.Progress, at, Evaluation: new EvaluationProgress("token-level", 2, 4)));
        console.Report(new JobProgress(7, 7, "eval", JobProgressKind.Completed, at, "report r.md"));

        Assert.Equal(
            [
                "[1/7 generate | 1m15s] skipped: complete for this configuration (abc)",
                "[3/7 train kd | 1m15s] started",
                "[3/7 train kd | 1m15s] step     20/300 | loss 1.5000 | lr 1.00E-003 | grad-norm 0.500 | 6000 tok/s | eta 0:42",
                "[3/7 train kd | 1m15s] checkpoint: ck",
                "[7/7 eval | 1m15s] eval: token-level",
                "[7/7 eval | 1m15s] done: report r.md",
            ],
            output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
