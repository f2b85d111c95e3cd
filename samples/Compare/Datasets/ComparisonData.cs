using Cs231n.MLNet.Data;

namespace Compare.Datasets;

/// <summary>The training and test images every contender is trained and scored on.</summary>
/// <param name="Description">Where the data came from, for the console and the report.</param>
/// <param name="Train">The training images.</param>
/// <param name="Test">The test images, used once per contender after tuning.</param>
internal sealed record ComparisonData(string Description, ImageDataset Train, ImageDataset Test)
{
    /// <summary>The class names in label order; the key order of every pipeline follows it.</summary>
    public IReadOnlyList<string> ClassNames => Train.ClassNames;

    /// <summary>"2,000 training and 500 test images of 28×28×1 in 10 classes".</summary>
    public string Shape =>
        FormattableString.Invariant($"{Train.Count:N0} training and {Test.Count:N0} test images of {Train.Height}×{Train.Width}×{Train.Channels} in {ClassNames.Count} classes");
}
