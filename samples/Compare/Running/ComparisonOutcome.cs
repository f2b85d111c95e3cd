using Compare.Contenders;

namespace Compare.Running;

/// <summary>Everything a finished comparison produced, for the report.</summary>
/// <param name="Results">The contenders that trained, in training order.</param>
/// <param name="Failures">The contenders that failed, with the reason.</param>
/// <param name="TuningRowCount">How many training rows the searches used.</param>
/// <param name="TotalSeconds">The wall-clock time of all training, tuning and testing.</param>
internal sealed record ComparisonOutcome(
    IReadOnlyList<ContenderResult> Results,
    IReadOnlyList<(Contender Contender, string Reason)> Failures,
    int TuningRowCount,
    double TotalSeconds);
