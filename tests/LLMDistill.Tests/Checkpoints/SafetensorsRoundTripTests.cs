using System.Buffers.Binary;
using LLMDistill.Checkpoints;
using static TorchSharp.torch;

namespace LLMDistill.Tests.Checkpoints;

public sealed class SafetensorsRoundTripTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public void WriteThenRead_EveryDtype_IsBitExact()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = randn(3, 5),
            ["bf16"] = randn(4, 2).to_type(ScalarType.BFloat16),
            ["f16"] = randn(7).to_type(ScalarType.Float16),
            ["f64"] = randn(2, 2, 2, dtype: ScalarType.Float64),
            ["i64"] = arange(10, ScalarType.Int64) - 5,
            ["i32"] = arange(6, ScalarType.Int32),
            ["u8"] = arange(4, ScalarType.Byte),
            ["bool"] = tensor(new[] { true, false, true }),
            ["scalar"] = tensor(3.5f),
            ["empty"] = zeros(0, 4),
            ["strided"] = randn(4, 6).t(), // non-contiguous: written in logical order
        };
        var path = _dir.File("all.safetensors");
        SafetensorsWriter.Write(path, tensors.ToList(), new Dictionary<string, string> { ["format"] = "pt", ["note"] = "x" });

        using var reader = SafetensorsReader.Open(path);
        Assert.Equal(tensors.Keys, reader.Tensors.Select(t => t.Name));
        Assert.Equal("x", reader.Metadata["note"]);
        foreach (var (name, expected) in tensors)
        {
            var actual = reader.Read(name);
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(TensorBits.Same(expected, actual), name);
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path).AsSpan(0, 8));
        Assert.Equal(0UL, headerLength % 8); // data section aligned like the reference writer
    }

    [Fact]
    public void CopyTo_ConvertsDtypeAndChecksShape()
    {
        using var scope = NewDisposeScope();
        var path = _dir.File("w.safetensors");
        var source = randn(3, 4);
        SafetensorsWriter.Write(path, [new("w", source)]);
        using var reader = SafetensorsReader.Open(path);
        var bf16 = zeros([3, 4], ScalarType.BFloat16);
        reader.CopyTo("w", bf16);
        Assert.True(TensorBits.Same(source.to_type(ScalarType.BFloat16), bf16));
        var ex = Assert.Throws<InvalidDataException>(() => reader.CopyTo("w", zeros(4, 3)));
        Assert.Contains("tensor 'w' has shape [3, 4] but [4, 3] is expected", ex.Message);
        Assert.Throws<KeyNotFoundException>(() => reader.Read("nope"));
    }

    [Fact]
    public void Write_DuplicateName_Throws()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(_dir.File("d.safetensors"), [new("a", zeros(1)), new("a", zeros(1))]));
        Assert.False(File.Exists(_dir.File("d.safetensors")));
    }

    public void Dispose() => _dir.Dispose();
}
