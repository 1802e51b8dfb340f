using static TorchSharp.torch;

namespace LLMDistill.Losses;

/// <summary>
/// Custom autograd node of <see cref="ChunkedDistillationLoss"/>: forward sums chunk losses without a graph;
/// backward recomputes each chunk with autograd and back-propagates it through the head immediately.
/// </summary>
internal sealed class ChunkedLossFunction : autograd.SingleTensorFunction<ChunkedLossFunction>
{
    private const string StateKey = "state";

    public override string Name => nameof(ChunkedLossFunction);

    /// <param name="ctx">The node's context.</param>
    /// <param name="vars">[0]: hidden (N, H); [1]: <see cref="ChunkedLossState"/>.</param>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var hidden = (Tensor)vars[0];
        var state = (ChunkedLossState)vars[1];
        ctx.save_for_backward([hidden]);
        ctx.save_data(StateKey, state);

        ObjectiveRows.Sums? total = null;
        foreach (var (start, length) in state.Chunks(hidden.shape[0]))
        {
            using var scope = NewDisposeScope();
            var sums = state.ChunkSums(hidden.narrow(0, start, length), start, length, checkIds: true);
            total = total is null ? Detach(sums) : Add(total, sums);
        }

        state.ForwardSums = total;
        return total!.Total / Math.Max(state.Count, 1);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var hidden = ctx.get_saved_variables()[0];
        var state = (ChunkedLossState)ctx.get_data(StateKey);
        var gradHidden = zeros_like(hidden);                         // (N, H)
        using (var scope = NewDisposeScope())
        {
            var scale = grad_output / Math.Max(state.Count, 1);
            using var grad = enable_grad();
            foreach (var (start, length) in state.Chunks(hidden.shape[0]))
            {
                using var chunkScope = NewDisposeScope();
                var rows = hidden.narrow(0, start, length).detach().requires_grad_(true);
                var total = state.ChunkSums(rows, start, length, checkIds: false).Total;
                if (!total.requires_grad)
                {
                    continue;
                }

                // Re-entrant backward, as reentrant activation checkpointing does: the head's parameters
                // accumulate their gradients now, the rows' gradient goes back to the caller's graph.
                total.backward([scale.to_type(total.dtype)]);
                if (rows.grad is { } rowGrad)
                {
                    gradHidden.narrow(0, start, length).copy_(rowGrad);
                }
            }
        }

        return [gradHidden, null!];
    }

    private static ObjectiveRows.Sums Detach(ObjectiveRows.Sums sums) => new(
        sums.Total.detach().clone().MoveToOuterDisposeScope(),
        sums.Parts.ToDictionary(p => p.Key, p => p.Value.detach().clone().MoveToOuterDisposeScope()),
        sums.Fallback?.detach().clone().MoveToOuterDisposeScope(),
        sums.Confident?.detach().clone().MoveToOuterDisposeScope());

    private static ObjectiveRows.Sums Add(ObjectiveRows.Sums into, ObjectiveRows.Sums sums)
    {
        into.Total.add_(sums.Total);
        foreach (var (kind, part) in sums.Parts)
        {
            into.Parts[kind].add_(part);
        }

        into.Fallback?.add_(sums.Fallback!);
        into.Confident?.add_(sums.Confident!);
        return into;
    }
}
