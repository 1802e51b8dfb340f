using System.Diagnostics;
using System.Text.Json;
using LLMDistill.Tests.Checkpoints;
using LLMDistill.Tests.Fixtures;
using LLMDistill.Training.Checkpointing;

namespace LLMDistill.Tests.Training;

/// <summary><c>llmdistill train</c> as a separate process: option errors, and a real kill followed by <c>--resume</c>.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Train_BadOption_ExitsWithOneLineNamingTheKey()
    {
        var config = WriteConfig("bad", steps: 5, ("BatchSize", 0));

        var (exit, _, stderr) = CliProcess.Run("train", "--config", config);

        Assert.Equal(1, exit);
        CliProcess.AssertOneErrorLine(stderr, "Train:BatchSize");
    }

    [Fact]
    public void Train_MissingData_ExitsWithOneLineNamingTheFile()
    {
        var config = WriteConfig("nodata", steps: 5);

        var (exit, _, stderr) = CliProcess.Run("train", "--config", config, "--Train:Data:Path=" + _dir.File("absent.txt"));

        Assert.Equal(1, exit);
        CliProcess.AssertOneErrorLine(stderr, "Train:Data:Path: '" + _dir.File("absent.txt") + "' does not exist");
    }

    [Fact]
    public void Train_KilledAfterACheckpointThenResumed_MetricsEqualAnUninterruptedRun()
    {
        const int steps = 40;
        var uninterrupted = WriteConfig("full", steps);
        var (exit, stdout, stderr) = CliProcess.Run("train", "--config", uninterrupted);
        Assert.True(exit == 0, stderr);
        Assert.Contains("student: ", stdout, StringComparison.Ordinal);
        Assert.Contains("step     40/40 | loss", stdout, StringComparison.Ordinal);

        var killed = WriteConfig("killed", steps);
        var output = _dir.File("killed");
        KillAfterFirstCheckpoint(killed, Path.Combine(output, "checkpoints", TrainingCheckpoint.LatestFile));
        var (resumeExit, _, resumeError) = CliProcess.Run("train", "--config", killed, "--resume", "latest");

        Assert.True(resumeExit == 0, resumeError);
        ResumeTests.AssertSameCurve(_dir.File("full"), output);
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Train_SignalDuringTraining_SavesACheckpointAndExits130(string signal)
    {
        // No periodic checkpoint: the one found afterwards can only be the checkpoint saved on cancel.
        var config = WriteConfig("signal-" + signal, steps: 100_000, ("CheckpointEvery", 0), ("EvalEvery", 0));
        var latest = Path.Combine(_dir.File("signal-" + signal), "checkpoints", TrainingCheckpoint.LatestFile);
        using var process = Process.Start(CliProcess.StartInfo(["train", "--config", config]))!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stepped = false;
            while (!stepped && await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
            {
                stepped = line.StartsWith("step ", StringComparison.Ordinal);
            }

            if (!stepped)
            {
                Assert.Fail("train ended before its first step: " + await stderr);
            }

            ProcessSignals.Send(process.Id, ProcessSignals.Deliverable(signal));
            var rest = process.StandardOutput.ReadToEndAsync();

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(130, process.ExitCode);
            Assert.Equal("llmdistill: cancelled", (await stderr).Trim().Split('\n')[^1]);
            Assert.Contains("checkpoint: ", await rest, StringComparison.Ordinal);
            Assert.True(File.Exists(latest), "no checkpoint was saved on cancel");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true); // a failed test leaves no training process behind
            }
        }
    }

    private static void KillAfterFirstCheckpoint(string config, string latest)
    {
        using var process = Process.Start(CliProcess.StartInfo(["train", "--config", config]))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!File.Exists(latest) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(10);
        }

        Assert.True(File.Exists(latest), "no checkpoint was written before the process ended");
        Assert.False(process.HasExited, "the run finished before it could be killed; give it more steps");
        process.Kill(entireProcessTree: true); // SIGKILL: no chance to save anything more
        process.WaitForExit();
    }

    private string WriteConfig(string name, int steps, params (string Key, object Value)[] overrides)
    {
        var train = new Dictionary<string, object?>
        {
            ["OutputDirectory"] = _dir.File(name),
            ["Teacher"] = TrainingRuns.Teacher,
            ["Device"] = "cpu",
            ["Steps"] = steps,
            ["Seed"] = 5,
            ["BatchSize"] = 2,
            ["SequenceLength"] = 40,
            ["LogEvery"] = 1,
            ["EvalEvery"] = 10,
            ["EvalRows"] = 4,
            ["CheckpointEvery"] = 3,
            ["LearningRate"] = new Dictionary<string, object> { ["LearningRate"] = 0.005, ["WarmupSteps"] = 2 },
            ["Student"] = new Dictionary<string, object> { ["Layers"] = 1, ["HiddenSize"] = 32, ["Heads"] = 2, ["KeyValueHeads"] = 1 },
            ["Data"] = new Dictionary<string, object> { ["Path"] = TrainingRuns.WriteText(_dir.File("text.txt"), 8000) },
        };
        foreach (var (key, value) in overrides)
        {
            train[key] = value;
        }

        var path = _dir.File(name + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object> { ["Train"] = train }));
        return path;
    }
}
