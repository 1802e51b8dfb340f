using LLMDistill.Configuration;
using LLMDistill.Hub;
using LLMDistill.Training.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LLMDistill.Cli.Hosting;

/// <summary>
/// Turns the model settings of the pipeline commands into directories through <see cref="ModelLocator"/>: a directory
/// is used as is, <c>hf:org/name[@rev]</c> is the cached snapshot or is pulled on first use. Every failure names the
/// setting that held the reference and how to use a local directory instead.
/// </summary>
internal static class ModelReferences
{
    /// <summary>A service provider with the Hub downloader and <see cref="ModelLocator"/>, configured by the <c>Hub</c> section.</summary>
    public static ServiceProvider CreateHub(IConfiguration configuration)
        => new ServiceCollection().AddLlmDistillHub(OptionsBinder.Bind<HubOptions>(configuration, HubOptions.SectionName)).BuildServiceProvider();

    /// <summary>Resolves <c>Train:Teacher</c>, <c>Train:Tokenizer</c> and <c>Train:Student:InitFrom</c> in place.</summary>
    public static async Task ResolveTrainAsync(TrainOptions options, ModelLocator locator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(locator);
        options.Teacher = await ResolveOptionalAsync(options.Teacher, $"{TrainOptions.SectionName}:Teacher", locator, cancellationToken);
        options.Tokenizer = await ResolveOptionalAsync(options.Tokenizer, $"{TrainOptions.SectionName}:Tokenizer", locator, cancellationToken);
        options.Student.InitFrom = await ResolveOptionalAsync(options.Student.InitFrom, $"{TrainOptions.SectionName}:Student:InitFrom", locator, cancellationToken);
    }

    /// <summary>The directory of <paramref name="reference"/>, or null when it is not set.</summary>
    public static async Task<string?> ResolveOptionalAsync(string? reference, string settingKey, ModelLocator locator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(locator);
        return string.IsNullOrWhiteSpace(reference)
            ? null
            : (await locator.ResolveAsync(reference, settingKey, progress: null, cancellationToken)).Directory;
    }
}
