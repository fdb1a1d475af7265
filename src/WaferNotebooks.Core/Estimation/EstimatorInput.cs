using WaferNotebooks.Core.Catalog;
using WaferNotebooks.Core.Parallel;
using WaferNotebooks.Core.Workload;

namespace WaferNotebooks.Core.Estimation;

/// <summary>
/// What every estimator may take for granted: the simulator and the planner refuse a request
/// that fails these checks before any estimator sees it.
/// </summary>
public static class EstimatorInput
{
    /// <summary>Rejects requests no estimator can answer, with a message that says what would be right.</summary>
    internal static void Check(TrainingJob job, SystemSpec system, int devices)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(system);
        if (LayoutRules.DeviceProblem(system, devices) is { } problem)
            throw new WaferInputException(Sentence(problem));
        if (!(job.Tokens > 0) || !double.IsFinite(job.Tokens))
            throw new WaferInputException($"The number of training tokens must be a positive number, got {job.Tokens}.");
        if (job.GlobalBatchSeqs < 1)
            throw new WaferInputException($"The global batch must be at least 1 sequence, got {job.GlobalBatchSeqs}.");
        if (job.SeqLen < 1)
            throw new WaferInputException($"The sequence length must be at least 1 token, got {job.SeqLen}.");
    }

    /// <summary>A rule's clause (lower case, no full stop) as a sentence of a message; a clause that starts with an id (dgx-h100, 512) keeps it as written.</summary>
    internal static string Sentence(string text) =>
        (text.TakeWhile(c => c != ' ').All(char.IsLetter) ? char.ToUpperInvariant(text[0]) + text[1..] : text) + ".";
}
