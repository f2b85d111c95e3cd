using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Cs231n.MLNet.Losses;

namespace Cs231n.MLNet.Scoring;

/// <summary>
/// Keeps the promise that a row scores NaN only when one of its features is NaN or ∞. The fast single-precision
/// scoring of the linear models and networks can overflow on finite but extreme features (a dot product of
/// values near ±3.4e38); the rows where it did — finite features, a NaN or infinite score — are scored again here
/// in double precision, whose range holds any sum of products of single-precision values. Rows of ordinary data
/// never come here, so the fast path stays as it is.
/// </summary>
internal static class OverflowFallback
{
    /// <summary>Re-scores, in double precision, every valid row of the block whose scores are not all finite.</summary>
    // Fully optimised from the first call: its check runs for every scored row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rescore(Cs231nModelParameters model, ReadOnlySpan<float> features, int rowCount, Span<float> scores,
        ReadOnlySpan<bool> invalid, string featureColumnName)
    {
        int c = model.ClassCount, d = model.FeatureCount;
        for (int r = 0; r < rowCount; r++)
        {
            Span<float> row = scores.Slice(r * c, c);
            if (invalid[r] || Numerics.FiniteValues.All(row))
                continue;
            ReadOnlySpan<float> x = features.Slice(r * d, d);
            double[]? exact = model switch
            {
                // A linear classifier is the network without hidden layers.
                LinearClassifierModelParameters linear => NetworkScores([linear.FeatureCount, linear.ClassCount], [linear.Weights], [linear.Bias], ActivationFunction.Relu, x),
                MultilayerPerceptronModelParameters mlp => NetworkScores(mlp.LayerSizes, mlp.Weights, mlp.Biases, mlp.Activation, x),
                _ => null,
            };
            if (exact is null)
                continue;
            if (!TensorPrimitives.IsFiniteAll<double>(exact))
                throw new ArgumentOutOfRangeException(featureColumnName,
                    $"Feature column '{featureColumnName}' has values up to {MaxMagnitude(x):G3} in this row, so large that the model's scores overflow " +
                    "even in double precision; scale the features as they were scaled for training.");
            bool probabilities = model is MultilayerPerceptronModelParameters
                || model is LinearClassifierModelParameters { Loss: LinearClassifierLoss.SoftmaxCrossEntropy };
            if (probabilities)
            {
                SoftmaxCrossEntropyLoss<double>.Probabilities(exact, exact);
                for (int j = 0; j < c; j++)
                    row[j] = (float)exact[j];
            }
            else
            {
                ToSingleKeepingOrder(exact, row);
            }
        }
    }

    /// <summary>The network's last-layer scores (before softmax), every layer in double; hidden layers apply <paramref name="activation"/>.</summary>
    private static double[] NetworkScores(IReadOnlyList<int> layerSizes, IReadOnlyList<ReadOnlyMemory<float>> weights,
        IReadOnlyList<ReadOnlyMemory<float>> biases, ActivationFunction activation, ReadOnlySpan<float> x)
    {
        double[] input = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
            input[i] = x[i];
        for (int l = 0; l < weights.Count; l++)
        {
            int inputs = layerSizes[l], outputs = layerSizes[l + 1];
            ReadOnlySpan<float> w = weights[l].Span, b = biases[l].Span;
            var output = new double[outputs];
            for (int o = 0; o < outputs; o++)
            {
                double sum = b[o];
                ReadOnlySpan<float> unit = w.Slice(o * inputs, inputs);
                for (int i = 0; i < inputs; i++)
                    sum += unit[i] * input[i];
                output[o] = l == weights.Count - 1 ? sum : Activate(activation, sum);
            }
            input = output;
        }
        return input;
    }

    private static double Activate(ActivationFunction activation, double x) => activation switch
    {
        ActivationFunction.Relu => Math.Max(0, x),
        ActivationFunction.LeakyRelu => x > 0 ? x : Mlp.MlpArchitecture.LeakySlope * x,
        ActivationFunction.Tanh => Math.Tanh(x),
        _ => 1 / (1 + Math.Exp(-x)),
    };

    /// <summary>
    /// Raw scores beyond the single-precision range are divided by one power of two, the smallest that brings the
    /// largest into range: the order of the classes and the ratios between scores are kept.
    /// </summary>
    private static void ToSingleKeepingOrder(double[] exact, Span<float> row)
    {
        double scale = SinglePrecisionRange.ScaleIntoRange(exact.Max(Math.Abs));
        for (int j = 0; j < row.Length; j++)
            row[j] = (float)(exact[j] * scale);
    }

    private static float MaxMagnitude(ReadOnlySpan<float> x)
    {
        float max = 0;
        foreach (float value in x)
            max = Math.Max(max, Math.Abs(value));
        return max;
    }
}
