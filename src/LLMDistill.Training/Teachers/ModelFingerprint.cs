using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace LLMDistill.Teachers;

/// <summary>
/// A cheap identity of a model directory for cache keys: the full text of its small files (config, generation config,
/// tokenizer) and, for each weight file, its name, size and the hash of its first and last MiB, plus dtype and chat
/// template. Retrained or re-downloaded weights change it; reading gigabytes of weights on every start does not happen.
/// </summary>
internal static class ModelFingerprint
{
    private const int Sample = 1 << 20;

    public static string Compute(string directory, ScalarType dtype, string chatTemplate)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"dtype={dtype};template={chatTemplate};"));
        var files = System.IO.Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".model", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        var buffer = new byte[Sample];
        foreach (var file in files)
        {
            using var stream = File.OpenRead(file);
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFileName(file)}:{stream.Length};"));
            if (stream.Length <= 2L * Sample)
            {
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                }

                continue;
            }

            stream.ReadExactly(buffer);
            hash.AppendData(buffer);
            stream.Seek(-Sample, SeekOrigin.End);
            stream.ReadExactly(buffer);
            hash.AppendData(buffer);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
