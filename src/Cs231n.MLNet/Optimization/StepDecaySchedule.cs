namespace Cs231n.MLNet;

/// <summary>Step decay: rate = initial · factor^⌊epoch / stepEpochs⌋.</summary>
public sealed class StepDecaySchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule; <paramref name="stepEpochs"/> ≥ 1 and <paramref name="factor"/> in (0, 1].</summary>
    public StepDecaySchedule(int stepEpochs, double factor)
    {
        if (stepEpochs < 1)
            throw new ArgumentOutOfRangeException(nameof(stepEpochs), stepEpochs, $"The decay step must be at least 1 epoch; got {stepEpochs}.");
        if (!(factor > 0 && factor <= 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"The decay factor must be in (0, 1]; got {factor}.");
        StepEpochs = stepEpochs;
        Factor = factor;
    }

    /// <summary>Epochs between decays.</summary>
    public int StepEpochs { get; }

    /// <summary>Multiplier applied at each decay.</summary>
    public double Factor { get; }

    /// <inheritdoc/>
    public override double LearningRate(double initialRate, int epoch) => initialRate * Math.Pow(Factor, epoch / StepEpochs);

    /// <inheritdoc/>
    public override string ToString() => $"×{Factor} every {StepEpochs} epochs";
}
