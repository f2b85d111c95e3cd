namespace Cs231n.MLNet;

/// <summary>The initial learning rate in every epoch.</summary>
public sealed class ConstantLearningRate : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double LearningRate(double initialRate, int epoch) => initialRate;

    /// <inheritdoc/>
    public override string ToString() => "constant";
}
