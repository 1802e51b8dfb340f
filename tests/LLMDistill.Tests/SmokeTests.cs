namespace LLMDistill.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void TorchSharp_Loads_OnCpu()
    {
        using var t = TorchSharp.torch.ones(2, 2);
        Assert.Equal(4f, t.sum().item<float>());
    }
}
