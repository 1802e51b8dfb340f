using System.ComponentModel.DataAnnotations;
using LLMDistill.Model;
using static TorchSharp.torch;

namespace LLMDistill.Inference;

/// <summary>
/// Where and how an in-process model runs: the keys that the <c>Inference</c> section, a local teacher
/// (<c>Teachers:&lt;name&gt;</c>) and <c>serve</c> share.
/// </summary>
public abstract class ModelRuntimeOptions
{
    /// <summary>Device: <c>auto</c> (CUDA when available), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <value>Default <c>auto</c>.</value>
    [Required]
    [RegularExpression(DeviceResolver.SettingPattern, ErrorMessage = DeviceResolver.SettingError)]
    public string Device { get; set; } = "auto";

    /// <summary>Weight dtype (<c>DType</c> in configuration also binds): <c>float32</c>, <c>bfloat16</c> or <c>float16</c>.</summary>
    /// <value>Default <c>float32</c>.</value>
    [Required]
    [RegularExpression(ModelDtypes.SettingPattern, ErrorMessage = ModelDtypes.SettingError)]
    public string Dtype { get; set; } = "float32";

    /// <summary>Most sequences decoded together in one batch (for a server: concurrent requests times their choices).</summary>
    /// <value>Default 64.</value>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>The resolved device (see <see cref="DeviceResolver"/>).</summary>
    public Device ResolveDevice() => DeviceResolver.Resolve(Device);

    /// <summary>The parsed weight dtype.</summary>
    public ScalarType ResolveDtype() => ModelDtypes.Parse(Dtype);
}
