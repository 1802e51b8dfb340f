using LLMDistill.Generation;
using LLMDistill.Generation.Expansion;
using LLMDistill.Teachers;

namespace LLMDistill.Tests.Generation;

public sealed class ExpansionParsingTests
{
    [Fact]
    public void TaskListParser_NumberedBulletedAndMultiline_WithInputs()
    {
        const string reply = """
            Here are some new tasks:

            1. Write a limerick about a forgetful wizard.
            2) **Summarise the text below in one sentence.**
            Input: The council approved the new park after a long debate.
            - Explain the difference between
              weather and climate.
            * Task 4: "Name three prime numbers greater than 50."
            5. Translate the sentence into German.
            Input: <noinput>

            I hope these help!
            """;

        var tasks = TaskListParser.Parse(reply, truncated: false);

        Assert.Equal(5, tasks.Count);
        Assert.Equal("Write a limerick about a forgetful wizard.", tasks[0].Instruction);
        Assert.Equal("Summarise the text below in one sentence.", tasks[1].Instruction);
        Assert.Equal("The council approved the new park after a long debate.", tasks[1].Input);
        Assert.Equal("Explain the difference between weather and climate.", tasks[2].Instruction);
        Assert.Equal("Name three prime numbers greater than 50.", tasks[3].Instruction);
        Assert.Null(tasks[4].Input);
    }

    [Fact]
    public void TaskListParser_Truncated_DropsTheLastItem()
    {
        var tasks = TaskListParser.Parse("1. First complete task here.\n2. Second task that was cut", truncated: true);

        Assert.Equal("First complete task here.", Assert.Single(tasks).Instruction);
    }

    [Theory]
    [InlineData("Hi", RejectionReasons.TaskTooShort)]
    [InlineData("Sure, here is a task for you.", RejectionReasons.TaskLooksLikeAnswer)]
    [InlineData("Answer: the capital is Paris.", RejectionReasons.TaskLooksLikeAnswer)]
    [InlineData("Describe the picture attached above.", RejectionReasons.TaskNeedsNonText)]
    [InlineData("Draw a map of your town.", RejectionReasons.TaskNeedsNonText)]
    [InlineData("; list three fruits please", RejectionReasons.TaskMalformed)]
    [InlineData("Explain how vaccines train the immune system.", null)]
    public void TaskQualityFilter_RejectsWithReason(string task, string? reason)
        => Assert.Equal(reason, TaskQualityFilter.Check(task, TeacherMode.Chat, new ExpandOptions()));

    [Fact]
    public void TaskQualityFilter_TooLong()
        => Assert.Equal(RejectionReasons.TaskTooLong, TaskQualityFilter.Check(new string('a', 50) + " b c", TeacherMode.Chat, new ExpandOptions { MaxTaskChars = 20, MinTaskChars = 2 }));

    [Fact]
    public void EvolReplyParser_StripsLabelsAndCommentary()
    {
        var parsed = EvolReplyParser.Parse("#Rewritten Task#:\n\"Explain tides using two real coastal towns as examples.\"\n\nThis version is more concrete.");

        Assert.Equal("Explain tides using two real coastal towns as examples.", parsed!.Value.Instruction);
        Assert.Null(parsed.Value.Input);
    }

    [Fact]
    public void OpeningParser_SpeakerBlocks_KeepsOpeningsAndDropsCutOffBlock()
    {
        const string continuation = "HAMLET:\nTo sleep, and dream of nothing but the sea,\nAnd wake again.\n\nnot a speaker line\nmore\n\nFIRST CITIZEN:\nBread, bread, we cry for bread\n\nOPHELIA:\nMy lo";

        var openings = OpeningParser.Parse(continuation, lines: 2, truncated: true, requireSpeaker: true);

        Assert.Equal(["HAMLET:\nTo sleep, and dream of nothing but the sea,\n", "FIRST CITIZEN:\nBread, bread, we cry for bread\n"], openings);
    }

    [Fact]
    public void OpeningParser_CutOffMidSpeech_KeepsTheOpeningWhoseFirstLinesAreWhole()
    {
        const string continuation = "BUCKINGHAM:\nCome, since, good sweet death! a name be thy husband;\nI heir is time his wife is a poi";

        Assert.Equal(["BUCKINGHAM:\nCome, since, good sweet death! a name be thy husband;\n"], OpeningParser.Parse(continuation, lines: 2, truncated: true, requireSpeaker: true));
        Assert.Empty(OpeningParser.Parse("BUCKINGHAM:\nCome, since, good sw", lines: 2, truncated: true, requireSpeaker: true)); // only the speaker line is whole
    }
}
