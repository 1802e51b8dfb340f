using System.Globalization;
using LLMDistill.Configuration;
using Microsoft.Extensions.Configuration;

namespace LLMDistill.Training.Options;

/// <summary>
/// Binds the <c>Train</c> section and checks it as a whole, so a bad value fails at start-up with a message naming its
/// key (<c>Train:Student:KeyValueHeads: ...</c>) before any model or data is loaded.
/// </summary>
public static class TrainOptionsReader
{
    /// <summary>Binds and validates <c>Train</c> from <paramref name="configuration"/>.</summary>
    /// <param name="configuration">The configuration root.</param>
    /// <returns>The validated options; <c>LearningRate:TotalSteps</c> defaults to <c>Steps</c> when not configured.</returns>
    /// <exception cref="OptionsValidationException">A value is missing, malformed, out of range or inconsistent.</exception>
    public static TrainOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        TrainOptions options;
        try
        {
            options = OptionsBinder.Bind<TrainOptions>(configuration, TrainOptions.SectionName);
        }
        catch (OptionsValidationException ex) when (ex.InnerException is InvalidOperationException conversion && KeyOf(conversion.Message) is { } key)
        {
            // The binder's own message names the key ("... at 'Train:Batching' ..."); keep it in front, as validation does.
            throw new OptionsValidationException($"{key}: {conversion.InnerException?.Message ?? conversion.Message}", ex);
        }
        var lr = configuration.GetSection($"{TrainOptions.SectionName}:LearningRate");
        if (lr["TotalSteps"] is null)
        {
            options.LearningRate = options.LearningRate with { TotalSteps = options.Steps };
        }

        if (lr["WarmupSteps"] is null && options.LearningRate.WarmupSteps > options.LearningRate.TotalSteps)
        {
            // The default warmup (100) would exceed a short run; a tenth of it is the usual proportion.
            options.LearningRate = options.LearningRate with { WarmupSteps = options.LearningRate.TotalSteps / 10 };
        }

        Validate(options);
        return options;
    }

    /// <summary>Validates options built in code (the <c>run</c> job), with the same messages as <see cref="Read"/>.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="OptionsValidationException">A value is invalid; the message names its key.</exception>
    public static void Validate(TrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string s = TrainOptions.SectionName;
        OptionsBinder.Validate(options, s);
        OptionsBinder.Validate(options.LearningRate, $"{s}:LearningRate");
        OptionsBinder.Validate(options.Student, $"{s}:Student");
        OptionsBinder.Validate(options.Data, $"{s}:Data");
        OptionsBinder.Validate(options.Loss, $"{s}:Loss");
        OptionsBinder.Validate(options.Loss.Temperature, $"{s}:Loss:Temperature");
        if (options.Loss.Alpha is { } alpha)
        {
            OptionsBinder.Validate(alpha, $"{s}:Loss:Alpha");
        }

        OptionsBinder.Validate(options.HiddenStates, $"{s}:HiddenStates");
        OptionsBinder.Validate(options.OnPolicy, $"{s}:OnPolicy");
        CheckStudent(options.Student);
        CheckSources(options);
        CheckLoss(options, options.Targets);
        _ = ParseLayerPairs(options.HiddenStates.Layers);
    }

    /// <summary>Parses <c>Train:HiddenStates:Layers</c> entries <c>"i:j"</c>.</summary>
    /// <exception cref="OptionsValidationException">An entry is not two non-negative integers separated by a colon.</exception>
    public static IReadOnlyList<(int Student, int Teacher)> ParseLayerPairs(IReadOnlyList<string> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var pairs = new List<(int, int)>(layers.Count);
        for (var i = 0; i < layers.Count; i++)
        {
            var parts = (layers[i] ?? string.Empty).Split(':', StringSplitOptions.TrimEntries);
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var student)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var teacher))
            {
                throw Fail($"HiddenStates:Layers:{i}", $"must be \"studentLayer:teacherLayer\", e.g. \"2:4\" (got '{layers[i]}')");
            }

            pairs.Add((student, teacher));
        }

        return pairs;
    }

    private static void CheckStudent(StudentOptions student)
    {
        if (student.InitFrom is not null)
        {
            return;
        }

        if (student.Heads % student.KeyValueHeads != 0)
        {
            throw Fail("Student:KeyValueHeads", $"must divide Heads (got {student.KeyValueHeads} and {student.Heads})");
        }

        if (student.HiddenSize % student.Heads != 0)
        {
            throw Fail("Student:Heads", $"must divide HiddenSize (got {student.Heads} and {student.HiddenSize})");
        }

        if (student.HiddenSize / student.Heads % 2 != 0)
        {
            throw Fail("Student:Heads", $"HiddenSize / Heads must be even for rotary embeddings (got {student.HiddenSize} / {student.Heads})");
        }
    }

    private static void CheckSources(TrainOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.Teacher) && string.IsNullOrWhiteSpace(o.Tokenizer) && string.IsNullOrWhiteSpace(o.Student.InitFrom))
        {
            throw Fail("Teacher", "is required: the student's tokenizer is the teacher's (or set Train:Tokenizer or Train:Student:InitFrom)");
        }

        var hasTeacher = !string.IsNullOrWhiteSpace(o.Teacher);
        if (!hasTeacher && o.Targets == TargetSource.Local)
        {
            throw Fail("Teacher", "is required when Train:Targets is Local");
        }

        if (!hasTeacher && o.HiddenStates.Weight > 0)
        {
            throw Fail("HiddenStates:Weight", "needs a local teacher (set Train:Teacher)");
        }

        if (o.OnPolicy.Lambda > 0 && (!hasTeacher || o.Targets is TargetSource.Stored or TargetSource.None))
        {
            throw Fail("OnPolicy:Lambda", "needs a local teacher to score the student's generations (set Train:Teacher and Train:Targets Local or Auto)");
        }
    }

    /// <summary>Checks the objective against where its targets come from (also after <see cref="TargetSource.Auto"/> is resolved).</summary>
    /// <exception cref="OptionsValidationException">A term cannot be computed from those targets; the message names its key.</exception>
    internal static void CheckLoss(TrainOptions o, TargetSource targets)
    {
        var loss = o.Loss;
        if (!loss.HasSoftTerms && !(loss.CrossEntropy > 0) && !(o.HiddenStates.Weight > 0))
        {
            throw Fail("Loss", "needs at least one term with a weight > 0 (CrossEntropy, ForwardKl, ReverseKl, Jsd, TopKKl or HiddenStates:Weight)");
        }

        if (targets == TargetSource.None && loss.HasSoftTerms)
        {
            throw Fail(FirstSoftKey(loss), targets == o.Targets
                ? "needs teacher distributions but Train:Targets is None; set it to 0 or use Targets Local/Stored"
                : "needs teacher distributions, but there is no Train:Teacher and the data has no stored logprobs; set it to 0 (and CrossEntropy > 0) for sequence-level distillation");
        }

        if (targets == TargetSource.Stored && loss.HasDenseTerms)
        {
            throw Fail(FirstDenseKey(loss), "needs the teacher's full distribution; with Train:Targets Stored use Train:Loss:TopKKl");
        }

        if (targets == TargetSource.Local && loss.TopKKl > 0 && loss.TopK == 0)
        {
            throw Fail("Loss:TopK", "must be > 0 for TopKKl with a local teacher");
        }

        var (minT, _) = loss.Temperature.Bounds();
        if (!(minT > 0))
        {
            throw Fail("Loss:Temperature", $"must stay > 0 (lowest value {minT})");
        }

        if (loss.MissingMass == LLMDistill.Losses.SparseMissingMass.OtherBucket && (minT != 1 || loss.Temperature.Bounds().Max != 1))
        {
            throw Fail("Loss:MissingMass", "OtherBucket needs Train:Loss:Temperature 1 at every step (the teacher's tail mass at another temperature is unknown)");
        }

        if (loss.Alpha is { } alpha)
        {
            if (!loss.HasSoftTerms)
            {
                throw Fail("Loss:Alpha", "mixes CE with the soft terms, but no soft term (ForwardKl, ReverseKl, Jsd, TopKKl) has a weight > 0");
            }

            var (lo, hi) = alpha.Bounds();
            if (!(lo >= 0 && hi <= 1))
            {
                throw Fail("Loss:Alpha", $"must stay in [0, 1] (got {lo} .. {hi})");
            }
        }
    }

    private static string FirstSoftKey(LossOptions l) => l.TopKKl > 0 && !l.HasDenseTerms ? "Loss:TopKKl" : FirstDenseKey(l);

    private static string FirstDenseKey(LossOptions l) => l.ForwardKl > 0 ? "Loss:ForwardKl" : l.ReverseKl > 0 ? "Loss:ReverseKl" : "Loss:Jsd";

    private static string? KeyOf(string message)
    {
        const string marker = " at '";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('\'', start + marker.Length);
        return end > start ? message[(start + marker.Length)..end] : null;
    }

    private static OptionsValidationException Fail(string key, string message) => new($"{TrainOptions.SectionName}:{key}: {message}");
}
