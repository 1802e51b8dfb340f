using System.CommandLine;
using LLMDistill.Losses.Reference;

namespace LLMDistill.Cli.Commands.Inspect;

/// <summary>
/// <c>llmdistill inspect loss --cases FILE [--out FILE] [--check]</c>: computes every distillation loss of the cases
/// (format of <c>fixtures/hf/loss-reference.json</c>) in float64 and prints
/// <c>[{"forward_kl":..,"reverse_kl":..,"jsd":..,"topk_kl":..,"ce":..,"hinton":..}, ...]</c>, so any reference
/// implementation can check this one.
/// </summary>
internal static class InspectLossCommand
{
    /// <summary>Tolerance of <c>--check</c> (absolute, relative above 1).</summary>
    public const double CheckTolerance = 1e-6;

    public static Command Create()
    {
        var cases = new Option<string>("--cases")
        {
            Description = "JSON array of cases {student, teacher: [B][T][V], mask, labels: [B][T], tau, beta, k, alpha, expected?}.",
            Required = true,
        };
        var output = new Option<string?>("--out") { Description = "Write the JSON to this file instead of stdout." };
        var check = new Option<bool>("--check") { Description = $"Exit 1 if a case's 'expected' values differ by more than {CheckTolerance:G}." };
        var command = new Command("loss", "Compute forward KL, reverse KL, JSD, top-k KL, CE and Hinton loss of reference cases in float64, as JSON.");
        command.Options.Add(cases);
        command.Options.Add(output);
        command.Options.Add(check);
        command.SetAction((parseResult, ct) => CommandRunner.RunAsync(
            token => RunAsync(parseResult.GetValue(cases)!, parseResult.GetValue(output), parseResult.GetValue(check), token), ct));
        return command;
    }

    private static async Task<int> RunAsync(string casesPath, string? outputPath, bool check, CancellationToken cancellationToken)
    {
        var cases = await LossReferenceReader.LoadAsync(casesPath, cancellationToken);
        var values = new List<LossReferenceValues>(cases.Count);
        foreach (var c in cases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                values.Add(LossReferenceRunner.Compute(c));
            }
            catch (ArgumentException ex)
            {
                throw new InvalidDataException($"{casesPath}: case {c.Index}: {ex.Message}", ex);
            }
        }

        var json = LossReferenceRunner.ToJson(values);
        if (outputPath is null)
        {
            await Console.Out.WriteLineAsync(json);
        }
        else
        {
            await File.WriteAllTextAsync(outputPath, json + Environment.NewLine, cancellationToken);
        }

        var mismatch = check ? cases.Zip(values).Select(p => LossReferenceRunner.FirstMismatch(p.First, p.Second, CheckTolerance)).FirstOrDefault(m => m is not null) : null;
        return mismatch is null ? 0 : throw new InvalidDataException($"{casesPath}: {mismatch}");
    }
}
