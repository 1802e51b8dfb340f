using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Training.Options;

/// <summary><c>Train:Data</c>: where the training text comes from and how the held-out split is made.</summary>
public sealed class TrainDataOptions
{
    /// <summary>A dataset directory from <c>generate</c>, a JSONL file, or a text file.</summary>
    /// <value>Required.</value>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = string.Empty;

    /// <summary>The kind of <see cref="Path"/>.</summary>
    /// <value>Default <see cref="DataFormat.Auto"/>.</value>
    [EnumDataType(typeof(DataFormat))]
    public DataFormat Format { get; set; } = DataFormat.Auto;

    /// <summary>Held-out data in the same format; when empty, <see cref="EvalFraction"/> of <see cref="Path"/> is held out.</summary>
    /// <value>Default none.</value>
    public string? EvalPath { get; set; }

    /// <summary>
    /// Fraction held out when there is no <see cref="EvalPath"/>: the last tokens of a text file, or samples chosen by a
    /// hash of their id (stable when the dataset grows).
    /// </summary>
    /// <value>Default 0.05.</value>
    [Range(0.0, 0.5)]
    public double EvalFraction { get; set; } = 0.05;

    /// <summary>Use at most this many samples (text: blocks) for training; 0 = all.</summary>
    /// <value>Default 0.</value>
    [Range(0, int.MaxValue)]
    public int MaxSamples { get; set; }

    /// <summary>Optional system message put before every chat sample.</summary>
    /// <value>Default none.</value>
    public string? SystemPrompt { get; set; }
}
