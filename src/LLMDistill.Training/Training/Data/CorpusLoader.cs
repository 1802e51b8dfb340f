using LLMDistill.Configuration;
using LLMDistill.Tokenization;
using LLMDistill.Training.Options;

namespace LLMDistill.Training.Data;

/// <summary>Reads <c>Train:Data</c> into tokenised training and held-out examples.</summary>
internal static class CorpusLoader
{
    /// <summary>Loads, tokenises, splits and truncates the data.</summary>
    /// <exception cref="FileNotFoundException">The data path does not exist (the message names <c>Train:Data:Path</c>).</exception>
    /// <exception cref="InvalidDataException">A file is malformed (the message names file and line).</exception>
    /// <exception cref="OptionsValidationException">There is nothing to train on.</exception>
    public static TrainingCorpus Load(TrainDataOptions data, int sequenceLength, ModelTokenizer tokenizer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var format = Resolve(data.Path, data.Format, "Train:Data:Path");
        var encoder = new TrainingExampleEncoder(tokenizer, data.SystemPrompt);
        var counts = new Counts();
        List<TrainingExample> train;
        List<TrainingExample> eval;
        if (format == DataFormat.Text)
        {
            var tokens = tokenizer.Encode(File.ReadAllText(data.Path), tokenizer.AddBosToken);
            var evalTokens = data.EvalPath is null ? (int)Math.Round(tokens.Count * data.EvalFraction) : 0;
            train = TextBlocks(tokens, 0, tokens.Count - evalTokens, sequenceLength);
            eval = data.EvalPath is null
                ? TextBlocks(tokens, tokens.Count - evalTokens, tokens.Count, sequenceLength)
                : TextBlocks(EvalTextTokens(data, tokenizer), sequenceLength);
            counts.Samples = train.Count + eval.Count;
        }
        else
        {
            var samples = Read(data.Path, format, cancellationToken);
            counts.Samples = samples.Count;
            var evalSamples = data.EvalPath is null ? [] : Read(data.EvalPath, Resolve(data.EvalPath, data.Format, "Train:Data:EvalPath"), cancellationToken);
            var threshold = (ulong)(data.EvalFraction * ulong.MaxValue);
            var held = data.EvalPath is null ? samples.Where(s => StableHash.Of(s.Key) < threshold).ToList() : evalSamples;
            var kept = data.EvalPath is null ? samples.Where(s => StableHash.Of(s.Key) >= threshold).ToList() : samples;
            train = Encode(kept, encoder, sequenceLength, counts);
            eval = Encode(held, encoder, sequenceLength, counts);
        }

        if (data.MaxSamples > 0 && train.Count > data.MaxSamples)
        {
            train = train.GetRange(0, data.MaxSamples);
        }

        if (train.Count == 0)
        {
            throw new OptionsValidationException($"Train:Data:Path: '{data.Path}' gives no training sample that fits Train:SequenceLength={sequenceLength}");
        }

        var stats = new CorpusStats(format.ToString().ToLowerInvariant(), counts.Samples, counts.Dropped, counts.Truncated, counts.Aligned, counts.Unaligned, train.Sum(e => (long)e.Length));
        return new TrainingCorpus(train, eval, stats);
    }

    /// <summary>The concrete format of <paramref name="path"/>.</summary>
    public static DataFormat Resolve(string path, DataFormat format, string key)
    {
        var isDirectory = Directory.Exists(path);
        if (!isDirectory && !File.Exists(path))
        {
            throw new FileNotFoundException($"{key}: '{path}' does not exist", path);
        }

        if (format != DataFormat.Auto)
        {
            if ((format == DataFormat.Dataset) != isDirectory)
            {
                throw new InvalidDataException($"{key}: '{path}' is {(isDirectory ? "a directory" : "a file")}, which does not fit Train:Data:Format={format}");
            }

            return format;
        }

        return isDirectory ? DataFormat.Dataset
            : Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".json" ? DataFormat.Jsonl
            : DataFormat.Text;
    }

    /// <summary>
    /// Cuts tokens [start, end) into blocks of <paramref name="length"/> tokens that overlap by one, so every token
    /// after the first is predicted exactly once.
    /// </summary>
    public static List<TrainingExample> TextBlocks(IReadOnlyList<int> tokens, int start, int end, int length)
    {
        var blocks = new List<TrainingExample>();
        for (var s = start; s + 1 < end; s += length - 1)
        {
            var n = Math.Min(length, end - s);
            var ids = new int[n];
            for (var i = 0; i < n; i++)
            {
                ids[i] = tokens[s + i];
            }

            blocks.Add(new TrainingExample(ids, 0));
        }

        return blocks;
    }

    private static List<TrainingExample> TextBlocks(IReadOnlyList<int> tokens, int length) => TextBlocks(tokens, 0, tokens.Count, length);

    private static IReadOnlyList<int> EvalTextTokens(TrainDataOptions data, ModelTokenizer tokenizer)
    {
        Resolve(data.EvalPath!, DataFormat.Text, "Train:Data:EvalPath");
        return tokenizer.Encode(File.ReadAllText(data.EvalPath!), tokenizer.AddBosToken);
    }

    private static List<SourceSample> Read(string path, DataFormat format, CancellationToken cancellationToken)
        => format == DataFormat.Dataset ? SampleFileReader.ReadDataset(path, cancellationToken) : SampleFileReader.Read([path], cancellationToken);

    private static List<TrainingExample> Encode(List<SourceSample> samples, TrainingExampleEncoder encoder, int sequenceLength, Counts counts)
    {
        var examples = new List<TrainingExample>(samples.Count);
        foreach (var sample in samples)
        {
            var example = encoder.Encode(sample, out var alignment);
            counts.Aligned += alignment == TrainingExampleEncoder.Alignment.Aligned ? 1 : 0;
            counts.Unaligned += alignment == TrainingExampleEncoder.Alignment.Failed ? 1 : 0;
            var cut = example.Truncate(sequenceLength);
            if (cut is null)
            {
                counts.Dropped++;
                continue;
            }

            counts.Truncated += cut.Length < example.Length ? 1 : 0;
            examples.Add(cut);
        }

        return examples;
    }

    private sealed class Counts
    {
        public int Samples { get; set; }

        public int Dropped { get; set; }

        public int Truncated { get; set; }

        public int Aligned { get; set; }

        public int Unaligned { get; set; }
    }
}
