namespace Cs231n.MLNet.GradientChecking;

/// <summary>The difference formula a numerical gradient uses.</summary>
public enum FiniteDifference
{
    /// <summary>
    /// CS231n's two-point centred difference (f(x + h) − f(x − h)) / 2h, error O(h²); default step 1e-5. Rounding
    /// limits it to roughly 1e-16·|f| / h absolute, which is a visible relative error on coordinates whose gradient is tiny.
    /// </summary>
    Centred,

    /// <summary>
    /// Five-point centred difference (f(x − 2h) − 8f(x − h) + 8f(x + h) − f(x + 2h)) / 12h, error O(h⁴); default step
    /// 1e-3, so rounding costs about 100× less than <see cref="Centred"/>. For whole networks, where some gradient
    /// coordinates are 1e-4 or smaller.
    /// </summary>
    CentredFourthOrder,
}
