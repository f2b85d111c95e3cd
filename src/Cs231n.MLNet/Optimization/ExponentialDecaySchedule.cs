namespace Cs231n.MLNet;

/// <summary>Exponential (per-epoch) decay: rate = initial · factor^epoch.</summary>
public sealed class ExponentialDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule; <paramref name="factorPerEpoch"/> in (0, 1].</summary>
    public ExponentialDecaySchedule(double factorPerEpoch)
    {
        if (!(factorPerEpoch > 0 && factorPerEpoch <= 1))
            throw new ArgumentOutOfRangeException(nameof(factorPerEpoch), factorPerEpoch, $"The per-epoch decay factor must be in (0, 1]; got {factorPerEpoch}.");
        FactorPerEpoch = factorPerEpoch;
    }

    /// <summary>Multiplier applied after every epoch.</summary>
    public double FactorPerEpoch { get; }

    /// <inheritdoc/>
    public override double LearningRate(double initialRate, int epoch) => initialRate * Math.Pow(FactorPerEpoch, epoch);

    /// <inheritdoc/>
    public override string ToString() => $"×{FactorPerEpoch} per epoch";
}
