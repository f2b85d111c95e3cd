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

    /// <summary>The same data with at most <paramref name="rows"/> training rows: the first of each class, so the classes stay balanced.</summary>
    public ComparisonData LimitTraining(int rows) =>
        rows >= Train.Count ? this : this with { Train = Train.TakeFirstPerClass(Math.Max(1, rows / ClassNames.Count)) };

    /// <summary>"2,000 training and 500 test images of 28×28×1 in 10 classes".</summary>
    public string Shape =>
        FormattableString.Invariant($"{Train.Count:N0} training and {Test.Count:N0} test images of {Train.Height}×{Train.Width}×{Train.Channels} in {ClassNames.Count} classes");
}
