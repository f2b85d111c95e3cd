using Cs231n.MLNet.Optimization;
using Cs231n.MLNet.Training;

namespace Cs231n.MLNet;

/// <summary>
/// Options shared by the trainers that learn by minibatch gradient descent (multiclass SVM, softmax, multilayer
/// perceptron). Training runs until it converges, as scikit-learn's and ML.NET's SDCA users expect: after
/// <see cref="EarlyStoppingPatience"/> epochs without the training loss improving by <see cref="ConvergenceTolerance"/>,
/// the learning rate is cut, and after the last cut training stops; <see cref="NumberOfEpochs"/> only caps it. Options
/// left null are chosen from the data (see <see cref="AutomaticTrainingSettings"/>), so the defaults work from a hundred
/// rows to tens of thousands and for any feature scale. Each trainer's <c>Options</c> documents its own defaults.
/// </summary>
public abstract class GradientTrainerOptions : Cs231nTrainerOptions
{
    /// <summary>
    /// The largest number of passes over the training data (scikit-learn's <c>max_iter</c>). Null chooses it from the
    /// number of rows, so that small data sets get enough parameter updates. To train exactly this many epochs, also set
    /// <see cref="EarlyStoppingPatience"/> to 0.
    /// </summary>
    public int? NumberOfEpochs;

    /// <summary>Examples per minibatch. Null: min(200, max(16, rows / 10)), so an epoch is at least ten updates.</summary>
    public int? BatchSize;

    /// <summary>The initial learning rate. Null: the trainer's default (the linear trainers derive it from the data).</summary>
    public double? LearningRate;

    /// <summary>Factor applied to the learning rate after every epoch (CS231n's lr_decay); 1 keeps it constant between the cuts made on plateaus.</summary>
    public double LearningRateDecay = 1.0;

    /// <summary>
    /// How the learning rate changes from epoch to epoch, as PyTorch's <c>lr_scheduler</c> does:
    /// <c>LearningRateSchedule.StepDecay(30, 0.1)</c> is <c>StepLR(step_size=30, gamma=0.1)</c>,
    /// <c>LearningRateSchedule.ExponentialDecay(0.95)</c> is <c>ExponentialLR(gamma=0.95)</c>. The cuts on plateaus
    /// (see <see cref="EarlyStoppingPatience"/>) apply on top. Null: <see cref="LearningRateDecay"/> per epoch, which by
    /// default keeps the rate constant. Set one of the two.
    /// </summary>
    public LearningRateSchedule? LearningRateSchedule;

    /// <summary>
    /// λ of the L2 penalty ½·λ·Σ‖W‖² on the weights (biases are not penalised), added to the mean loss. Null: the
    /// trainer's default (the linear trainers use 1 / rows, the weight of scikit-learn's C = 1).
    /// </summary>
    public double? L2Regularization;

    /// <summary>Whether to visit the training rows in a new random order every epoch.</summary>
    public bool Shuffle = true;

    /// <summary>Seed of initialisation, shuffling and dropout; null draws it from the MLContext's seed.</summary>
    public int? Seed;

    /// <summary>
    /// Fraction of the training rows held out to measure validation accuracy per epoch when <c>Fit</c> gets no
    /// validation set; 0 holds out none. With validation data, training also stops when validation accuracy stops
    /// improving, and the model keeps the weights of the best epoch.
    /// </summary>
    public double ValidationFraction;

    /// <summary>
    /// The smallest improvement that counts as progress (scikit-learn's <c>tol</c>, SDCA's <c>ConvergenceTolerance</c>):
    /// of the epoch's mean training loss or, with validation data, of validation accuracy.
    /// </summary>
    public double ConvergenceTolerance = 1e-4;

    /// <summary>
    /// Epochs without progress before acting (scikit-learn's <c>n_iter_no_change</c>): the learning rate is cut by 5,
    /// up to twice, then training stops as converged; with validation data it stops when validation accuracy has not
    /// improved for this many epochs. 0 turns both off and runs exactly <see cref="NumberOfEpochs"/> epochs.
    /// </summary>
    public int EarlyStoppingPatience = 10;

    /// <summary>
    /// End with an average of the weights over the last phase of training (polynomial-decay averaging, restarted
    /// whenever the learning rate changes) instead of the last iterate, when it fits the training data (or, with
    /// validation data, validates) at least as well. It removes most of SGD's end-of-training noise.
    /// </summary>
    public bool AverageWeights;

    /// <summary>
    /// Train on features centred and scaled to unit spread (each feature's mean and standard deviation, measured on the
    /// training rows), then fold that scaling into the first layer's weights, so the saved model scores the original
    /// features. It makes the step sizes independent of the features' units; it changes neither the model family nor
    /// what the model scores, only how fast and how reliably training gets there.
    /// </summary>
    public bool StandardizeFeatures = true;

    /// <summary>Receives a summary after every epoch (the same line also goes to the MLContext log as Info).</summary>
    public IProgress<TrainingProgress>? Progress;

    internal override void Validate(string trainerName)
    {
        base.Validate(trainerName);
        if (NumberOfEpochs is int epochs)
            SettingRules.NumberOfEpochs.Check(epochs, trainerName, SettingRules.ChosenFromData);
        if (BatchSize is int batch)
            SettingRules.BatchSize.Check(batch, trainerName, SettingRules.ChosenFromData);
        if (LearningRate is double rate)
            SettingRules.LearningRate.Check(rate, trainerName, SettingRules.TrainerDefault);
        if (!(LearningRateDecay > 0 && LearningRateDecay <= 1))
            throw Invalid(nameof(LearningRateDecay), LearningRateDecay, "must be in (0, 1] (1 keeps the rate constant)", trainerName);
        if (LearningRateSchedule is not null && LearningRateDecay != 1.0)
            throw Invalid(nameof(LearningRateDecay), LearningRateDecay, $"must be 1 when a LearningRateSchedule ({LearningRateSchedule}) is set; give the decay in the schedule", trainerName);
        if (L2Regularization is double l2)
            SettingRules.L2Regularization.Check(l2, trainerName, SettingRules.TrainerDefault);
        SettingRules.ValidationFraction.Check(ValidationFraction, trainerName);
        SettingRules.ConvergenceTolerance.Check(ConvergenceTolerance, trainerName);
        SettingRules.EarlyStoppingPatience.Check(EarlyStoppingPatience, trainerName);
    }

    /// <summary>"The 'Momentum' option of SoftmaxTrainer must be in [0, 1); got 1."</summary>
    private protected static ArgumentOutOfRangeException Invalid(string option, object value, string requirement, string trainerName)
        => SettingRule.Invalid(option, value, requirement, trainerName);

    /// <summary>The solver settings these options describe, with the automatic choices made for <paramref name="trainingRows"/> rows.</summary>
    internal SolverOptions ToSolverOptions(int seed, int trainingRows, double learningRate, double l2Regularization, long exampleBudget) => new()
    {
        NumberOfEpochs = NumberOfEpochs ?? AutomaticTrainingSettings.MaximumEpochs(trainingRows, exampleBudget),
        BatchSize = BatchSize ?? AutomaticTrainingSettings.BatchSize(trainingRows),
        LearningRate = LearningRate ?? learningRate,
        LearningRateSchedule = LearningRateSchedule
            ?? (LearningRateDecay == 1.0 ? LearningRateSchedule.Constant : LearningRateSchedule.ExponentialDecay(LearningRateDecay)),
        L2Regularization = L2Regularization ?? l2Regularization,
        Shuffle = Shuffle,
        Seed = seed,
        ValidationFraction = ValidationFraction,
        ConvergenceTolerance = ConvergenceTolerance,
        EarlyStoppingPatience = EarlyStoppingPatience,
        LearningRateReductions = EarlyStoppingPatience == 0 ? 0 : 2,
        AnnealingFraction = SolverAnnealingFraction,
        AverageWeights = AverageWeights,
        TrainAccuracySampleSize = SolverTrainAccuracySampleSize,
    };

    /// <summary>The solver's <see cref="SolverOptions.TrainAccuracySampleSize"/>: training rows checked after each epoch.</summary>
    internal virtual int SolverTrainAccuracySampleSize => SolverOptions.DefaultTrainAccuracySampleSize;

    /// <summary>
    /// The solver's <see cref="SolverOptions.AnnealingFraction"/>: with the epoch cap chosen from the data the rate anneals
    /// over its last part; a cap the user sets is a plain limit.
    /// </summary>
    internal virtual double SolverAnnealingFraction => NumberOfEpochs is null ? AutomaticTrainingSettings.AnnealingFraction : 0;
}
