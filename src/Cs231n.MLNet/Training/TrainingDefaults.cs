using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.Training;

/// <summary>What a gradient trainer chooses for the options left null.</summary>
/// <param name="ExampleBudget">Examples visited at most when <see cref="GradientTrainerOptions.NumberOfEpochs"/> is null.</param>
/// <param name="LearningRate">The learning rate for the (standardised, if asked) training data.</param>
/// <param name="LearningRateOrigin">Where that rate comes from, for the log.</param>
/// <param name="L2Scale">λ is chosen among <paramref name="L2Multiples"/> × this, as a function of the training rows
/// (1/rows, the weight of scikit-learn's C = 1, for the linear models).</param>
/// <param name="L2Multiples">Multiples of the scale to cross-validate, best first when no search runs; one value means no search.</param>
/// <param name="L2SearchSizeLimit">Largest training set (rows × features) on which λ is cross-validated; above it the first multiple is used.</param>
internal sealed record TrainingDefaults(long ExampleBudget, Func<LabeledDataset<float>, double> LearningRate, string LearningRateOrigin,
    Func<int, double> L2Scale, IReadOnlyList<double> L2Multiples, long L2SearchSizeLimit);
