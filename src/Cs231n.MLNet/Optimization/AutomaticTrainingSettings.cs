namespace Cs231n.MLNet;

/// <summary>
/// How the gradient trainers choose the settings left null, from the size of the data. The aim is that the number of
/// parameter updates never collapses on small data: a fixed 10 epochs at batch 128 is only 10 updates on 105 rows.
/// </summary>
public static class AutomaticTrainingSettings
{
    /// <summary>The largest automatic minibatch (scikit-learn's <c>batch_size="auto"</c> is min(200, rows)).</summary>
    public const int LargestBatchSize = 200;

    /// <summary>The smallest automatic minibatch on data sets of more rows than this.</summary>
    public const int SmallestBatchSize = 16;

    /// <summary>Fewest epochs allowed, however large the data.</summary>
    public const int FewestEpochs = 10;

    /// <summary>Most epochs allowed, however small the data (training normally converges long before).</summary>
    public const int MostEpochs = 1000;

    /// <summary>
    /// With the epoch cap chosen from the data, the learning rate anneals to zero over this last fraction of it, so a run
    /// that reaches the cap (large data, where each epoch is costly) still ends converged; see
    /// <see cref="Optimization.SolverOptions.AnnealingFraction"/>. A cap the user sets is a plain limit.
    /// </summary>
    public const double AnnealingFraction = 0.5;

    /// <summary>min(200, max(16, ⌈rows / 10⌉)), at most the number of rows: an epoch is about ten updates or more.</summary>
    /// <param name="rows">Training rows.</param>
    public static int BatchSize(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        return Math.Min(rows, Math.Clamp((rows + 9) / 10, SmallestBatchSize, LargestBatchSize));
    }

    /// <summary>
    /// ⌈<paramref name="exampleBudget"/> / rows⌉ epochs, within [<see cref="FewestEpochs"/>, <see cref="MostEpochs"/>]:
    /// the cap is set in examples seen, so that it means the same on 100 rows and on 60,000.
    /// </summary>
    /// <param name="rows">Training rows.</param>
    /// <param name="exampleBudget">Examples the trainer is willing to visit at most.</param>
    public static int MaximumEpochs(int rows, long exampleBudget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        return (int)Math.Clamp((exampleBudget + rows - 1) / rows, FewestEpochs, MostEpochs);
    }
}
