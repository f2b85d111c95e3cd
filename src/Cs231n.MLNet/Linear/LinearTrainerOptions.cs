using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet;

/// <summary>Options shared by <see cref="MulticlassSvmTrainer"/> and <see cref="SoftmaxTrainer"/>.</summary>
public abstract class LinearTrainerOptions : GradientTrainerOptions
{
    /// <summary>Momentum of SGD in [0, 1); 0 gives plain SGD.</summary>
    public double Momentum = 0.9;

    /// <summary>Standard deviation of the Gaussian initial weights (biases start at 0); CS231n uses 0.001.</summary>
    public double WeightInitializationScale = 1e-3;

    internal override void Validate(string trainerName)
    {
        base.Validate(trainerName);
        if (!(Momentum >= 0 && Momentum < 1))
            throw Invalid(nameof(Momentum), Momentum, "must be in [0, 1) (0 gives plain SGD)", trainerName);
        if (!(WeightInitializationScale >= 0 && double.IsFinite(WeightInitializationScale)))
            throw Invalid(nameof(WeightInitializationScale), WeightInitializationScale, "must be finite and non-negative", trainerName);
    }
}
