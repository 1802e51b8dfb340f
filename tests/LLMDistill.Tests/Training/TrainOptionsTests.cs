using LLMDistill.Configuration;
using LLMDistill.Training.Options;
using LLMDistill.Training.Schedules;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Tests.Training;

public sealed class TrainOptionsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Train:Teacher"] = "teacher",
        ["Train:Data:Path"] = "data.txt",
        ["Train:Steps"] = "200",
    };

    [Fact]
    public void Read_ValidSection_BindsNestedSectionsAndDefaultsTotalStepsToSteps()
    {
        var options = Read(new()
        {
            ["Train:Student:Layers"] = "3",
            ["Train:Loss:CrossEntropy"] = "0.5",
            ["Train:Loss:Temperature:Kind"] = "Linear",
            ["Train:Loss:Temperature:Start"] = "4",
            ["Train:Loss:Temperature:End"] = "1",
            ["Train:Loss:Temperature:EndStep"] = "100",
            ["Train:HiddenStates:Layers:0"] = "1:2",
            ["Train:LearningRate:LearningRate"] = "0.001",
        });

        Assert.Equal(3, options.Student.Layers);
        Assert.Equal(0.5, options.Loss.CrossEntropy);
        Assert.Equal(ValueScheduleKind.Linear, options.Loss.Temperature.Kind);
        Assert.Equal(2.5, options.Loss.Temperature.At(50), 12);
        Assert.Equal(["1:2"], options.HiddenStates.Layers);
        Assert.Equal(200, options.LearningRate.TotalSteps);
        Assert.Equal(0.001, options.LearningRate.LearningRate);
    }

    [Fact]
    public void Read_ShortRunWithDefaultWarmup_ShortensTheWarmup()
    {
        var options = Read(new() { ["Train:Steps"] = "30" });

        Assert.Equal(30, options.LearningRate.TotalSteps);
        Assert.Equal(3, options.LearningRate.WarmupSteps);
    }

    [Theory]
    [InlineData(null, RowLayout.Packed)]
    [InlineData("Packed", RowLayout.Packed)]
    [InlineData("padded", RowLayout.Padded)]
    public void Read_BatchingKey_BindsTheRowLayout(string? value, RowLayout expected)
    {
        var options = Read(value is null ? new() : new() { ["Train:Batching"] = value });

        Assert.Equal(expected, options.Batching);
    }

    [Theory]
    [InlineData("Train:Steps", "0", "Train:Steps")]
    [InlineData("Train:BatchSize", "-1", "Train:BatchSize")]
    [InlineData("Train:Dtype", "float16", "Train:Dtype")]
    [InlineData("Train:Device", "tpu", "Train:Device")]
    [InlineData("Train:Batching", "Sideways", "Train:Batching")]
    [InlineData("Train:Student:Layers", "0", "Train:Student:Layers")]
    [InlineData("Train:Student:KeyValueHeads", "3", "Train:Student:KeyValueHeads")]
    [InlineData("Train:Student:Heads", "12", "Train:Student:Heads")]
    [InlineData("Train:Steps", "many", "Train:Steps")]
    [InlineData("Train:Data:EvalFraction", "0.9", "Train:Data:EvalFraction")]
    [InlineData("Train:Loss:ForwardKl", "-1", "Train:Loss:ForwardKl")]
    [InlineData("Train:Loss:Beta", "2", "Train:Loss:Beta")]
    [InlineData("Train:Loss:Temperature:Start", "0", "Train:Loss:Temperature")]
    [InlineData("Train:HiddenStates:Layers:0", "two:four", "Train:HiddenStates:Layers:0")]
    [InlineData("Train:OnPolicy:Lambda", "1.5", "Train:OnPolicy:Lambda")]
    [InlineData("Train:LearningRate:MinLearningRate", "1", "Train:LearningRate:MinLearningRate")]
    public void Read_BadValue_FailsNamingTheKey(string key, string value, string expectedKey)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Read(new() { [key] = value }));

        Assert.Contains(expectedKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoDataPath_NamesTheKey()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Read(new() { ["Train:Data:Path"] = null }));

        Assert.Contains("Train:Data:Path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoTeacherNorTokenizer_NamesTheTeacherKey()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Read(new() { ["Train:Teacher"] = null }));

        Assert.StartsWith("Train:Teacher:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("None", "Train:Loss:ForwardKl")]
    [InlineData("Stored", "Train:Loss:ForwardKl")]
    public void Read_SoftTermThatTheTargetsCannotFeed_NamesTheTerm(string targets, string expectedKey)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Read(new() { ["Train:Targets"] = targets }));

        Assert.Contains(expectedKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EveryWeightZero_NamesTheLossSection()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Read(new() { ["Train:Loss:ForwardKl"] = "0" }));

        Assert.StartsWith("Train:Loss:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OnPolicyWithoutTeacher_NamesLambda()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Read(new()
        {
            ["Train:Teacher"] = null, ["Train:Tokenizer"] = "tok", ["Train:Loss:ForwardKl"] = "0", ["Train:Loss:CrossEntropy"] = "1", ["Train:OnPolicy:Lambda"] = "0.5",
        }));

        Assert.Contains("Train:OnPolicy:Lambda", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AlphaOutsideUnitInterval_NamesAlpha()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Read(new() { ["Train:Loss:Alpha:Start"] = "1.5" }));

        Assert.Contains("Train:Loss:Alpha", ex.Message, StringComparison.Ordinal);
    }

    private static TrainOptions Read(Dictionary<string, string?> overrides)
    {
        var values = new Dictionary<string, string?>(Valid);
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }

        return TrainOptionsReader.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }
}
