using System.Text.Json;
using LLMDistill.Data;
using LLMDistill.Generation;
using LLMDistill.Teachers;
using Microsoft.Extensions.Logging.Abstractions;

namespace LLMDistill.Tests.Fixtures;

/// <summary>A temporary working directory with seeds, the repository's prompts, and helpers to run the pipeline.</summary>
internal sealed class GenerationHarness : IDisposable
{
    public GenerationHarness(TeacherMode mode = TeacherMode.Chat, int seedCount = 12)
    {
        Root = Path.Combine(Path.GetTempPath(), "llmd-gen-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(Root, "seeds"));
        var lines = Enumerable.Range(0, seedCount).Select(i => mode == TeacherMode.Chat
            ? JsonSerializer.Serialize(new { id = $"s{i:D2}", category = i % 3 == 0 ? "writing" : i % 3 == 1 ? "reasoning" : "coding", instruction = SeedInstructions[i % SeedInstructions.Length] + (i >= SeedInstructions.Length ? $" (variant {i})" : "") })
            : JsonSerializer.Serialize(new { id = $"o{i:D2}", mode = "completion", category = "speech", prompt = $"{SeedSpeakers[i % SeedSpeakers.Length]}:\nThe {SeedWords[i % SeedWords.Length]} of {SeedWords[(i * 7 + 3) % SeedWords.Length]} is {SeedWords[(i * 3 + 1) % SeedWords.Length]} tonight,\n" }));
        File.WriteAllLines(Path.Combine(Root, "seeds", "test.jsonl"), lines);
    }

    public string Root { get; }

    public string Output(string name = "out") => Path.Combine(Root, name);

    public GenerateOptions Options(TeacherMode mode = TeacherMode.Chat, int target = 40, string output = "out")
    {
        var options = new GenerateOptions
        {
            Mode = mode,
            PromptsDirectory = Path.Combine(SharedPaths.RepoRoot, "prompts"),
            OutputDirectory = output,
            TargetSamples = target,
            ExpandTeacher = "expander",
            JudgeTeacher = "judge",
        };
        options.Seeds.Add("seeds/*.jsonl");
        options.AnswerTeachers.Add("answerer");
        options.Expand.RequestsPerRound = 4;
        options.Expand.TasksPerRequest = 6;
        options.Pipeline.ExpandParallelism = 2;
        options.Pipeline.AnswerParallelism = 4;
        options.Pipeline.ScoreParallelism = 3;
        options.Pipeline.ChannelCapacity = 4;
        options.Pipeline.ReorderWindow = 16;
        options.Pipeline.FlushEvery = 3;
        options.Pipeline.ShardSize = 15;
        options.Pipeline.ShutdownGraceSeconds = 0;
        return options;
    }

    public static FakeTeacherFactory Teachers(int jitterSeed = 1, params string[] extraAnswerers)
        => new([new FakeTeacher("expander", jitterSeed: jitterSeed), new FakeTeacher("answerer", jitterSeed: jitterSeed + 1), new FakeTeacher("judge", jitterSeed: jitterSeed + 2),
            .. extraAnswerers.Select((n, i) => new FakeTeacher(n, jitterSeed: jitterSeed + 3 + i))]);

    public Task<GenerationResult> RunAsync(GenerateOptions options, FakeTeacherFactory teachers, bool restart = false, CancellationToken cancellationToken = default)
        => new GenerationPipeline(options, teachers, NullLogger<GenerationPipeline>.Instance).RunAsync(Root, restart, cancellationToken);

    public static async Task<List<DistillationSample>> SamplesAsync(string directory)
        => [.. await DatasetDirectory.Open(directory).ReadAllSamplesAsync(CancellationToken.None)];

    public static async Task<List<RejectedSample>> RejectedAsync(string directory)
    {
        var list = new List<RejectedSample>();
        await foreach (var r in DatasetDirectory.Open(directory).ReadRejectedAsync(CancellationToken.None))
        {
            list.Add(r);
        }

        return list;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory left behind does not fail a test
        }
    }

    private static readonly string[] SeedInstructions =
    [
        "Write a short thank-you note to a neighbour who fixed your fence.",
        "Explain why the moon shows phases, for a ten-year-old.",
        "Write a Python function that reverses the words of a sentence.",
        "List four ways to save water at home.",
        "Is this review positive or negative? The soup was cold and late.",
        "Extract the city names from: I flew from Oslo to Lima via Madrid.",
        "Summarise the plot of a heist film in two sentences.",
        "Compare trains and buses for a 300 km trip.",
        "Plan a three-day hiking trip with a packing list.",
        "What is 17 multiplied by 23? Show your working.",
        "Rewrite this sentence formally: gonna be late, sorry.",
        "Suggest names for a cafe that also sells books.",
    ];

    private static readonly string[] SeedSpeakers = ["ROMEO", "JULIET", "HAMLET", "MACBETH", "PORTIA", "BRUTUS"];
    private static readonly string[] SeedWords = ["night", "crown", "sword", "love", "grief", "honour", "storm", "heaven", "dream", "fortune", "shadow"];
}
