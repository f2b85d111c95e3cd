using Microsoft.ML;
using Cs231n.MLNet.MLNetInternals;

namespace Cs231n.MLNet;

/// <summary>
/// The preprocessing transforms of this package, on ML.NET's transforms catalog:
/// <c>mlContext.Transforms.SubtractMeanImage(...)</c>.
/// </summary>
public static class Cs231nTransformsCatalog
{
    /// <summary>
    /// CS231n's mean-image subtraction: learns the per-feature mean of <paramref name="inputColumnName"/> over the
    /// training rows and subtracts it from every row. Unlike <c>NormalizeMeanVariance</c> it does not divide by the
    /// standard deviation, and unlike <c>NormalizeGlobalContrast</c> it subtracts a per-feature mean over the training
    /// set, not each row's own mean.
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="outputColumnName">The column that receives the mean-subtracted vectors.</param>
    /// <param name="inputColumnName">
    /// A known-size vector of <see cref="float"/>, e.g. the output of <c>ExtractPixels</c>; null reads
    /// <paramref name="outputColumnName"/> and replaces it.
    /// </param>
    public static MeanImageEstimator SubtractMeanImage(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null)
        => new(MLNetEnvironment.From(catalog), outputColumnName, inputColumnName);
}
