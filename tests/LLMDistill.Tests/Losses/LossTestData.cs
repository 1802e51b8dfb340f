using static TorchSharp.torch;

namespace LLMDistill.Tests.Losses;

/// <summary>Deterministic small tensors for loss tests (System.Random, not torch's global generator).</summary>
internal static class LossTestData
{
    public static double[] Normal(int count, int seed, double scale = 2.0)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => scale * (random.NextDouble() * 2 - 1) * 1.7).ToArray();
    }

    public static Tensor Logits(long[] shape, int seed, double scale = 2.0)
        => tensor(Normal((int)shape.Aggregate(1L, (a, b) => a * b), seed, scale), shape, ScalarType.Float64);

    public static Tensor Labels(long[] shape, int vocab, int seed)
    {
        var random = new Random(seed);
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        return tensor(Enumerable.Range(0, count).Select(_ => (long)random.Next(vocab)).ToArray(), shape, ScalarType.Int64);
    }

    /// <summary>
    /// max |autograd gradient − central finite difference| of <paramref name="loss"/> w.r.t. a float64 input,
    /// step h = 1e-5 (truncation ~h², rounding ~1e-16/h: both far below the 1e-7 the tests allow).
    /// </summary>
    public static double MaxGradientError(Tensor input, Func<Tensor, Tensor> loss)
    {
        const double h = 1e-5;
        var values = input.data<double>().ToArray();
        var shape = input.shape;

        using var x = tensor(values, shape, ScalarType.Float64).requires_grad_(true);
        using (var value = loss(x))
        {
            value.backward();
        }

        var analytic = x.grad!.data<double>().ToArray();
        var worst = 0.0;
        using var noGrad = no_grad();
        for (var i = 0; i < values.Length; i++)
        {
            var plus = Evaluate(values, shape, i, h, loss);
            var minus = Evaluate(values, shape, i, -h, loss);
            worst = Math.Max(worst, Math.Abs(analytic[i] - ((plus - minus) / (2 * h))));
        }

        return worst;
    }

    private static double Evaluate(double[] values, long[] shape, int index, double delta, Func<Tensor, Tensor> loss)
    {
        var shifted = (double[])values.Clone();
        shifted[index] += delta;
        using var scope = NewDisposeScope();
        return loss(tensor(shifted, shape, ScalarType.Float64)).item<double>();
    }
}
