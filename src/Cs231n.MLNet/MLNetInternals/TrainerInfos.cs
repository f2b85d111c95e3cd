using Microsoft.ML;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>Creates the <see cref="TrainerInfo"/> a trainer reports (TrainerInfo's constructor is internal).</summary>
internal static class TrainerInfos
{
    /// <summary>A trainer that reads its data once into memory, so it asks ML.NET for neither caching nor calibration.</summary>
    public static TrainerInfo InMemory(bool needsNormalization, bool supportsValidation) =>
        new(normalization: needsNormalization, calibration: false, caching: false, supportValid: supportsValidation);
}
