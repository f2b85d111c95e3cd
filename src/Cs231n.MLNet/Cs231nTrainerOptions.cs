namespace Cs231n.MLNet;

/// <summary>Options every trainer of this package shares: which columns hold the label and the features.</summary>
public abstract class Cs231nTrainerOptions
{
    /// <summary>Name of the label column; it must be a key type (add <c>MapValueToKey</c> before the trainer).</summary>
    public string LabelColumnName = "Label";

    /// <summary>Name of the feature column; it must be a vector of <see cref="float"/> of known size.</summary>
    public string FeatureColumnName = "Features";

    /// <summary>Checks every option and throws <see cref="ArgumentException"/> naming the first invalid one.</summary>
    internal virtual void Validate(string trainerName)
    {
        if (string.IsNullOrWhiteSpace(LabelColumnName))
            throw new ArgumentException($"The '{nameof(LabelColumnName)}' option of {trainerName} must name a column; got '{LabelColumnName}'.", nameof(LabelColumnName));
        if (string.IsNullOrWhiteSpace(FeatureColumnName))
            throw new ArgumentException($"The '{nameof(FeatureColumnName)}' option of {trainerName} must name a column; got '{FeatureColumnName}'.", nameof(FeatureColumnName));
    }
}
