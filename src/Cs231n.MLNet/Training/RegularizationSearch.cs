using Cs231n.MLNet.NeuralNetworks;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.Training;

/// <summary>
/// Chooses λ of the L2 penalty by stratified k-fold cross-validation of the held-out loss, as scikit-learn's
/// <c>LogisticRegressionCV</c> does. How much to regularise depends on the data (few rows or many noise features want
/// more), so on data small enough to train a dozen times the trainers pick it instead of fixing it.
/// </summary>
internal static class RegularizationSearch
{
    /// <summary>Folds of the cross-validation.</summary>
    public const int Folds = 3;

    /// <summary>
    /// The candidate with the lowest mean held-out loss; a tie goes to the larger λ, the simpler model.
    /// </summary>
    /// <param name="data">The training rows.</param>
    /// <param name="candidates">The values of λ to try.</param>
    /// <param name="heldOutLoss">Trains with λ on the first set and returns the mean data loss (without the penalty) on the second.</param>
    /// <param name="seed">Seed of the fold assignment.</param>
    /// <returns>The chosen λ and the mean held-out loss of every candidate, in order.</returns>
    public static (double Lambda, double[] Losses) Choose(LabeledDataset<float> data, IReadOnlyList<double> candidates,
        Func<double, LabeledDataset<float>, LabeledDataset<float>, double> heldOutLoss, int seed)
    {
        int[] fold = AssignFolds(data, seed);
        var losses = new double[candidates.Count];
        for (int f = 0; f < Folds; f++)
        {
            var fit = Subset(data, Enumerable.Range(0, data.Count).Where(i => fold[i] != f).ToArray());
            var held = Subset(data, Enumerable.Range(0, data.Count).Where(i => fold[i] == f).ToArray());
            for (int c = 0; c < candidates.Count; c++)
                losses[c] += heldOutLoss(candidates[c], fit, held) / Folds;
        }
        int best = 0;
        for (int c = 1; c < candidates.Count; c++)
        {
            bool better = losses[c] < losses[best] || losses[c] == losses[best] && candidates[c] > candidates[best];
            if (better)
                best = c;
        }
        return (candidates[best], losses);
    }

    /// <summary>Whether every fold would keep at least one row of every class in training and have rows to hold out.</summary>
    public static bool IsFeasible(LabeledDataset<float> data) => data.Count >= 2 * Folds * Math.Max(1, data.ClassCount);

    /// <summary>Stratified: each class's rows, shuffled, dealt to the folds in turn.</summary>
    private static int[] AssignFolds(LabeledDataset<float> data, int seed)
    {
        var random = new SeededRandom(seed);
        var fold = new int[data.Count];
        int next = 0;
        foreach (var rows in Enumerable.Range(0, data.Count).GroupBy(i => data.Labels[i]).OrderBy(g => g.Key))
        {
            int[] shuffled = rows.ToArray();
            random.Shuffle(shuffled);
            foreach (int row in shuffled)
                fold[row] = next++ % Folds;
        }
        return fold;
    }

    private static LabeledDataset<float> Subset(LabeledDataset<float> data, int[] rows)
    {
        int d = data.FeatureCount;
        var features = new float[rows.Length * d];
        var labels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            data.Row(rows[i]).CopyTo(features.AsSpan(i * d, d));
            labels[i] = data.Labels[rows[i]];
        }
        return new LabeledDataset<float>(features, labels, d, data.ClassCount);
    }
}
