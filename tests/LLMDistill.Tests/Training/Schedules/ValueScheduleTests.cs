using LLMDistill.Configuration;
using LLMDistill.Training.Schedules;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Tests.Training.Schedules;

public sealed class ValueScheduleTests
{
    [Fact]
    public void At_Constant_IsTheValueAtEveryStep()
    {
        var schedule = ValueSchedule.Constant(2.5);

        Assert.Equal(2.5, schedule.At(0));
        Assert.Equal(2.5, schedule.At(123_456));
        Assert.Equal((2.5, 2.5), schedule.Bounds());
    }

    [Fact]
    public void At_Linear_InterpolatesBetweenStartAndEndSteps()
    {
        var schedule = ValueSchedule.Linear(start: 4, end: 1, startStep: 100, endStep: 400);

        Assert.Equal(4, schedule.At(0));
        Assert.Equal(4, schedule.At(100));
        Assert.Equal(3, schedule.At(200), 12);
        Assert.Equal(1.5, schedule.At(350), 12);
        Assert.Equal(1, schedule.At(400));
        Assert.Equal(1, schedule.At(10_000));
        Assert.Equal((1.0, 4.0), schedule.Bounds());
    }

    [Fact]
    public void At_Staged_UsesTheLastStageStarted()
    {
        var schedule = ValueSchedule.Staged(new(0, 4), new(1000, 2), new(2000, 1));

        Assert.Equal(4, schedule.At(0));
        Assert.Equal(4, schedule.At(999));
        Assert.Equal(2, schedule.At(1000));
        Assert.Equal(2, schedule.At(1999));
        Assert.Equal(1, schedule.At(2000));
        Assert.Equal(1, schedule.At(50_000));
    }

    [Fact]
    public void Bind_StagedFromConfiguration_ReadsStages()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Train:Temperature:Kind"] = "Staged",
            ["Train:Temperature:Stages:0:FromStep"] = "0",
            ["Train:Temperature:Stages:0:Value"] = "3",
            ["Train:Temperature:Stages:1:FromStep"] = "50",
            ["Train:Temperature:Stages:1:Value"] = "1.5",
        }).Build();

        var schedule = OptionsBinder.Bind<ValueSchedule>(configuration, "Train:Temperature");

        Assert.Equal([new ScheduleStage(0, 3), new ScheduleStage(50, 1.5)], schedule.Stages);
        Assert.Equal(1.5, schedule.At(60));
    }

    [Fact]
    public void Validate_BadSchedules_NameTheKey()
    {
        static string Error(ValueSchedule s) => Assert.Throws<OptionsValidationException>(() => OptionsBinder.Validate(s, "Train:Alpha")).Message;

        Assert.Contains("Train:Alpha:EndStep", Error(ValueSchedule.Linear(1, 0, 100, 100)));
        Assert.Contains("Train:Alpha:Stages", Error(ValueSchedule.Staged(new ScheduleStage(10, 1))));
        Assert.Contains("Train:Alpha:Stages:1:FromStep", Error(ValueSchedule.Staged(new(0, 1), new(0, 2))));
        Assert.Contains("Train:Alpha:Start", Error(ValueSchedule.Constant(double.NaN)));
        Assert.Throws<InvalidOperationException>(() => new ValueSchedule { Kind = ValueScheduleKind.Staged }.At(0));
    }
}
