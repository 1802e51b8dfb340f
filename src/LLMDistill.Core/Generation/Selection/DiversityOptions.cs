using System.ComponentModel.DataAnnotations;

namespace LLMDistill.Generation.Selection;

/// <summary>
/// <c>Run:Diversity</c>: the representation-distance constraint of diversity-aware selection (DEITA's "Repr Filter",
/// Liu et al. 2024, <see href="https://arxiv.org/abs/2312.15685"/>): samples are taken best score first, and one is
/// added only when the cosine distance from its vector to its nearest already-selected neighbour is at least
/// <see cref="MinDistance"/>. The vector is a hashed word n-gram TF-IDF of the sample's text, so no model is needed.
/// </summary>
public sealed class DiversityOptions
{
    /// <summary>
    /// Smallest cosine distance (1 − cosine similarity) to every selected sample. 0 chooses it from the data: the largest
    /// distance at which one score-first pass still fills the subset (found by bisection). With a fixed distance that
    /// leaves the subset short, further passes halve it until the subset is full.
    /// </summary>
    /// <value>0 (chosen from the data).</value>
    [Range(0.0, 1.0)]
    public double MinDistance { get; set; }

    /// <summary>Longest word n-gram in the vector (1 = words only, 2 = words and word pairs, ...).</summary>
    /// <value>2.</value>
    [Range(1, 4)]
    public int NGram { get; set; } = 2;

    /// <summary>Dimensions the n-grams are hashed into (signed feature hashing): more dimensions, fewer collisions, more memory (4 bytes each per sample).</summary>
    /// <value>512.</value>
    [Range(16, 8192)]
    public int Dimensions { get; set; } = 512;

    /// <summary>Include the prompt (instruction and input) in the vector, not only the teacher's response.</summary>
    /// <value>false: the response is what the student learns to imitate, so its coverage is what counts.</value>
    public bool IncludePrompt { get; set; }

    /// <summary>Bisection steps when <see cref="MinDistance"/> is 0: the distance is found to within 2^-steps.</summary>
    /// <value>10.</value>
    [Range(1, 30)]
    public int SearchSteps { get; set; } = 10;
}
