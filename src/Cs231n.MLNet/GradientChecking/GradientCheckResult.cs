namespace Cs231n.MLNet.GradientChecking;

/// <summary>The outcome of comparing an analytic gradient with a numerical one.</summary>
/// <param name="MaxRelativeError">The largest relative error |a − n| / max(|a|, |n|) over the checked coordinates (0/0 counts as 0).</param>
/// <param name="WorstIndex">The coordinate with that error (−1 if nothing was checked).</param>
/// <param name="AnalyticAtWorst">The analytic gradient at <paramref name="WorstIndex"/>.</param>
/// <param name="NumericalAtWorst">The numerical gradient at <paramref name="WorstIndex"/>.</param>
/// <param name="CheckedCount">How many coordinates were compared.</param>
public sealed record GradientCheckResult(double MaxRelativeError, int WorstIndex, double AnalyticAtWorst, double NumericalAtWorst, int CheckedCount)
{
    /// <summary>A one-line description for assertion messages.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"max relative error {MaxRelativeError:E3} at [{WorstIndex}] (analytic {AnalyticAtWorst:G17}, numerical {NumericalAtWorst:G17}) over {CheckedCount} coordinates");
}
