using System.Runtime.InteropServices;
using LLMDistill.Inference;

namespace LLMDistill.Tests.Inference;

public sealed class OpenMpWaitPolicyTests
{
    [Fact]
    public void PreferPassive_SetsTheNativeVariableUnlessTheUserDid()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var before = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"); // the user's value at process start, if any
        OpenMpWaitPolicy.PreferPassive();
        Assert.Equal(before ?? "PASSIVE", Marshal.PtrToStringUTF8(NativeMethods.getenv("OMP_WAIT_POLICY")));
    }

    private static class NativeMethods
    {
        [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern IntPtr getenv(string name);
    }
}
