using LLMDistill.Model;
using LLMDistill.Training.Options;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMDistill.Training.Optimization;

/// <summary>
/// TorchSharp AdamW over float32 master weights. In float32 runs the masters are the student's own parameters; in
/// bfloat16 runs the student that computes is a bf16 copy (TorchSharp has no autocast), its gradients are added into
/// float32 master gradients after every micro-batch, the step updates the masters, and the bf16 weights are refreshed
/// from them, so tiny updates are not lost to bf16 rounding. Matrices get weight decay; norms and biases do not.
/// </summary>
internal sealed class TrainingOptimizer : IDisposable
{
    private readonly (Parameter Master, Parameter Compute)[] _mirrored;
    private readonly Parameter[] _masters;
    private readonly AdamW _adam;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="master">The float32 student whose parameters are optimised (and checkpointed).</param>
    /// <param name="compute">The student that runs forward/backward: <paramref name="master"/> itself, or its bf16 copy.</param>
    /// <param name="extra">Other trainable float32 parameters (hidden-state regressors), or null.</param>
    /// <param name="options">AdamW hyper-parameters.</param>
    public TrainingOptimizer(LlamaForCausalLM master, LlamaForCausalLM compute, nn.Module? extra, TrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentNullException.ThrowIfNull(options);
        var masters = master.named_parameters().ToList();
        if (!ReferenceEquals(master, compute))
        {
            var computeByName = compute.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
            _mirrored = masters.Select(m => (m.parameter, computeByName[m.name])).ToArray();
            using var noGrad = no_grad();
            foreach (var (m, _) in _mirrored)
            {
                m.grad = zeros_like(m); // float32 accumulators for the bf16 gradients
            }
        }
        else
        {
            _mirrored = [];
        }

        var all = masters.Select(p => p.parameter).Concat(extra?.parameters() ?? []).ToArray();
        _masters = all;
        var decay = all.Where(p => p.dim() >= 2).ToArray();
        var noDecay = all.Where(p => p.dim() < 2).ToArray();
        var lr = options.LearningRate.LearningRate;
        _adam = optim.AdamW(
            [
                new AdamW.ParamGroup(decay, lr, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay),
                new AdamW.ParamGroup(noDecay, lr, options.Beta1, options.Beta2, options.Epsilon, weight_decay: 0),
            ],
            lr,
            options.Beta1,
            options.Beta2,
            options.Epsilon,
            options.WeightDecay);
    }

    /// <summary>
    /// Moves the compute model's gradients into the float32 master gradients (bf16 runs; a no-op in float32 runs,
    /// where backward already accumulates into the masters). Call after every micro-batch's backward.
    /// </summary>
    public void AccumulateGradients()
    {
        if (_mirrored.Length == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (master, compute) in _mirrored)
        {
            if (compute.grad is { } grad)
            {
                master.grad!.add_(grad);
                grad.zero_();
            }
        }
    }

    /// <summary>Clips, steps and clears the gradients; refreshes the compute copy.</summary>
    /// <param name="learningRate">The rate of this step (from the schedule).</param>
    /// <param name="maxGradNorm">Clip threshold; 0 = no clipping.</param>
    /// <returns>The global gradient norm before clipping.</returns>
    public double Step(double learningRate, double maxGradNorm)
    {
        foreach (var group in _adam.ParamGroups)
        {
            group.LearningRate = learningRate;
        }

        // With clipping off the norm is still computed (for the log); a huge threshold leaves the gradients as they are.
        var norm = nn.utils.clip_grad_norm_(_masters, maxGradNorm > 0 ? maxGradNorm : 1e30);
        _adam.step();
        using (var noGrad = no_grad())
        {
            foreach (var (master, compute) in _mirrored)
            {
                compute.copy_(master);
            }
        }

        _adam.zero_grad();
        return norm;
    }

    /// <summary>Clears every gradient (after a cancelled step).</summary>
    public void ZeroGradients()
    {
        _adam.zero_grad();
        using var scope = NewDisposeScope();
        foreach (var (_, compute) in _mirrored)
        {
            compute.grad?.zero_();
        }
    }

    /// <summary>Writes the optimizer state (moments, step counts, hyper-parameters) in TorchSharp's format.</summary>
    public void Save(string path) => _adam.save_state_dict(path);

    /// <summary>Restores the optimizer state written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file does not fit this optimizer (another model or a corrupt file).</exception>
    public void Load(string path)
    {
        try
        {
            _adam.load_state_dict(path);
        }
        catch (Exception ex) when (ex is ArgumentException or EndOfStreamException or IOException or InvalidDataException or FormatException)
        {
            throw new InvalidDataException($"optimizer state '{path}' does not fit this student ({ex.Message}); the checkpoint is corrupt or from another model", ex);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _adam.Dispose();
}
