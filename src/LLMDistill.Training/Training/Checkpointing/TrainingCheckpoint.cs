using System.Globalization;
using System.Text.Json;
using LLMDistill.Checkpoints;
using LLMDistill.Model;
using LLMDistill.Training.Optimization;
using static TorchSharp.torch;

namespace LLMDistill.Training.Checkpointing;

/// <summary>
/// Checkpoints under <c>&lt;output&gt;/checkpoints/step-NNNNNNNN/</c>: the student in the Hugging Face layout (float32
/// master weights, config, tokenizer files), <c>optimizer.bin</c>, optional <c>hidden_projections.safetensors</c>, and
/// <c>trainer_state.json</c>. A checkpoint is written into a temporary folder and renamed into place, and the
/// <c>latest</c> pointer is replaced atomically, so a kill mid-save leaves the previous checkpoint usable.
/// </summary>
internal static class TrainingCheckpoint
{
    /// <summary>Name of the manifest.</summary>
    public const string StateFile = "trainer_state.json";

    /// <summary>Name of the optimizer state.</summary>
    public const string OptimizerFile = "optimizer.bin";

    /// <summary>Name of libtorch's CPU generator state (raw bytes of <c>torch.random.get_rng_state()</c>).</summary>
    public const string RngFile = "rng_state.bin";

    /// <summary>Name of the FitNets regressors.</summary>
    public const string ProjectionsFile = "hidden_projections.safetensors";

    /// <summary>Name of the pointer file that holds the latest checkpoint's folder name.</summary>
    public const string LatestFile = "latest";

    private const string Prefix = "step-";
    private const string TempPrefix = ".tmp-";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes a checkpoint atomically and prunes older ones beyond <paramref name="keep"/>.</summary>
    /// <returns>The checkpoint directory.</returns>
    public static string Save(
        string root, TrainerState state, LlamaForCausalLM master, string tokenizerSource, TrainingOptimizer optimizer, nn.Module? projections, int keep)
    {
        Directory.CreateDirectory(root);
        var name = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{state.Step:D8}");
        var temp = Path.Combine(root, $"{TempPrefix}{name}-{Guid.NewGuid():N}");
        HfCheckpoint.Save(master, temp, tokenizerSource);
        optimizer.Save(Path.Combine(temp, OptimizerFile));
        using (var rng = random.get_rng_state())
        {
            File.WriteAllBytes(Path.Combine(temp, RngFile), rng.bytes.ToArray());
        }

        if (projections is not null)
        {
            var tensors = projections.named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter)).ToList();
            SafetensorsWriter.Write(Path.Combine(temp, ProjectionsFile), tensors);
        }

        File.WriteAllText(Path.Combine(temp, StateFile), JsonSerializer.Serialize(state, Json)); // last: marks the folder complete
        var final = Path.Combine(root, name);
        if (Directory.Exists(final))
        {
            Directory.Delete(final, recursive: true);
        }

        Directory.Move(temp, final);
        var pointer = Path.Combine(root, LatestFile);
        File.WriteAllText(pointer + ".tmp", name);
        File.Move(pointer + ".tmp", pointer, overwrite: true);
        Prune(root, keep, final);
        return final;
    }

    /// <summary>Reads and checks a checkpoint's manifest and files.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="InvalidDataException">The manifest is missing, corrupt or of another format version, or a file is missing.</exception>
    public static TrainerState Open(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"checkpoint '{directory}' does not exist");
        }

        var path = Path.Combine(directory, StateFile);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"checkpoint '{directory}' is incomplete: it has no {StateFile} (a save was interrupted?); resume from an earlier checkpoint");
        }

        TrainerState? state;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var version = document.RootElement.TryGetProperty("format_version", out var v) && v.TryGetInt32(out var n) ? n : (int?)null;
            if (version != TrainerState.CurrentFormatVersion)
            {
                throw new InvalidDataException(
                    $"checkpoint '{directory}': {StateFile} has format version {version?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}, but this llmdistill reads version "
                    + $"{TrainerState.CurrentFormatVersion}; resume it with the llmdistill that wrote it, or start a new run (its student weights load with Train:Student:InitFrom)");
            }

            state = document.RootElement.Deserialize<TrainerState>(Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"checkpoint '{directory}': {StateFile} is corrupt ({ex.Message}); resume from an earlier checkpoint", ex);
        }

        if (state is null || state.Trajectory is null || state.Tokenizer is null || state.Step < 0)
        {
            throw new InvalidDataException($"checkpoint '{directory}': {StateFile} lacks required fields; resume from an earlier checkpoint");
        }

        foreach (var file in new[] { OptimizerFile, RngFile, "config.json" }.Concat(state.HiddenProjections ? [ProjectionsFile] : []))
        {
            if (!File.Exists(Path.Combine(directory, file)))
            {
                throw new InvalidDataException($"checkpoint '{directory}' is missing {file}; resume from an earlier checkpoint");
            }
        }

        return state;
    }

    /// <summary>
    /// The checkpoint a <c>Resume</c> value names: a directory, or <c>latest</c>/<c>auto</c> for the newest complete
    /// checkpoint under <paramref name="root"/> (<c>auto</c> gives null when there is none, <c>latest</c> fails).
    /// </summary>
    /// <exception cref="InvalidDataException"><c>latest</c> and no checkpoint exists.</exception>
    public static string? Resolve(string root, string resume)
    {
        var value = resume.Trim();
        if (!value.Equals("latest", StringComparison.OrdinalIgnoreCase) && !value.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        var pointer = Path.Combine(root, LatestFile);
        if (File.Exists(pointer) && File.ReadAllText(pointer).Trim() is { Length: > 0 } name && File.Exists(Path.Combine(root, name, StateFile)))
        {
            return Path.Combine(root, name);
        }

        var newest = StepDirectories(root).Where(d => File.Exists(Path.Combine(d.Path, StateFile))).Select(d => d.Path).LastOrDefault();
        return newest ?? (value.Equals("auto", StringComparison.OrdinalIgnoreCase)
            ? null
            : throw new InvalidDataException($"Train:Resume: there is no checkpoint under '{root}' to resume from"));
    }

    /// <summary>Removes folders of saves that were interrupted (they never became checkpoints).</summary>
    public static void RemoveIncomplete(string root)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (var dir in Directory.GetDirectories(root, TempPrefix + "*"))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Prune(string root, int keep, string justWritten)
    {
        var complete = StepDirectories(root).Select(d => d.Path).ToList();
        foreach (var old in complete.Take(Math.Max(complete.Count - keep, 0)).Where(d => d != justWritten))
        {
            Directory.Delete(old, recursive: true);
        }
    }

    private static IEnumerable<(long Step, string Path)> StepDirectories(string root) => !Directory.Exists(root)
        ? []
        : Directory.GetDirectories(root, Prefix + "*")
            .Select(d => (Ok: long.TryParse(Path.GetFileName(d)[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var step), Step: step, Path: d))
            .Where(d => d.Ok)
            .OrderBy(d => d.Step)
            .Select(d => (d.Step, d.Path));
}
