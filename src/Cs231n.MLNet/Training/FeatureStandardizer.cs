using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet.Training;

/// <summary>
/// The gradient trainers' internal preconditioning: centre every feature on its training mean and divide it by its
/// standard deviation, train, then fold the same affine map into the first layer (W' = W·diag(1/σ), b' = b − W'·μ), so
/// the model scores the original features. Step sizes then mean the same whatever the features' units.
/// </summary>
/// <remarks>
/// When the features share a scale (pixels/255, min–max normalised columns), σ is floored at a tenth of the median σ:
/// dividing a border pixel that is almost always 0 by its own tiny σ would blow its rare values up and let them
/// dominate the weights. When their scales differ by orders of magnitude (the case <see cref="FeatureScaleCheck"/>
/// warns about) every feature gets its own σ. A constant feature is only centred.
/// </remarks>
internal sealed class FeatureStandardizer
{
    /// <summary>On data of one scale, σ is floored at this share of the median σ.</summary>
    private const double FloorShareOfMedian = 0.1;

    private FeatureStandardizer(float[] mean, float[] scale)
    {
        Mean = mean;
        Scale = scale;
    }

    /// <summary>μ per feature.</summary>
    public float[] Mean { get; }

    /// <summary>The divisor per feature: its σ, floored on data of one scale.</summary>
    public float[] Scale { get; }

    /// <summary>Measures μ and σ of every feature on <paramref name="data"/>.</summary>
    public static FeatureStandardizer Fit(LabeledDataset<float> data) => Fit(FeatureStatistics.Of(data));

    /// <summary>The standardisation that <paramref name="statistics"/> describe.</summary>
    public static FeatureStandardizer Fit(FeatureStatistics statistics)
    {
        var deviation = statistics.Deviation;
        int d = deviation.Length;
        // Features on one scale (pixels/255, min–max columns): a feature that barely varies, such as a border pixel
        // that is almost always 0, is not blown up past ten times the typical one. Features on scales that differ by
        // orders of magnitude each get their own σ: there the small ones are real columns in other units.
        bool oneScale = FeatureScaleCheck.Compare(statistics.Ranges()) is not { } spread || spread.Ratio < FeatureScaleCheck.RangeRatioLimit;
        double[] varying = deviation.Where(s => s > 0).Order().ToArray();
        double floor = oneScale && varying.Length > 0 ? FloorShareOfMedian * varying[varying.Length / 2] : 0;
        var scale = new float[d];
        for (int j = 0; j < d; j++)
            scale[j] = deviation[j] > 0 ? (float)Math.Max(deviation[j], floor) : 1f;
        return new FeatureStandardizer(statistics.Mean.Select(m => (float)m).ToArray(), scale);
    }

    /// <summary>Replaces every row x of <paramref name="data"/> by (x − μ) / σ, in place.</summary>
    public void Apply(LabeledDataset<float> data)
    {
        var reciprocal = new float[Scale.Length];
        for (int j = 0; j < reciprocal.Length; j++)
            reciprocal[j] = 1f / Scale[j];
        data.CachedStatistics = null;
        Span<float> all = data.Features;
        for (int i = 0; i < data.Count; i++)
        {
            FeatureRowPasses.Standardize(all.Slice(i * data.FeatureCount, data.FeatureCount), Mean, reciprocal);
        }
    }

    /// <summary>
    /// Turns the weights of an affine layer trained on standardised features (<paramref name="weights"/>: outputs ×
    /// features, row-major) into weights for the original features, in place.
    /// </summary>
    public void FoldInto(Span<float> weights, Span<float> bias)
    {
        int d = Scale.Length, outputs = bias.Length;
        if (weights.Length != outputs * d)
            throw new ArgumentException($"An affine layer of {outputs} outputs on {d} features has {outputs * d} weights; got {weights.Length}.", nameof(weights));
        for (int c = 0; c < outputs; c++)
        {
            Span<float> row = weights.Slice(c * d, d);
            double shift = 0;
            for (int j = 0; j < d; j++)
            {
                row[j] /= Scale[j];
                shift += (double)row[j] * Mean[j];
            }
            bias[c] = (float)(bias[c] - shift);
        }
    }
}
