using Compare.Contenders;

namespace Compare.Running;

/// <summary>Everything a finished comparison produced, for the report.</summary>
/// <param name="Results">The contenders that trained, in training order.</param>
/// <param name="Failures">The contenders that failed, with the reason.</param>
/// <param name="CrossValidationRowCount">How many training rows cross-validation used.</param>
/// <param name="TotalSeconds">The wall-clock time of all training, tuning and testing.</param>
internal sealed record ComparisonOutcome(
    IReadOnlyList<ContenderResult> Results,
    IReadOnlyList<(Contender Contender, string Reason)> Failures,
    int CrossValidationRowCount,
    double TotalSeconds);
