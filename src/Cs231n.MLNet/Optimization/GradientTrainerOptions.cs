namespace Cs231n.MLNet.Optimization;

/// <summary>
/// Options shared by the trainers that learn by minibatch gradient descent (multiclass SVM, softmax, multilayer
/// perceptron). Each trainer's <c>Options</c> sets its own defaults, documented there.
/// </summary>
public abstract class GradientTrainerOptions : Cs231nTrainerOptions
{
    /// <summary>Passes over the training data (the maximum, with early stopping).</summary>
    public int NumberOfEpochs = 10;

    /// <summary>Examples per minibatch.</summary>
    public int BatchSize = 128;

    /// <summary>The initial learning rate.</summary>
    public double LearningRate = 1e-3;

    /// <summary>Factor applied to the learning rate after every epoch (CS231n's lr_decay); 1 keeps it constant.</summary>
    public double LearningRateDecay = 1.0;

    /// <summary>λ of the L2 penalty ½·λ·Σ‖W‖² on the weights (biases are not penalised).</summary>
    public double L2Regularization;

    /// <summary>Whether to visit the training rows in a new random order every epoch.</summary>
    public bool Shuffle = true;

    /// <summary>Seed of initialisation, shuffling and dropout; null draws it from the MLContext's seed.</summary>
    public int? Seed;

    /// <summary>
    /// Fraction of the training rows held out to measure validation accuracy per epoch when <c>Fit</c> gets no
    /// validation set; 0 holds out none. With validation data the model keeps the weights of the best epoch.
    /// </summary>
    public double ValidationFraction;

    /// <summary>With validation data, stop after this many epochs without a better validation accuracy; 0 never stops early.</summary>
    public int EarlyStoppingPatience;

    /// <summary>
    /// Polyak averaging: end with the mean of the weights over the last this-many epochs (updated after every
    /// minibatch) instead of the last iterate, removing most of SGD's end-of-training noise; 0 disables it. Larger
    /// than <see cref="NumberOfEpochs"/> averages over every epoch.
    /// </summary>
    public int AveragedEpochs;

    /// <summary>Receives a summary after every epoch (the same line also goes to the MLContext log as Info).</summary>
    public IProgress<TrainingProgress>? Progress;

    internal override void Validate(string trainerName)
    {
        base.Validate(trainerName);
        if (NumberOfEpochs < 1)
            throw Invalid(nameof(NumberOfEpochs), NumberOfEpochs, "must be at least 1", trainerName);
        if (BatchSize < 1)
            throw Invalid(nameof(BatchSize), BatchSize, "must be at least 1", trainerName);
        if (!(LearningRate > 0 && double.IsFinite(LearningRate)))
            throw Invalid(nameof(LearningRate), LearningRate, "must be positive", trainerName);
        if (!(LearningRateDecay > 0 && LearningRateDecay <= 1))
            throw Invalid(nameof(LearningRateDecay), LearningRateDecay, "must be in (0, 1] (1 keeps the rate constant)", trainerName);
        if (!(L2Regularization >= 0 && double.IsFinite(L2Regularization)))
            throw Invalid(nameof(L2Regularization), L2Regularization, "must be finite and non-negative", trainerName);
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw Invalid(nameof(ValidationFraction), ValidationFraction, "must be in [0, 1) (0 holds out nothing)", trainerName);
        if (EarlyStoppingPatience < 0)
            throw Invalid(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "must be non-negative (0 disables early stopping)", trainerName);
        if (AveragedEpochs < 0)
            throw Invalid(nameof(AveragedEpochs), AveragedEpochs, "must be non-negative (0 disables averaging)", trainerName);
    }

    /// <summary>"The 'LearningRate' option of SoftmaxTrainer must be positive; got -0.1."</summary>
    private protected static ArgumentOutOfRangeException Invalid(string option, object value, string requirement, string trainerName)
        => SolverOptions.Invalid(option, value, requirement, trainerName);

    /// <summary>The solver settings these options describe.</summary>
    internal SolverOptions ToSolverOptions(int seed) => new()
    {
        NumberOfEpochs = NumberOfEpochs,
        BatchSize = BatchSize,
        LearningRate = LearningRate,
        LearningRateSchedule = LearningRateDecay == 1.0 ? LearningRateSchedule.Constant : LearningRateSchedule.ExponentialDecay(LearningRateDecay),
        L2Regularization = L2Regularization,
        Shuffle = Shuffle,
        Seed = seed,
        ValidationFraction = ValidationFraction,
        EarlyStoppingPatience = EarlyStoppingPatience,
        AveragedEpochs = AveragedEpochs,
    };
}
