using System.Runtime.CompilerServices;
using System.Text.Json;

namespace LLMDistill.Data;

/// <summary>
/// A dataset directory written by <c>generate</c> or <c>merge</c>: <c>samples-00000.jsonl</c>, ... (the dataset),
/// <c>rejected.jsonl</c> (what was dropped and why) and <c>manifest.json</c>. This is how <c>train</c> and <c>eval</c>
/// read datasets. Reading tolerates the torn last line of a run that is still being written or was killed.
/// </summary>
public sealed class DatasetDirectory
{
    /// <summary>File name of the manifest.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>File name of the rejected candidates.</summary>
    public const string RejectedFileName = "rejected.jsonl";

    /// <summary>Search pattern of the sample shards.</summary>
    public const string SampleFilePattern = "samples-*.jsonl";

    private DatasetDirectory(string path, DatasetManifest? manifest, IReadOnlyList<string> sampleFiles)
    {
        Path = path;
        Manifest = manifest;
        SampleFiles = sampleFiles;
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>The manifest, or null when the directory has none (a run killed before its first manifest).</summary>
    public DatasetManifest? Manifest { get; }

    /// <summary>The sample shards, in order.</summary>
    public IReadOnlyList<string> SampleFiles { get; }

    /// <summary>The path of <c>rejected.jsonl</c> (it may not exist).</summary>
    public string RejectedFile => System.IO.Path.Combine(Path, RejectedFileName);

    /// <summary>The file name of shard <paramref name="index"/>.</summary>
    public static string ShardFileName(int index) => $"samples-{index:D5}.jsonl";

    /// <summary>Opens a dataset directory.</summary>
    /// <param name="path">The directory.</param>
    /// <returns>The opened directory.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="InvalidDataException">The manifest is unreadable or of an unknown format version, or there is nothing to read.</exception>
    public static DatasetDirectory Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"dataset directory '{path}' does not exist");
        }

        var manifest = TryReadManifest(path);
        var files = FindSampleFiles(path);
        if (manifest is null && files.Count == 0)
        {
            throw new InvalidDataException($"'{path}' is not a dataset directory: no {ManifestFileName} and no {SampleFilePattern}");
        }

        return new DatasetDirectory(System.IO.Path.GetFullPath(path), manifest, files);
    }

    /// <summary>Reads the manifest of <paramref name="path"/>, or null when it has none.</summary>
    /// <exception cref="InvalidDataException">The manifest is not valid JSON or has an unknown format version.</exception>
    public static DatasetManifest? TryReadManifest(string path)
    {
        var file = System.IO.Path.Combine(path, ManifestFileName);
        if (!File.Exists(file))
        {
            return null;
        }

        DatasetManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(File.ReadAllText(file), DatasetJson.Default.DatasetManifest);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{file}: not a valid manifest ({ex.Message})", ex);
        }

        if (manifest is null || manifest.FormatVersion != DatasetManifest.CurrentFormatVersion)
        {
            throw new InvalidDataException(
                $"{file}: format version {manifest?.FormatVersion} is not supported (this build reads version {DatasetManifest.CurrentFormatVersion}); regenerate the dataset or use a matching llmdistill");
        }

        return manifest;
    }

    /// <summary>The sample shards of <paramref name="path"/>, sorted by name.</summary>
    public static IReadOnlyList<string> FindSampleFiles(string path)
        => Directory.Exists(path)
            ? Directory.GetFiles(path, SampleFilePattern).Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>Streams every sample of every shard, in file order.</summary>
    /// <exception cref="InvalidDataException">A line is malformed; the message names the file and line.</exception>
    public async IAsyncEnumerable<DistillationSample> ReadSamplesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var file in SampleFiles)
        {
            await foreach (var record in JsonlFile.ReadAsync(file, DatasetJson.Default.DistillationSample, skipTornTail: true, cancellationToken))
            {
                yield return record.Value;
            }
        }
    }

    /// <summary>Streams the rejected candidates (nothing when there is no <c>rejected.jsonl</c>).</summary>
    public async IAsyncEnumerable<RejectedSample> ReadRejectedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!File.Exists(RejectedFile))
        {
            yield break;
        }

        await foreach (var record in JsonlFile.ReadAsync(RejectedFile, DatasetJson.Default.RejectedSample, skipTornTail: true, cancellationToken))
        {
            yield return record.Value;
        }
    }

    /// <summary>Reads all samples into memory (for small datasets and evaluation sets).</summary>
    public async Task<IReadOnlyList<DistillationSample>> ReadAllSamplesAsync(CancellationToken cancellationToken)
    {
        var samples = new List<DistillationSample>();
        await foreach (var sample in ReadSamplesAsync(cancellationToken))
        {
            samples.Add(sample);
        }

        return samples;
    }
}
