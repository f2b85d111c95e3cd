namespace Cs231n.MLNet;

/// <summary>How the learning rate changes from epoch to epoch, starting from the initial rate at epoch 0.</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for (zero-based) <paramref name="epoch"/> given <paramref name="initialRate"/>.</summary>
    public abstract double LearningRate(double initialRate, int epoch);

    /// <summary>The same rate in every epoch.</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantLearningRate();

    /// <summary>Multiplies the rate by <paramref name="factor"/> every <paramref name="stepEpochs"/> epochs.</summary>
    public static LearningRateSchedule StepDecay(int stepEpochs, double factor) => new StepDecaySchedule(stepEpochs, factor);

    /// <summary>Multiplies the rate by <paramref name="factorPerEpoch"/> after every epoch (CS231n's lr_decay).</summary>
    public static LearningRateSchedule ExponentialDecay(double factorPerEpoch) => new ExponentialDecaySchedule(factorPerEpoch);
}
