using System.CommandLine;
using LLMDistill.Tokenization;

namespace LLMDistill.Cli.Commands.Inspect;

/// <summary>
/// <c>llmdistill inspect tokenize --model DIR --text TEXT</c>: prints the token ids of a text as one JSON array.
/// <c>--model tiktoken:NAME</c> uses an OpenAI encoding (cl100k_base, o200k_base, gpt-4o, ...).
/// </summary>
internal static class InspectTokenizeCommand
{
    private const string TiktokenPrefix = "tiktoken:";

    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "Model directory with tokenizer.json or tokenizer.model, or tiktoken:NAME (cl100k_base, o200k_base, gpt-4o, ...).",
            Required = true,
        };
        var text = new Option<string>("--text") { Description = "The text to tokenize; special tokens written in it become their ids.", Required = true };
        var addBos = new Option<bool?>("--add-bos")
        {
            Description = "Prepend the BOS token (true/false). Default: what the model's tokenizer does, as Hugging Face's encode(text).",
        };
        var command = new Command("tokenize", "Print the token ids of a text as one JSON array.") { model, text, addBos };
        command.SetAction((parseResult, ct) => CommandRunner.RunAsync(
            async token =>
            {
                var modelValue = parseResult.GetValue(model)!;
                var tokenizer = modelValue.StartsWith(TiktokenPrefix, StringComparison.Ordinal)
                    ? ModelTokenizer.ForTiktoken(modelValue[TiktokenPrefix.Length..])
                    : ModelTokenizer.Load(modelValue);
                var ids = tokenizer.Encode(parseResult.GetValue(text)!, parseResult.GetValue(addBos) ?? tokenizer.AddBosToken);
                token.ThrowIfCancellationRequested();
                await Console.Out.WriteLineAsync("[" + string.Join(",", ids) + "]");
                return 0;
            },
            ct));
        return command;
    }
}
