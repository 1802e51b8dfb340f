using System.Buffers.Binary;
using System.Text;
using LLMDistill.Checkpoints;

namespace LLMDistill.Tests.Checkpoints;

/// <summary>Truncated, corrupt or hostile safetensors files are refused with an error naming the file and tensor.</summary>
public sealed class SafetensorsCorruptionTests : IDisposable
{
    private const string ValidHeader = """{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"BF16","shape":[3],"data_offsets":[16,22]}}""";
    private readonly TempDir _dir = new();

    [Fact]
    public void Open_ValidHandMadeFile_ReadsTensors()
    {
        var path = Write(ValidHeader, new byte[22]);
        using var reader = SafetensorsReader.Open(path);
        Assert.Equal(["a", "b"], reader.Tensors.Select(t => t.Name));
        Assert.Equal("pt", reader.Metadata["format"]);
        using var b = reader.Read("b");
        Assert.Equal(new long[] { 3 }, b.shape);
    }

    [Fact]
    public void Open_TruncatedData_NamesFileAndTensor()
    {
        var path = Write(ValidHeader, new byte[20]); // two bytes short: tensor b runs past the end
        var ex = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("tensor 'b'", ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Open_TruncatedHeader_SaysSo()
    {
        var bytes = File.ReadAllBytes(Write(ValidHeader, new byte[22]));
        var path = _dir.File("cut.safetensors");
        File.WriteAllBytes(path, bytes[..40]); // cut inside the JSON header
        var ex = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(path));
        Assert.Contains("exceeds", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Open_TooShortFile_SaysSo()
    {
        var path = _dir.File("tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("too short", Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(path)).Message);
    }

    [Fact]
    public void Open_CorruptJson_SaysNotValidJson()
    {
        var path = Write(ValidHeader.Replace("\"dtype\":\"F32\",", "\"dtype\":\"F32\"\u0001", StringComparison.Ordinal), new byte[22]);
        var ex = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(path));
        Assert.Contains("not valid JSON", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Open_OversizedHeaderLength_RefusedWithoutAllocating()
    {
        var path = _dir.File("huge.safetensors");
        var bytes = new byte[64];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 40); // claims a 1 TiB header
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(path));
        Assert.Contains("header length 1099511627776", ex.Message);
    }

    [Fact]
    public void Open_OverlappingOffsets_NamesBothTensors()
    {
        var header = """{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""";
        var ex = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(Write(header, new byte[16])));
        Assert.Contains("overlaps", ex.Message);
        Assert.Contains("'a'", ex.Message);
        Assert.Contains("'b'", ex.Message);
    }

    [Fact]
    public void Open_ShapeDisagreesWithOffsets_NamesTensorAndSizes()
    {
        var header = """{"w":{"dtype":"F32","shape":[3,3],"data_offsets":[0,32]}}""";
        var ex = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(Write(header, new byte[32])));
        Assert.Contains("tensor 'w'", ex.Message);
        Assert.Contains("needs 36 bytes", ex.Message);
    }

    [Fact]
    public void Open_OverflowingShape_IsRefused()
    {
        var header = """{"w":{"dtype":"F32","shape":[4294967296,4294967296,8],"data_offsets":[0,8]}}""";
        Assert.Contains("too large", Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(Write(header, new byte[8]))).Message);
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"Q4","shape":[2],"data_offsets":[0,2]}}""", "unknown dtype 'Q4'")]
    [InlineData("""{"w":{"dtype":"U8","shape":[-2],"data_offsets":[0,2]}}""", "non-negative integers")]
    [InlineData("""{"w":{"dtype":"U8","shape":[2],"data_offsets":[0]}}""", "[begin, end]")]
    [InlineData("""{"w":{"dtype":"U8","shape":[2]}}""", "data_offsets")]
    [InlineData("""{"w":[1,2]}""", "tensor 'w'")]
    [InlineData("""{"w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}""", "gap")]
    [InlineData("""{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}""", "trailing")]
    [InlineData("""{"w":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"w":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}""", "appears twice")]
    [InlineData("""[1,2,3]""", "not a JSON object")]
    [InlineData("""{"__metadata__":{"format":1}}""", "__metadata__")]
    public void Open_MalformedEntries_AreRefused(string header, string expected)
    {
        var ex = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(Write(header, new byte[2])));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Read_DtypeWithoutTorchSharpType_NamesTensor()
    {
        using var reader = SafetensorsReader.Open(Write("""{"f8":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}""", new byte[2]));
        Assert.Contains("tensor 'f8'", Assert.Throws<NotSupportedException>(() => reader.Read("f8")).Message);
    }

    public void Dispose() => _dir.Dispose();

    private string Write(string header, byte[] data)
    {
        var path = _dir.File(Guid.NewGuid().ToString("N") + ".safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
