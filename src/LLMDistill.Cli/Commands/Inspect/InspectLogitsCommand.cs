using System.CommandLine;
using System.Text.Json;
using LLMDistill.Checkpoints;
using LLMDistill.Inference;
using LLMDistill.Model;
using static TorchSharp.torch;

namespace LLMDistill.Cli.Commands.Inspect;

/// <summary>
/// <c>llmdistill inspect logits --model DIR --input-ids IN.json --out OUT.json [--device D] [--dtype T]</c>: runs a full
/// forward pass over each row of <c>{"input_ids": [[...], ...]}</c> and writes <c>{"logits": [[[...]]]}</c>
/// (float32, [batch][position][vocab]). Rows may differ in length; rows of equal length run as one batch.
/// </summary>
internal static class InspectLogitsCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model directory (config.json + model.safetensors).", Required = true };
        var input = new Option<string>("--input-ids") { Description = "JSON file {\"input_ids\": [[...], ...]}.", Required = true };
        var output = new Option<string>("--out") { Description = "Where to write {\"logits\": [[[...]]]} (float32, [batch][position][vocab]).", Required = true };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var dtype = new Option<string>("--dtype") { Description = "Weight dtype: float32, bfloat16 or float16.", DefaultValueFactory = _ => "float32" };
        var command = new Command("logits", "Write the logits of a model for given token ids (float32, [batch][position][vocab]).")
        {
            model, input, output, device, dtype,
        };
        command.SetAction((parseResult, ct) => CommandRunner.RunAsync(
            async token =>
            {
                var directory = parseResult.GetValue(model)!;
                if (!Directory.Exists(directory))
                {
                    throw new DirectoryNotFoundException($"model directory '{directory}' does not exist");
                }

                var inputPath = parseResult.GetValue(input)!;
                var rows = await ReadInputAsync(inputPath, token);
                var resolvedDevice = DeviceResolver.Resolve(parseResult.GetValue(device));
                using var llm = HfCheckpoint.Load(directory, resolvedDevice, ModelDtypes.Parse(parseResult.GetValue(dtype)!));
                CheckVocabulary(rows, llm.Config.VocabSize, inputPath);
                var logits = Compute(llm, rows, token);
                await WriteOutputAsync(parseResult.GetValue(output)!, logits, llm.Config.VocabSize, token);
                return 0;
            },
            ct));
        return command;
    }

    private static async Task<long[][]> ReadInputAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"input ids file '{path}' does not exist", path);
        }

        long[][]? rows;
        try
        {
            await using var stream = File.OpenRead(path);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            rows = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("input_ids", out var ids)
                ? ids.Deserialize<long[][]>()
                : null;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"'{path}': expected {{\"input_ids\": [[...], ...]}} of integers ({ex.Message})", ex);
        }

        if (rows is null || rows.Length == 0 || rows.Any(r => r is null || r.Length == 0))
        {
            throw new InvalidDataException($"'{path}': expected {{\"input_ids\": [[...], ...]}} with at least one non-empty row");
        }

        return rows;
    }

    private static void CheckVocabulary(long[][] rows, int vocabSize, string path)
    {
        for (var r = 0; r < rows.Length; r++)
        {
            for (var t = 0; t < rows[r].Length; t++)
            {
                if (rows[r][t] < 0 || rows[r][t] >= vocabSize)
                {
                    throw new InvalidDataException($"'{path}': input_ids[{r}][{t}] = {rows[r][t]} is outside the vocabulary [0, {vocabSize})");
                }
            }
        }
    }

    /// <summary>Logits per row, as host float arrays (T * V); rows of equal length share one forward pass.</summary>
    private static float[][] Compute(LlamaForCausalLM llm, long[][] rows, CancellationToken cancellationToken)
    {
        var result = new float[rows.Length][];
        using var inference = inference_mode();
        foreach (var group in Enumerable.Range(0, rows.Length).GroupBy(i => rows[i].Length))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var members = group.ToArray();
            var ids = tensor(members.SelectMany(i => rows[i]).ToArray()).view(members.Length, group.Key).to(llm.Device); // (B, T)
            var logits = llm.forward(new CausalLmInput(ids)).Logits!.to_type(ScalarType.Float32).cpu(); // (B, T, V)
            for (var j = 0; j < members.Length; j++)
            {
                result[members[j]] = logits[j].contiguous().data<float>().ToArray();
            }
        }

        return result;
    }

    private static async Task WriteOutputAsync(string path, float[][] logits, int vocabSize, CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } parent)
        {
            Directory.CreateDirectory(parent);
        }

        await using var stream = File.Create(path);
        await using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteStartArray("logits");
        foreach (var row in logits)
        {
            json.WriteStartArray();
            for (var t = 0; t < row.Length / vocabSize; t++)
            {
                json.WriteStartArray();
                foreach (var value in row.AsSpan(t * vocabSize, vocabSize))
                {
                    json.WriteNumberValue(value);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            await json.FlushAsync(cancellationToken);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
