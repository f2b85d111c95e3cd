using Microsoft.ML;

namespace Compare.Contenders;

/// <summary>Every contender, ours first, in the order they are trained.</summary>
internal static class ContenderCatalog
{
    public static IReadOnlyList<Contender> Create(MLContext mlContext, bool quick) =>
        [
            .. OurContenders.Create(mlContext, quick),
            .. OurGradientContenders.Create(mlContext, quick),
            .. OurConvolutionalContenders.Create(mlContext, quick),
            .. MLNetContenders.Create(mlContext, quick),
        ];
}
