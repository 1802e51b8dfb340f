using System.ComponentModel.DataAnnotations;
using LLMDistill.Inference;
using LLMDistill.Model;
using LLMDistill.Training.Schedules;

namespace LLMDistill.Training.Options;

/// <summary>
/// The <c>Train</c> section of appsettings.json: everything <c>llmdistill train</c> needs. Nested sections
/// (<c>Train:Student</c>, <c>Train:Data</c>, <c>Train:Loss</c>, <c>Train:LearningRate</c>, <c>Train:HiddenStates</c>,
/// <c>Train:OnPolicy</c>) have their own classes. Bind and validate with <see cref="TrainOptionsReader.Read"/>.
/// </summary>
public sealed class TrainOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Train";

    /// <summary>Run directory: metrics, checkpoints and the exported student go here.</summary>
    /// <value>Default <c>runs/train</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string OutputDirectory { get; set; } = "runs/train";

    /// <summary>
    /// Teacher model directory (Hugging Face layout). Its tokenizer is the student's, and with
    /// <see cref="Targets"/> Local it runs in-process to give token-level targets.
    /// </summary>
    /// <value>Default none.</value>
    public string? Teacher { get; set; }

    /// <summary>Directory whose tokenizer to use when there is no <see cref="Teacher"/> (default: the teacher, else <c>Student:InitFrom</c>).</summary>
    /// <value>Default none.</value>
    public string? Tokenizer { get; set; }

    /// <summary>Where token-level targets come from.</summary>
    /// <value>Default <see cref="TargetSource.Auto"/>.</value>
    [EnumDataType(typeof(TargetSource))]
    public TargetSource Targets { get; set; } = TargetSource.Auto;

    /// <summary>Weight dtype of the local teacher (it runs under no_grad): float32, bfloat16 or float16.</summary>
    /// <value>Default <c>float32</c>.</value>
    [Required]
    [RegularExpression(ModelDtypes.SettingPattern, ErrorMessage = ModelDtypes.SettingError)]
    public string TeacherDtype { get; set; } = "float32";

    /// <summary>Optimizer steps of the run (each of <see cref="GradientAccumulationSteps"/> micro-batches).</summary>
    /// <value>Default 1000.</value>
    [Range(1, int.MaxValue)]
    public int Steps { get; set; } = 1000;

    /// <summary>Seed of weight initialisation, data order, on-policy sampling and everything else random.</summary>
    /// <value>Default 1234.</value>
    public long Seed { get; set; } = 1234;

    /// <summary>Device: <c>auto</c> (CUDA when available), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <value>Default <c>auto</c>.</value>
    [Required]
    [RegularExpression(DeviceResolver.SettingPattern, ErrorMessage = DeviceResolver.SettingError)]
    public string Device { get; set; } = "auto";

    /// <summary>
    /// Compute dtype of the student: <c>float32</c>, or <c>bfloat16</c> (bf16 weights and activations, float32 master
    /// weights and optimizer state; the losses always run in float32).
    /// </summary>
    /// <value>Default <c>float32</c>.</value>
    [Required]
    [RegularExpression("^(?i:float32|fp32|bfloat16|bf16)$", ErrorMessage = "must be float32 or bfloat16")]
    public string Dtype { get; set; } = "float32";

    /// <summary>Rows per micro-batch.</summary>
    /// <value>Default 8.</value>
    [Range(1, 65536)]
    public int BatchSize { get; set; } = 8;

    /// <summary>Tokens per row; longer samples are truncated (their response end is cut).</summary>
    /// <value>Default 512.</value>
    [Range(2, 1 << 20)]
    public int SequenceLength { get; set; } = 512;

    /// <summary>Micro-batches whose gradients are summed before each optimizer step.</summary>
    /// <value>Default 1.</value>
    [Range(1, 4096)]
    public int GradientAccumulationSteps { get; set; } = 1;

    /// <summary>Packed rows (several samples per row, block-diagonal attention) or one padded sample per row.</summary>
    /// <value>Default <see cref="RowLayout.Packed"/>.</value>
    /// <remarks>Named after its configuration key, <c>Train:Batching</c>.</remarks>
    [EnumDataType(typeof(RowLayout))]
    public RowLayout Batching { get; set; } = RowLayout.Packed;

    /// <summary>Decoupled weight decay of AdamW, applied to matrices (not to norms or biases).</summary>
    /// <value>Default 0.1.</value>
    [Range(0.0, 1.0)]
    public double WeightDecay { get; set; } = 0.1;

    /// <summary>AdamW β1.</summary>
    /// <value>Default 0.9.</value>
    [Range(0.0, 0.999999)]
    public double Beta1 { get; set; } = 0.9;

    /// <summary>AdamW β2.</summary>
    /// <value>Default 0.95.</value>
    [Range(0.0, 0.999999)]
    public double Beta2 { get; set; } = 0.95;

    /// <summary>AdamW ε.</summary>
    /// <value>Default 1e-8.</value>
    [Range(0.0, 1.0)]
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>Clip the global gradient norm to this value; 0 turns clipping off.</summary>
    /// <value>Default 1.</value>
    [Range(0.0, 1e6)]
    public double MaxGradNorm { get; set; } = 1.0;

    /// <summary>Positions per chunk of the token-level loss (vocabulary-sized float32 tensors exist for one chunk at a time).</summary>
    /// <value>Default 1024.</value>
    [Range(1, 1 << 20)]
    public int ChunkSize { get; set; } = 1024;

    /// <summary>Write a train metrics line (and a progress line) every this many steps.</summary>
    /// <value>Default 10.</value>
    [Range(1, int.MaxValue)]
    public int LogEvery { get; set; } = 10;

    /// <summary>Evaluate on the held-out split every this many steps (and at the end); 0 = only at the end.</summary>
    /// <value>Default 100.</value>
    [Range(0, int.MaxValue)]
    public int EvalEvery { get; set; } = 100;

    /// <summary>Most held-out rows per evaluation.</summary>
    /// <value>Default 64.</value>
    [Range(1, int.MaxValue)]
    public int EvalRows { get; set; } = 64;

    /// <summary>Save a checkpoint every this many steps (and at the end); 0 = only at the end.</summary>
    /// <value>Default 500.</value>
    [Range(0, int.MaxValue)]
    public int CheckpointEvery { get; set; } = 500;

    /// <summary>Most step checkpoints kept; older ones are deleted after a newer one is complete.</summary>
    /// <value>Default 2.</value>
    [Range(1, 1000)]
    public int KeepCheckpoints { get; set; } = 2;

    /// <summary>Save a checkpoint when the run is cancelled (Ctrl+C) between steps.</summary>
    /// <value>Default true.</value>
    public bool CheckpointOnCancel { get; set; } = true;

    /// <summary>Peak learning rate, warmup and decay. <c>TotalSteps</c> defaults to <see cref="Steps"/> when not set.</summary>
    public LearningRateSchedule LearningRate { get; set; } = new();

    /// <summary>The student: a fresh architecture or a checkpoint to start from.</summary>
    public StudentOptions Student { get; set; } = new();

    /// <summary>Training and held-out data.</summary>
    public TrainDataOptions Data { get; set; } = new();

    /// <summary>The distillation objective and its schedules.</summary>
    public LossOptions Loss { get; set; } = new();

    /// <summary>Optional hidden-state (FitNets) distillation.</summary>
    public HiddenStateOptions HiddenStates { get; set; } = new();

    /// <summary>Optional on-policy batches (GKD λ).</summary>
    public OnPolicyOptions OnPolicy { get; set; } = new();
}
