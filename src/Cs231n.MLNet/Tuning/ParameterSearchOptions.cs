namespace Cs231n.MLNet.Tuning;

/// <summary>Options of <see cref="ParameterSearch"/>.</summary>
public sealed class ParameterSearchOptions
{
    /// <summary>
    /// The key-typed label column of the pipeline's output, which evaluation reads; the input may hold it under
    /// another type (e.g. text mapped to a key by <c>MapValueToKey</c> in the pipeline).
    /// </summary>
    public string LabelColumnName = "Label";

    /// <summary>The metric the best setting is chosen by; ties go to the first setting in search order.</summary>
    public SearchMetric SelectionMetric = SearchMetric.MicroAccuracy;

    /// <summary>The number of cross-validation folds (at least 2); used by cross-validation only.</summary>
    public int NumberOfFolds = 5;

    /// <summary>
    /// A column whose rows must stay in one fold together (e.g. all crops of one photo); null for none.
    /// Used by cross-validation only.
    /// </summary>
    public string? SamplingKeyColumnName;

    /// <summary>
    /// The seed of the fold assignment. It is fixed so that every setting is scored on the same folds, which makes
    /// their scores comparable; change it to see how much the ranking depends on the split.
    /// </summary>
    public int Seed;
}
