using LLMDistill.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMDistill.Training.Distillation;

#pragma warning disable IDE1006 // module field names are the state-dict keys

/// <summary>
/// FitNets hidden-state distillation (Romero et al. 2015, "FitNets: Hints for Thin Deep Nets"): for each pair (i, j),
/// student layer output i goes through a learned linear regressor (only when the widths differ) and is compared with
/// teacher layer output j by mean squared error over real tokens. The regressors are float32, trained with the
/// student and never exported with it.
/// </summary>
internal sealed class HiddenStateDistiller : nn.Module
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> projections;

    /// <summary>Creates the regressors.</summary>
    /// <param name="pairs">(student layer, teacher layer): 0 = embeddings, i = output of layer i.</param>
    /// <param name="studentWidth">Student hidden size.</param>
    /// <param name="teacherWidth">Teacher hidden size.</param>
    /// <param name="device">Where the regressors live.</param>
    /// <param name="seed">Seed of their initialisation.</param>
    public HiddenStateDistiller(IReadOnlyList<(int Student, int Teacher)> pairs, int studentWidth, int teacherWidth, Device device, long seed)
        : base(nameof(HiddenStateDistiller))
    {
        ArgumentNullException.ThrowIfNull(pairs);
        Pairs = pairs;
        projections = new ModuleList<nn.Module<Tensor, Tensor>>();
        foreach (var _ in pairs)
        {
            projections.Add(studentWidth == teacherWidth
                ? nn.Identity()
                : nn.Linear(studentWidth, teacherWidth, hasBias: false, device: device, dtype: ScalarType.Float32));
        }

        RegisterComponents();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed, device);
        foreach (var (_, parameter) in named_parameters())
        {
            // Near-identity scale: a regressor starting at N(0, 1/width) keeps the first MSE in the teacher's range.
            parameter.normal_(0, 1.0 / Math.Sqrt(studentWidth), generator);
        }
    }

    /// <summary>The layer pairs.</summary>
    public IReadOnlyList<(int Student, int Teacher)> Pairs { get; }

    /// <summary>Default pairs: every student layer i maps to teacher layer round(i · teacherLayers / studentLayers).</summary>
    public static IReadOnlyList<(int Student, int Teacher)> DefaultPairs(int studentLayers, int teacherLayers) =>
        Enumerable.Range(1, studentLayers).Select(i => (i, (int)Math.Round((double)i * teacherLayers / studentLayers, MidpointRounding.AwayFromZero))).ToArray();

    /// <summary>Mean over pairs of the MSE between projected student states and teacher states at real tokens.</summary>
    /// <param name="student">Student hidden states (layers + 1 tensors of (B, T, Cs)), with autograd.</param>
    /// <param name="teacher">Teacher hidden states (layers + 1 tensors of (B, T, Ct)), no grad.</param>
    /// <param name="valid">(B, T) bool: real tokens.</param>
    /// <returns>0-dim float32 loss.</returns>
    public Tensor Loss(IReadOnlyList<Tensor> student, IReadOnlyList<Tensor> teacher, Tensor valid)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        Tensor? total = null;
        for (var p = 0; p < Pairs.Count; p++)
        {
            var (i, j) = Pairs[p];
            var s = DistillationLosses.SelectRows(student[i], valid).to_type(ScalarType.Float32);   // (N, Cs)
            var t = DistillationLosses.SelectRows(teacher[j], valid).to_type(ScalarType.Float32);   // (N, Ct)
            var mse = nn.functional.mse_loss(projections[p].call(s), t);
            total = total is null ? mse : total + mse;
        }

        return total! / Pairs.Count;
    }
}
