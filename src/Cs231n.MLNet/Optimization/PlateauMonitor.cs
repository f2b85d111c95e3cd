namespace Cs231n.MLNet.Optimization;

/// <summary>
/// Watches a per-epoch measure for progress, as scikit-learn's <c>tol</c> / <c>n_iter_no_change</c> do: an epoch
/// makes progress when it beats the best value so far by more than the tolerance; after <c>patience</c> epochs without
/// progress the measure has reached a plateau.
/// </summary>
internal sealed class PlateauMonitor
{
    private readonly double _tolerance;
    private readonly int _patience;
    private readonly bool _higherIsBetter;

    public PlateauMonitor(double tolerance, int patience, bool higherIsBetter)
    {
        _tolerance = tolerance;
        _patience = patience;
        _higherIsBetter = higherIsBetter;
        Best = higherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>The best value seen.</summary>
    public double Best { get; private set; }

    /// <summary>The epoch (from 1) of <see cref="Best"/>.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Epochs since the last progress.</summary>
    public int EpochsWithoutProgress { get; private set; }

    /// <summary>Records the value of <paramref name="epoch"/>; returns whether it is a new best (not necessarily by the tolerance).</summary>
    public bool Observe(double value, int epoch)
    {
        double gain = _higherIsBetter ? value - Best : Best - value;
        EpochsWithoutProgress = gain > _tolerance ? 0 : EpochsWithoutProgress + 1;
        if (gain > 0 || BestEpoch == 0)
        {
            Best = value;
            BestEpoch = epoch;
            return true;
        }
        return false;
    }

    /// <summary>Whether the patience has run out; never with a patience of 0.</summary>
    public bool OnPlateau => _patience > 0 && EpochsWithoutProgress >= _patience;

    /// <summary>Starts counting the patience again (after the learning rate changed).</summary>
    public void Restart() => EpochsWithoutProgress = 0;
}
