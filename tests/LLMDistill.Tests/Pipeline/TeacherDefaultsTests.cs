using LLMDistill.Cli.Commands.Run;
using LLMDistill.Cli.Hosting;
using LLMDistill.Configuration;
using LLMDistill.Hub;
using LLMDistill.Teachers;
using LLMDistill.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LLMDistill.Tests.Pipeline;

/// <summary>The configuration defaults of <c>generate</c>/<c>run</c>/<c>train</c> and the run's start-up validation.</summary>
public sealed class TeacherDefaultsTests
{
    private static readonly string Shakespeare = SharedPaths.Model("shakespeare-4m");

    [Fact]
    public void Prepare_UnsetRoles_TakeTheDefaultTeacher_ExplicitOnesStay()
    {
        var config = Config(new() { ["Teachers:Default"] = "local", ["Teachers:local:Kind"] = "local", ["Generate:JudgeTeacher"] = "", ["Generate:ExpandTeacher"] = "other" });

        var auto = TeacherDefaults.Prepare(config);

        Assert.True(auto);
        Assert.Equal(("other", "local", "local", "", "Chat"), (config["Generate:ExpandTeacher"], config["Generate:AnswerTeachers:0"], config["Generate:ScoringTeacher"], config["Generate:JudgeTeacher"], config["Generate:Mode"]));
    }

    [Fact]
    public void Prepare_ApiDefaultTeacher_ScoresOnlyWithScoringOn_AndAnExplicitModeIsKept()
    {
        var config = Config(new() { ["Teachers:Default"] = "openai", ["Teachers:openai:Kind"] = "openai", ["Generate:Mode"] = "Completion" });
        var vllm = Config(new() { ["Teachers:Default"] = "vllm", ["Teachers:vllm:Kind"] = "openai", ["Teachers:vllm:Scoring"] = "true" });

        var auto = TeacherDefaults.Prepare(config);
        TeacherDefaults.Prepare(vllm);

        Assert.False(auto);
        Assert.Null(config["Generate:ScoringTeacher"]);
        Assert.Equal("Completion", config["Generate:Mode"]);
        Assert.Equal("vllm", vllm["Generate:ScoringTeacher"]);
    }

    [Theory]
    [InlineData("local", null, "Completion")]     // shakespeare-4m has no chat template: a base model
    [InlineData("local", "chatml", "Chat")]       // a forced template makes it a chat teacher
    [InlineData("openai", "completion", "Completion")]
    [InlineData("openai", null, "Chat")]
    public async Task ResolveModeAsync_FollowsTheAnswerTeacher(string kind, string? templateOrMode, string expected)
    {
        var config = Config(new()
        {
            ["Generate:AnswerTeachers:0"] = "t",
            ["Teachers:t:Kind"] = kind,
            ["Teachers:t:Model"] = kind == "local" ? Shakespeare : "gpt-x",
            [kind == "local" ? "Teachers:t:ChatTemplate" : "Teachers:t:Mode"] = templateOrMode,
        });
        await using var hub = ModelReferences.CreateHub(config);

        var mode = await TeacherDefaults.ResolveModeAsync(config, hub.GetRequiredService<ModelLocator>(), CancellationToken.None);

        Assert.Equal(expected, mode.ToString());
        Assert.Equal(expected, config["Generate:Mode"]);
    }

    [Fact]
    public async Task ResolveModeAsync_MissingLocalModel_NamesTheSetting()
    {
        var config = Config(new() { ["Generate:AnswerTeachers:0"] = "local", ["Teachers:local:Kind"] = "local", ["Teachers:local:Model"] = "/no/such/model" });
        await using var hub = ModelReferences.CreateHub(config);

        var ex = await Assert.ThrowsAsync<HubException>(() => TeacherDefaults.ResolveModeAsync(config, hub.GetRequiredService<ModelLocator>(), CancellationToken.None));

        Assert.StartsWith("Teachers:local:Model: model directory '/no/such/model' does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyTrainTeacher_EmptyTrainTeacher_TakesTheLocalTeachersModel_OnlyWhenLocal()
    {
        var config = Config(new() { ["Train:Teacher"] = "", ["Teachers:local:Kind"] = "local", ["Teachers:local:Model"] = "m", ["Teachers:api:Kind"] = "openai" });

        TeacherDefaults.ApplyTrainTeacher(config, "api");
        Assert.Equal("", config["Train:Teacher"]);
        TeacherDefaults.ApplyTrainTeacher(config, "local");
        Assert.Equal("m", config["Train:Teacher"]);
        config["Teachers:local:Model"] = "n";
        TeacherDefaults.ApplyTrainTeacher(config, "local");
        Assert.Equal("m", config["Train:Teacher"]);
    }

    [Fact]
    public async Task RepositoryAppSettings_EverySectionOfTheJobValidates_AndTheDefaultTeacherIsTheSmallInstructModel()
    {
        var config = RepositorySettings.Load();

        Assert.True(RunSetup.Validate(config));

        Assert.Equal("hf:HuggingFaceTB/SmolLM2-135M-Instruct", config["Teachers:local:Model"]);
        Assert.Equal("hf:HuggingFaceTB/SmolLM2-135M-Instruct", config["Train:Teacher"]);
        await using var factory = new TeacherFactory(config, [new LocalTeacherProvider()], Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System);
        Assert.Equal("local", factory.DefaultTeacher);
    }

    [Theory]
    [InlineData("Run:HeldOutFraction", "0.9", "Run:HeldOutFraction")]
    [InlineData("Run:SelectBy", "Loudness", "Run:SelectBy")]
    [InlineData("Run:Diversity:NGram", "9", "Run:Diversity:NGram")]
    [InlineData("Run:Diversity:MinDistance", "1.5", "Run:Diversity:MinDistance")]
    [InlineData("Run:Name", "../escape", "Run:Name")]
    [InlineData("Train:Steps", "0", "Train:Steps")]
    [InlineData("Generate:TargetSamples", "-1", "Generate:TargetSamples")]
    [InlineData("Eval:MaxSamples", "0", "Eval:MaxSamples")]
    [InlineData("Hub:MaxRetries", "-3", "Hub:MaxRetries")]
    public void Validate_BadValue_FailsNamingTheKey(string key, string value, string expected)
    {
        var config = RepositorySettings.Load((key, value));

        var ex = Assert.ThrowsAny<Exception>(() => RunSetup.Validate(config));

        Assert.True(ex is OptionsValidationException, ex.ToString());
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Be brief.")]
    [InlineData("Answer in verse.", "Answer in verse.")]
    public async Task ResolveAsync_UnsetEvalSystemPrompt_TakesTheTrainingOne(string? evalSystemPrompt, string expected)
    {
        var config = RepositorySettings.Load(("Teachers:local:Model", Shakespeare), ("Train:Data:SystemPrompt", "Be brief."));
        if (evalSystemPrompt is not null)
        {
            config["Eval:SystemPrompt"] = evalSystemPrompt;
        }

        var autoMode = RunSetup.Validate(config);
        await using var hub = ModelReferences.CreateHub(config);
        var settings = await RunSetup.ResolveAsync(config, autoMode, Path.GetTempPath(), hub.GetRequiredService<ModelLocator>(), CancellationToken.None);

        Assert.Equal(expected, settings.Evaluation.Eval.SystemPrompt);
    }

    private static IConfigurationRoot Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
