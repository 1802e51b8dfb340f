#pragma warning disable CA5350 // git object ids are SHA-1 by definition
using System.Security.Cryptography;
using System.Text;
using LLMDistill.Tests.Fixtures;

namespace LLMDistill.Tests.Hub;

/// <summary>One file of a fake repository, with the checksums the real Hub would list for it.</summary>
internal sealed record FakeHubFile(string Path, byte[] Content, bool Lfs)
{
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Content));

    /// <summary>git's blob id: SHA-1 of "blob {size}\0" + content.</summary>
    public string BlobId => Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {Content.Length}\0"), .. Content]));

    /// <summary>The name huggingface_hub gives the blob (X-Linked-Etag for LFS files, else ETag).</summary>
    public string Etag => Lfs ? Sha256 : BlobId;
}

/// <summary>A fake model repository served by <see cref="FakeHubServer"/>: real files of ../shared/models/shakespeare-1m plus files pull must skip.</summary>
internal sealed class FakeHubRepo
{
    public FakeHubRepo(string id, IReadOnlyList<FakeHubFile> files, string commitSeed = "v1")
    {
        Id = id;
        Files = files;
        Commit = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id + commitSeed)))[..40];
        Refs = new Dictionary<string, string>(StringComparer.Ordinal) { ["main"] = Commit, ["v1.0"] = Commit };
    }

    public string Id { get; }

    public string Commit { get; }

    public Dictionary<string, string> Refs { get; }

    public IReadOnlyList<FakeHubFile> Files { get; }

    /// <summary>The model files a default pull must fetch.</summary>
    public static readonly string[] DefaultFiles = ["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"];

    public FakeHubFile File(string path) => Files.Single(f => f.Path == path);

    public static FakeHubRepo Shakespeare1m(string id = "test-org/shakespeare-1m")
    {
        var dir = SharedPaths.Model("shakespeare-1m");
        FakeHubFile Real(string name, bool lfs = false) => new(name, System.IO.File.ReadAllBytes(Path.Combine(dir, name)), lfs);
        FakeHubFile Fake(string name, int size, bool lfs) => new(name, Enumerable.Range(0, size).Select(i => (byte)(i * 31 % 251)).ToArray(), lfs);
        return new FakeHubRepo(id,
        [
            new(".gitattributes", Encoding.UTF8.GetBytes("*.safetensors filter=lfs diff=lfs merge=lfs -text\n"), false),
            new("README.md", Encoding.UTF8.GetBytes("# shakespeare-1m\nA tiny Llama trained on TinyShakespeare.\n"), false),
            Real("config.json"),
            Real("generation_config.json"),
            Real("model.safetensors", lfs: true),
            Real("tokenizer.json"),
            Real("tokenizer_config.json"),
            Real("reference.json"),
            Fake("pytorch_model.bin", 4096, lfs: true),
            Fake("onnx/model.onnx", 2048, lfs: true),
            Fake("model-q4.gguf", 1024, lfs: true),
        ]);
    }
}
