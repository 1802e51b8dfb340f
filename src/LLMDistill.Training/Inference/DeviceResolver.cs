using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMDistill.Inference;

/// <summary>Turns a <c>--device</c> value (<c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) into a TorchSharp device.</summary>
public static class DeviceResolver
{
    /// <summary>What a device setting accepts, for <c>[RegularExpression]</c> on options: auto, cpu, cuda or cuda:N, in any case.</summary>
    public const string SettingPattern = "^(?i:auto|cpu|cuda(:[0-9]+)?)$";

    /// <summary>The validation message for a value outside <see cref="SettingPattern"/>.</summary>
    public const string SettingError = "must be auto, cpu, cuda or cuda:N";

    /// <summary>Resolves a device spec; <c>auto</c> picks CUDA when <c>torch.cuda.is_available()</c>, else the CPU.</summary>
    /// <param name="spec">The spec (case-insensitive); null or empty means auto.</param>
    /// <returns>The device.</returns>
    /// <exception cref="ArgumentException">An unknown spec, CUDA asked for but not available, or an index past the device count.</exception>
    public static Device Resolve(string? spec) => Resolve(spec, cuda.is_available, cuda.device_count);

    /// <summary>Resolves with injectable CUDA probes (tests).</summary>
    internal static Device Resolve(string? spec, Func<bool> cudaAvailable, Func<int> cudaDeviceCount)
    {
        var value = string.IsNullOrWhiteSpace(spec) ? "auto" : spec.Trim().ToLowerInvariant();
        if (value == "auto")
        {
            return cudaAvailable() ? new Device(DeviceType.CUDA, 0) : CPU;
        }

        if (value == "cpu")
        {
            return CPU;
        }

        if (value == "cuda" || value.StartsWith("cuda:", StringComparison.Ordinal))
        {
            var index = 0;
            if (value.Length > 4 && (!int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out index)))
            {
                throw new ArgumentException($"device '{spec}' has no valid CUDA index (use cuda or cuda:N)", nameof(spec));
            }

            if (!cudaAvailable())
            {
                throw new ArgumentException($"device '{spec}' was requested but CUDA is not available (a CPU-only libtorch, or no GPU/driver; build with -p:TorchBackend=cuda or use --device cpu)", nameof(spec));
            }

            var count = cudaDeviceCount();
            if (index >= count)
            {
                throw new ArgumentException($"device '{spec}' does not exist: {count} CUDA device(s) visible", nameof(spec));
            }

            return new Device(DeviceType.CUDA, index);
        }

        throw new ArgumentException($"device '{spec}' is not supported (use auto, cpu, cuda or cuda:N)", nameof(spec));
    }
}
