using System.Runtime.CompilerServices;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Scoring;

/// <summary>
/// A block of query rows scored together, which is what makes scoring fast: kNN compares a whole block against the
/// training matrix in one pass, and the linear models and networks turn the block into one matrix product.
/// Rows with a non-finite feature score NaN and predict the missing key (0), as ML.NET's linear models do.
/// </summary>
internal sealed class ScoreBlock
{
    private readonly Cs231nModelParameters _model;
    private readonly float[] _features;
    private readonly bool[] _invalid;
    private string _featureColumnName = "Features";

    public ScoreBlock(Cs231nModelParameters model, int capacity)
    {
        _model = model;
        Capacity = capacity;
        _features = new float[capacity * model.FeatureCount];
        _invalid = new bool[capacity];
        Scores = new float[capacity * model.ClassCount];
        PredictedKeys = new uint[capacity];
    }

    public int Capacity { get; }

    public int Count { get; private set; }

    public float[] Scores { get; }

    /// <summary>The predicted class as a 1-based key (0 = missing).</summary>
    public uint[] PredictedKeys { get; }

    public void Clear() => Count = 0;

    /// <summary>Copies one row of features into the block (densifying sparse buffers).</summary>
    // Fully optimised from the first call: it runs for every scored row (or block), and a user's one Transform is that first call.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in VBuffer<float> features, string featureColumnName)
    {
        int d = _model.FeatureCount;
        if (features.Length != d)
            throw new ArgumentOutOfRangeException(featureColumnName,
                $"Feature column '{featureColumnName}' has {features.Length} values in this row but the model was trained on {d}; apply the same featurization as at training.");
        _featureColumnName = featureColumnName;
        Span<float> row = _features.AsSpan(Count * d, d);
        features.CopyTo(row);
        bool invalid = !Numerics.FiniteValues.All(row);
        if (invalid)
            row.Clear();
        _invalid[Count] = invalid;
        Count++;
    }

    /// <summary>Scores every row added since <see cref="Clear"/> and derives the predicted keys.</summary>
    // Fully optimised from the first call: it runs for every scored row (or block), and a user's one Transform is that first call.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Score()
    {
        if (Count == 0)
            return;
        int c = _model.ClassCount;
        _model.Score(_features.AsSpan(0, Count * _model.FeatureCount), Count, Scores.AsSpan(0, Count * c));
        OverflowFallback.Rescore(_model, _features.AsSpan(0, Count * _model.FeatureCount), Count, Scores.AsSpan(0, Count * c), _invalid, _featureColumnName);
        for (int r = 0; r < Count; r++)
        {
            Span<float> scores = Scores.AsSpan(r * c, c);
            if (_invalid[r])
            {
                scores.Fill(float.NaN);
                PredictedKeys[r] = 0;
                continue;
            }
            // Ties go to the smallest class index, as in CS231n and scikit-learn.
            int best = 0;
            for (int j = 1; j < c; j++)
            {
                if (scores[j] > scores[best])
                    best = j;
            }
            PredictedKeys[r] = float.IsNaN(scores[best]) ? 0u : (uint)best + 1;
        }
    }

    // Fully optimised from the first call: it runs for every scored row (or block), and a user's one Transform is that first call.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void GetScores(int row, ref VBuffer<float> destination)
    {
        int c = _model.ClassCount;
        var editor = VBufferEditor.Create(ref destination, c);
        Scores.AsSpan(row * c, c).CopyTo(editor.Values);
        destination = editor.Commit();
    }
}
