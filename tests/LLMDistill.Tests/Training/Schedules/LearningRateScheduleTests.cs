using LLMDistill.Configuration;
using LLMDistill.Training.Schedules;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Tests.Training.Schedules;

public sealed class LearningRateScheduleTests
{
    private static readonly LearningRateSchedule Cosine = new() { LearningRate = 1e-3, MinLearningRate = 1e-4, WarmupSteps = 10, TotalSteps = 110 };

    [Fact]
    public void At_Warmup_RisesLinearlyFromPeakOverWarmupSteps()
    {
        Assert.Equal(1e-4, Cosine.At(0), 15);
        Assert.Equal(5e-4, Cosine.At(4), 15);
        Assert.Equal(1e-3, Cosine.At(9), 15);
    }

    [Fact]
    public void At_Cosine_DecaysFromPeakToFloorThenStays()
    {
        Assert.Equal(1e-3, Cosine.At(10), 15);
        Assert.Equal(1e-4 + (0.5 * 9e-4), Cosine.At(60), 15);                                      // half way: cos(π/2) = 0
        Assert.Equal(1e-4 + (0.5 * (1 + Math.Cos(Math.PI * 0.25)) * 9e-4), Cosine.At(35), 15);
        Assert.Equal(1e-4, Cosine.At(110), 15);
        Assert.Equal(1e-4, Cosine.At(1_000_000), 15);
    }

    [Fact]
    public void At_Linear_DecaysLinearly()
    {
        var linear = Cosine with { Kind = LearningRateScheduleKind.Linear };

        Assert.Equal(1e-3, linear.At(10), 15);
        Assert.Equal(1e-4 + (0.75 * 9e-4), linear.At(35), 15);
        Assert.Equal(1e-4, linear.At(110), 15);
    }

    [Fact]
    public void At_Constant_StaysAtPeakAfterWarmup()
    {
        var constant = Cosine with { Kind = LearningRateScheduleKind.Constant, WarmupSteps = 0 };

        Assert.Equal(1e-3, constant.At(0));
        Assert.Equal(1e-3, constant.At(500));
    }

    [Fact]
    public void At_IsMonotoneAfterWarmup()
    {
        var rates = Enumerable.Range(10, 120).Select(s => Cosine.At(s)).ToList();
        Assert.True(rates.Zip(rates.Skip(1)).All(p => p.Second <= p.First));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cosine.At(-1));
    }

    [Fact]
    public void Bind_FromConfiguration_ReadsKindAndValues()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Train:LearningRate:Kind"] = "Linear",
            ["Train:LearningRate:LearningRate"] = "0.002",
            ["Train:LearningRate:WarmupSteps"] = "5",
        }).Build();

        var schedule = OptionsBinder.Bind<LearningRateSchedule>(configuration, "Train:LearningRate");

        Assert.Equal(LearningRateScheduleKind.Linear, schedule.Kind);
        Assert.Equal(0.002, schedule.LearningRate);
        Assert.Equal(5, schedule.WarmupSteps);
        Assert.Equal(5000, schedule.TotalSteps);
    }

    [Fact]
    public void Validate_FloorAbovePeak_NamesTheKey()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => OptionsBinder.Validate(Cosine with { MinLearningRate = 1 }, "Train:LearningRate"));
        Assert.Contains("Train:LearningRate:MinLearningRate", ex.Message);

        var warmup = Assert.Throws<OptionsValidationException>(() => OptionsBinder.Validate(Cosine with { WarmupSteps = 200 }, "Train:LearningRate"));
        Assert.Contains("Train:LearningRate:WarmupSteps", warmup.Message);
    }
}
