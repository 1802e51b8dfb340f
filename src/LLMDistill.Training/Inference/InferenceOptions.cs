using System.ComponentModel.DataAnnotations;
using LLMDistill.Model;
using static TorchSharp.torch;

namespace LLMDistill.Inference;

/// <summary>The <c>Inference</c> section of appsettings.json: where and how in-process models run (local teacher, serve, eval).</summary>
public sealed class InferenceOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Inference";

    /// <summary>Device: <c>auto</c> (CUDA when available), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <value>Default <c>auto</c>.</value>
    [Required]
    [RegularExpression(DeviceResolver.SettingPattern, ErrorMessage = DeviceResolver.SettingError)]
    public string Device { get; set; } = "auto";

    /// <summary>Weight dtype: <c>float32</c>, <c>bfloat16</c> or <c>float16</c>.</summary>
    /// <value>Default <c>float32</c>.</value>
    [Required]
    [RegularExpression(ModelDtypes.SettingPattern, ErrorMessage = ModelDtypes.SettingError)]
    public string Dtype { get; set; } = "float32";

    /// <summary>Most prompts decoded together in one batch.</summary>
    /// <value>Default 64.</value>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>The resolved device (see <see cref="DeviceResolver"/>).</summary>
    public Device ResolveDevice() => DeviceResolver.Resolve(Device);

    /// <summary>The parsed weight dtype.</summary>
    public ScalarType ResolveDtype() => ModelDtypes.Parse(Dtype);
}
