using LLMDistill.Inference;
using TorchSharp;

namespace LLMDistill.Tests.Inference;

public sealed class DeviceResolverTests
{
    [Fact]
    public void Resolve_AutoWithoutCuda_IsCpu()
    {
        Assert.Equal(DeviceType.CPU, DeviceResolver.Resolve("auto", () => false, () => 0).type);
        Assert.Equal(DeviceType.CPU, DeviceResolver.Resolve(null, () => false, () => 0).type);
    }

    [Fact]
    public void Resolve_AutoWithCuda_IsCuda0()
    {
        var device = DeviceResolver.Resolve("auto", () => true, () => 2);
        Assert.Equal(DeviceType.CUDA, device.type);
        Assert.Equal(0, device.index);
    }

    [Fact]
    public void Resolve_CudaIndex_IsThatDevice()
    {
        var device = DeviceResolver.Resolve("CUDA:1", () => true, () => 2);
        Assert.Equal(DeviceType.CUDA, device.type);
        Assert.Equal(1, device.index);
    }

    [Theory]
    [InlineData("cuda", false, 0, "CUDA is not available")]
    [InlineData("cuda:2", true, 2, "2 CUDA device(s) visible")]
    [InlineData("cuda:x", true, 2, "no valid CUDA index")]
    [InlineData("tpu", true, 1, "is not supported")]
    public void Resolve_Invalid_ThrowsNamingTheDevice(string spec, bool available, int count, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => DeviceResolver.Resolve(spec, () => available, () => count));
        Assert.Contains(expected, ex.Message);
        Assert.Contains($"'{spec}'", ex.Message);
    }

    [Fact]
    public void Resolve_Cpu_OnThisMachine_IsCpu() => Assert.Equal(DeviceType.CPU, DeviceResolver.Resolve("cpu").type);
}
