using System.Numerics;

namespace Cs231n.MLNet.Optimization;

/// <summary>
/// What an optimiser remembers about one parameter array between updates: up to two moment arrays of the parameter's
/// length (velocity, running averages) and the number of updates applied so far.
/// </summary>
/// <typeparam name="T">The number type.</typeparam>
public sealed class OptimizerState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates state with <paramref name="momentCount"/> zeroed arrays of <paramref name="length"/> values.</summary>
    public OptimizerState(int length, int momentCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (momentCount is < 0 or > 2)
            throw new ArgumentOutOfRangeException(nameof(momentCount), momentCount, "An optimiser keeps between 0 and 2 moment arrays.");
        First = momentCount >= 1 ? new T[length] : [];
        Second = momentCount >= 2 ? new T[length] : [];
        Length = length;
    }

    /// <summary>Length of the parameter array this state belongs to.</summary>
    public int Length { get; }

    /// <summary>First moment: velocity (momentum, Nesterov), running mean of gradients (Adam), or running mean of squared gradients (RMSProp).</summary>
    public T[] First { get; }

    /// <summary>Second moment: running mean of squared gradients (Adam); empty otherwise.</summary>
    public T[] Second { get; }

    /// <summary>Number of updates applied (Adam's t, for bias correction).</summary>
    public long Step { get; internal set; }
}
