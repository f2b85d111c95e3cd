namespace Cs231n.MLNet;

/// <summary>Training stopped because the loss became NaN or infinite; no model is produced.</summary>
public sealed class TrainingDivergedException : InvalidOperationException
{
    /// <summary>Creates the exception for a divergence at <paramref name="epoch"/> and <paramref name="iteration"/>.</summary>
    public TrainingDivergedException(int epoch, int iteration, double loss, double learningRate)
        : base(FormattableString.Invariant(
            $"Training diverged: the loss became {loss} at epoch {epoch}, iteration {iteration}, with learning rate {learningRate}. Lower the learning rate (for example to {learningRate / 10}) and train again; a smaller weight initialisation scale or stronger L2 regularisation can also help."))
    {
        Epoch = epoch;
        Iteration = iteration;
        Loss = loss;
        LearningRate = learningRate;
    }

    /// <summary>The epoch (from 1) in which the loss stopped being finite.</summary>
    public int Epoch { get; }

    /// <summary>The minibatch (from 1, counted over the whole run) whose loss stopped being finite.</summary>
    public int Iteration { get; }

    /// <summary>The offending loss (NaN or ±∞).</summary>
    public double Loss { get; }

    /// <summary>The learning rate in use.</summary>
    public double LearningRate { get; }
}
