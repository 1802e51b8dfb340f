using System.CommandLine;
using System.Globalization;
using LLMDistill.Checkpoints;
using LLMDistill.Cli.Hosting;
using LLMDistill.Hub;
using LLMDistill.Inference;
using LLMDistill.Model;
using LLMDistill.Tokenization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LLMDistill.Cli.Commands;

/// <summary>
/// <c>llmdistill sample --model DIR (--prompt TEXT | --prompt-ids 1,2,3) [--max-new-tokens N] [--temperature T] [--top-k K]
/// [--top-p P] [--seed S] [--device D] [--dtype T] [--output text|ids]</c>: continues a prompt. Text output streams the
/// continuation as it is generated; <c>--output ids</c> prints prompt + generated ids as one JSON array.
/// Stops at the EOS ids of config.json / generation_config.json.
/// </summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model directory (config.json + model.safetensors) or hf:org/name.", Required = true };
        var prompt = new Option<string?>("--prompt") { Description = "Prompt text (encoded with the model's tokenizer, adding BOS when the tokenizer does)." };
        var promptIds = new Option<string?>("--prompt-ids") { Description = "Prompt token ids, comma-separated (instead of --prompt)." };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate.", DefaultValueFactory = _ => 128 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature; 0 = greedy.", DefaultValueFactory = _ => 0.0 };
        var topK = new Option<int>("--top-k") { Description = "Keep the k most likely tokens (0 = off).", DefaultValueFactory = _ => 0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling mass in (0, 1] (1 = off).", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<long?>("--seed") { Description = "Random seed (default: a fresh one)." };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var dtype = new Option<string>("--dtype") { Description = "Weight dtype: float32, bfloat16 or float16.", DefaultValueFactory = _ => "float32" };
        var output = new Option<string>("--output") { Description = "text (the continuation) or ids (prompt + generated ids as a JSON array).", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "ids");
        var command = new Command("sample", "Continue a prompt with a model (greedy by default).")
        {
            model, prompt, promptIds, maxNew, temperature, topK, topP, seed, device, dtype, output,
        };
        command.SetAction((parseResult, ct) => CommandRunner.RunAsync(
            async token =>
            {
                string directory;
                await using (var hub = ModelReferences.CreateHub(new ConfigurationBuilder().Build()))
                {
                    // A directory, or hf:org/name[@rev] from the Hub cache (pulled on first use).
                    directory = (await hub.GetRequiredService<ModelLocator>().ResolveAsync(parseResult.GetValue(model)!, "--model", progress: null, token)).Directory;
                }

                var text = parseResult.GetValue(prompt);
                var ids = parseResult.GetValue(promptIds);
                if ((text is null) == (ids is null))
                {
                    throw new ArgumentException("give exactly one of --prompt and --prompt-ids");
                }

                var sampling = new DecodingParameters(
                    parseResult.GetValue(maxNew), parseResult.GetValue(temperature), parseResult.GetValue(topK), parseResult.GetValue(topP), parseResult.GetValue(seed));
                sampling.Validate();
                var asIds = parseResult.GetValue(output) == "ids";
                var resolvedDevice = DeviceResolver.Resolve(parseResult.GetValue(device));
                var resolvedDtype = ModelDtypes.Parse(parseResult.GetValue(dtype)!);
                var tokenizer = text is not null || !asIds ? ModelTokenizer.Load(directory) : null;
                var promptTokens = text is not null ? tokenizer!.Encode(text, tokenizer.AddBosToken) : ParseIds(ids!);

                using var llm = HfCheckpoint.Load(directory, resolvedDevice, resolvedDtype);
                var stops = HfGenerationConfig.Load(directory, llm.Config).StopTokenIds(llm.Config);
                var generator = new TokenGenerator(llm, stops, maxBatchSize: 1);
                var decoder = asIds ? null : tokenizer!.CreateIncrementalDecoder(skipSpecialTokens: true);
                var results = await generator.GenerateAsync(
                    [new GenerationRequest(promptTokens, sampling)],
                    decoder is null ? null : step => Console.Out.Write(decoder.Append(step.Token.Id)),
                    token);
                if (decoder is not null)
                {
                    await Console.Out.WriteLineAsync(decoder.Flush());
                }
                else
                {
                    await Console.Out.WriteLineAsync("[" + string.Join(",", results[0].AllIds) + "]");
                }

                return 0;
            },
            ct));
        return command;
    }

    private static int[] ParseIds(string value)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new ArgumentException("--prompt-ids is empty");
        }

        return parts.Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && id >= 0
            ? id
            : throw new ArgumentException($"--prompt-ids: '{p}' is not a token id")).ToArray();
    }
}
