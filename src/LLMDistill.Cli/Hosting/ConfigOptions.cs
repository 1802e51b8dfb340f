using System.CommandLine;

namespace LLMDistill.Cli.Hosting;

/// <summary>The <c>--config</c> option shared by the pipeline commands; unmatched tokens are the <c>--Section:Key=Value</c> overrides.</summary>
internal static class ConfigOptions
{
    public static Option<string?> CreateConfigOption() => new("--config") { Description = "Path to appsettings.json (default: ./appsettings.json)." };

    /// <summary>Adds <c>--config</c> to <paramref name="command"/> and lets it accept <c>--Section:Key=Value</c> overrides.</summary>
    public static Option<string?> AddTo(Command command)
    {
        var option = CreateConfigOption();
        command.Options.Add(option);
        command.TreatUnmatchedTokensAsErrors = false;
        return option;
    }

    /// <summary>Loads configuration for a parsed command: its <c>--config</c> plus the unmatched override tokens.</summary>
    public static Microsoft.Extensions.Configuration.IConfigurationRoot Load(ParseResult parseResult, Option<string?> configOption)
        => AppConfiguration.Load(parseResult.GetValue(configOption), parseResult.UnmatchedTokens);
}
