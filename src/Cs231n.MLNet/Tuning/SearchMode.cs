namespace Cs231n.MLNet.Tuning;

/// <summary>How a hyper-parameter search scored each setting.</summary>
public enum SearchMode
{
    /// <summary>k-fold cross-validation on one data set; each metric is summarised over the folds.</summary>
    CrossValidation,

    /// <summary>Training on a training set and evaluating on a separate validation set (one "fold").</summary>
    ValidationSplit,
}
