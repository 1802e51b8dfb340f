using System.CommandLine;
using System.Text.Json;
using LLMDistill.Cli.Commands;
using LLMDistill.Data;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Generation;

public sealed class GenerateCommandTests
{
    [Fact]
    public async Task Generate_ThenMerge_ThroughTheCommandLine()
    {
        using var harness = new GenerationHarness();
        var config = Path.Combine(harness.Root, "appsettings.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            Generate = new
            {
                TargetSamples = 10,
                ExpandTeacher = "expander",
                AnswerTeachers = new[] { "answerer" },
                JudgeTeacher = "judge",
                PromptsDirectory = Path.Combine(SharedPaths.RepoRoot, "prompts"),
                Seeds = new[] { Path.Combine(harness.Root, "seeds", "test.jsonl") },
                Pipeline = new { ProgressIntervalSeconds = 0.1 },
            },
        }));
        var output = harness.Output("cli");

        var exit = await Invoke(GenerateCommand.Create((_, _) => GenerationHarness.Teachers()), "generate", "--config", config, "--out", output, "--Generate:Expand:RequestsPerRound=3");

        Assert.Equal(0, exit);
        var manifest = DatasetDirectory.TryReadManifest(output)!;
        Assert.True(manifest.Complete);
        Assert.Equal(10, manifest.Counts["kept"]);

        var changed = await Invoke(GenerateCommand.Create((_, _) => GenerationHarness.Teachers()), "generate", "--config", config, "--out", output, "--Generate:Expand:RequestsPerRound=4");
        Assert.Equal(1, changed); // a changed config is refused without --restart

        var merged = harness.Output("merged");
        Assert.Equal(0, await Invoke(MergeCommand.Create((_, _) => GenerationHarness.Teachers()), "merge", output, output, "--out", merged, "--config", config));
        Assert.Equal(10, DatasetDirectory.TryReadManifest(merged)!.Counts["kept"]);
        var bare = Path.Combine(harness.Root, "bare.json");
        File.WriteAllText(bare, "{}");
        Assert.Equal(0, await Invoke(MergeCommand.Create((_, _) => GenerationHarness.Teachers()), "merge", output, "--out", harness.Output("merged2"), "--config", bare)); // merge needs no teachers
    }

    [Fact]
    public async Task Generate_BadConfigValue_FailsWithTheKey()
    {
        using var harness = new GenerationHarness();
        var error = new StringWriter();
        var original = Console.Error;
        int exit;
        try
        {
            Console.SetError(error);
            exit = await Invoke(GenerateCommand.Create((_, _) => GenerationHarness.Teachers()), "generate", "--Generate:TargetSamples=0", "--Generate:ExpandTeacher=e", "--Generate:AnswerTeachers:0=a");
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Equal(1, exit);
        Assert.Contains("Generate:TargetSamples", error.ToString(), StringComparison.Ordinal);
    }

    private static Task<int> Invoke(Command command, params string[] args)
    {
        var root = new RootCommand { command };
        return root.Parse(args).InvokeAsync();
    }
}
