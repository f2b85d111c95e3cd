using System.Numerics.Tensors;
using Microsoft.ML;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Neighbors;

namespace Cs231n.MLNet;

/// <summary>
/// A fitted k-nearest-neighbours classifier: the memorised training matrix and labels, searched exactly by brute
/// force. <c>Score</c> holds each class's share of the (weighted) votes of the k nearest rows; the predicted label is
/// the class with the largest share. Ties are settled by <see cref="TieBreaking"/>, never by the order in which
/// <c>MapValueToKey</c> numbered the classes: the winner's share is raised by one unit in the last place, so that
/// ML.NET's <c>Evaluate</c>, which reads only <c>Score</c>, counts the same prediction.
/// </summary>
public sealed class KNearestNeighborsModelParameters : Cs231nModelParameters, IPersistedModel<KNearestNeighborsModelParameters>
{
    private readonly float[]? _rows;
    private readonly int[] _labels;
    private readonly INeighborSearch _index;
    // The class indices in ascending label-value order: a permutation of 0..ClassCount−1; null means key order.
    private readonly int[]? _classesByLabelValue;

    internal KNearestNeighborsModelParameters(float[] rows, int[] labels, int featureCount, int classCount,
        int numberOfNeighbors, KnnDistance distance, KnnWeighting weighting, KnnTieBreaking tieBreaking, int[]? classesByLabelValue)
        : base(classCount, featureCount)
    {
        if (numberOfNeighbors < 1 || numberOfNeighbors > labels.Length)
            throw new ArgumentOutOfRangeException(nameof(numberOfNeighbors), numberOfNeighbors,
                $"The number of neighbours must be between 1 and the number of training rows ({labels.Length}).");
        _labels = labels;
        NumberOfNeighbors = numberOfNeighbors;
        Distance = distance;
        Weighting = weighting;
        TieBreaking = tieBreaking;
        _classesByLabelValue = classesByLabelValue is null ? null : CheckPermutation(classesByLabelValue, classCount);
        var bytes = KnnStorage.TryQuantize(rows, labels.Length, featureCount, distance);
        _index = bytes ?? (INeighborSearch)new NeighborIndex(rows, labels.Length, featureCount, distance);
        _rows = bytes is null ? rows : null;
    }

    /// <summary>A model over a training matrix already stored as bytes (loaded from an 8-bit model file).</summary>
    private KNearestNeighborsModelParameters(ByteNeighborIndex index, int[] labels, int classCount, int numberOfNeighbors,
        KnnWeighting weighting, KnnTieBreaking tieBreaking, int[]? classesByLabelValue)
        : base(classCount, index.Dimension)
    {
        if (numberOfNeighbors < 1 || numberOfNeighbors > labels.Length)
            throw new ArgumentOutOfRangeException(nameof(numberOfNeighbors), numberOfNeighbors,
                $"The number of neighbours must be between 1 and the number of training rows ({labels.Length}).");
        _labels = labels;
        NumberOfNeighbors = numberOfNeighbors;
        Distance = index.Distance;
        Weighting = weighting;
        TieBreaking = tieBreaking;
        _classesByLabelValue = classesByLabelValue is null ? null : CheckPermutation(classesByLabelValue, classCount);
        _index = index;
    }

    /// <summary>How the training matrix is stored and searched, as the training log reports it.</summary>
    internal string StorageDescription => KnnStorage.Describe(_index, TrainingRowCount, FeatureCount, Distance);

    /// <summary>k: how many nearest training rows vote.</summary>
    public int NumberOfNeighbors { get; }

    /// <summary>The distance between feature vectors.</summary>
    public KnnDistance Distance { get; }

    /// <summary>How the neighbours' votes are weighted.</summary>
    public KnnWeighting Weighting { get; }

    /// <summary>Which class wins when several classes share the largest vote.</summary>
    public KnnTieBreaking TieBreaking { get; }

    /// <summary>
    /// The class indices in ascending order of their label values (the label key's <c>KeyValues</c>), the order
    /// <see cref="KnnTieBreaking.LowestLabel"/> uses. Models saved before tie-breaking was an option hold the key order.
    /// </summary>
    public ReadOnlyMemory<int> ClassesByLabelValue => _classesByLabelValue ?? Enumerable.Range(0, ClassCount).ToArray();

    /// <summary>Number of memorised training rows.</summary>
    public int TrainingRowCount => _labels.Length;

    /// <summary>
    /// The memorised training features, row-major (<see cref="TrainingRowCount"/> × FeatureCount). When every
    /// training value lies on an 8-bit grid (pixels, or pixels/255) the model stores bytes, and this decodes them to
    /// the exact original values in a new array on each access.
    /// </summary>
    public ReadOnlyMemory<float> TrainingFeatures => _rows ?? ((ByteNeighborIndex)_index).DecodeAll();

    /// <summary>The memorised training classes as 0-based indices (label key minus one).</summary>
    public ReadOnlyMemory<int> TrainingClassIndices => _labels;

    /// <summary>
    /// The <paramref name="k"/> training rows nearest to <paramref name="features"/>, nearest first (equal distances:
    /// smaller row index first) — scikit-learn's <c>kneighbors</c>. Distances beyond the single-precision range (queries near
    /// ±3.4e38) are ranked in double precision and returned divided by one common power of two.
    /// </summary>
    /// <param name="features">A query of FeatureCount finite values.</param>
    /// <param name="k">How many neighbours, between 1 and <see cref="TrainingRowCount"/>.</param>
    public IReadOnlyList<Neighbor> FindNeighbors(ReadOnlySpan<float> features, int k)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"The query has {features.Length} features but the model was trained on {FeatureCount}.", nameof(features));
        if (k < 1 || k > TrainingRowCount)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and the number of training rows ({TrainingRowCount}).");
        if (!TensorPrimitives.IsFiniteAll(features))
        {
            int i = 0;
            while (float.IsFinite(features[i]))
                i++;
            throw new ArgumentException($"The query has a non-finite value {features[i]} at position {i}.", nameof(features));
        }
        var indices = new int[k];
        var distances = new float[k];
        Search(features, 1, k, indices, distances);
        var result = new Neighbor[k];
        for (int j = 0; j < k; j++)
            result[j] = new Neighbor(indices[j], distances[j], _labels[indices[j]]);
        return result;
    }

    internal override void Score(ReadOnlySpan<float> features, int rowCount, Span<float> scores)
    {
        int k = NumberOfNeighbors, c = ClassCount;
        var indices = new int[rowCount * k];
        var distances = new float[rowCount * k];
        Search(features, rowCount, k, indices, distances);
        for (int r = 0; r < rowCount; r++)
        {
            ReadOnlySpan<int> neighbors = indices.AsSpan(r * k, k);
            Span<float> votes = scores.Slice(r * c, c);
            Vote(neighbors, distances.AsSpan(r * k, k), votes);
            BreakTie(neighbors, votes);
        }
    }

    /// <summary>The fast search, and for rows of extreme but finite features whose distances overflowed it, the same in double precision.</summary>
    private void Search(ReadOnlySpan<float> features, int rowCount, int k, Span<int> indices, Span<float> distances)
    {
        _index.Search(features, rowCount, k, indices, distances);
        for (int r = 0; r < rowCount; r++)
        {
            if (!Numerics.FiniteValues.All(distances.Slice(r * k, k)))
                DoublePrecisionSearch.Search(_rows, TrainingRowCount, FeatureCount, Distance, features.Slice(r * FeatureCount, FeatureCount),
                    indices.Slice(r * k, k), distances.Slice(r * k, k));
        }
    }

    private void Vote(ReadOnlySpan<int> neighbors, ReadOnlySpan<float> distances, Span<float> votes)
    {
        votes.Clear();
        // Exact matches win outright under distance weighting (1/0 would be infinite).
        bool exact = Weighting == KnnWeighting.Distance && distances[0] == 0f;
        double total = 0;
        for (int j = 0; j < neighbors.Length; j++)
        {
            double weight = Weighting == KnnWeighting.Uniform ? 1.0
                : exact ? (distances[j] == 0f ? 1.0 : 0.0)
                : 1.0 / distances[j];
            votes[_labels[neighbors[j]]] += (float)weight;
            total += weight;
        }
        float scale = (float)(1.0 / total);
        for (int i = 0; i < votes.Length; i++)
            votes[i] *= scale;
    }

    /// <summary>
    /// Where several classes share the largest vote, raises the share of the one <see cref="TieBreaking"/> names by
    /// one unit in the last place. Every consumer that takes the arg-max of <c>Score</c> then predicts that class:
    /// our <c>PredictedLabel</c>, and ML.NET's <c>Evaluate</c>, which ignores <c>PredictedLabel</c> and would otherwise
    /// give the tie to the smallest key index. Votes are summed in neighbour order, never in key order, so tied shares
    /// are bit-identical whatever the key numbering.
    /// </summary>
    private void BreakTie(ReadOnlySpan<int> neighbors, Span<float> votes)
    {
        float best = float.NegativeInfinity;
        int tied = 0;
        foreach (float vote in votes)
        {
            if (vote > best)
                (best, tied) = (vote, 1);
            else if (vote == best)
                tied++;
        }
        if (tied < 2)
            return;
        int winner = -1;
        if (TieBreaking == KnnTieBreaking.NearestNeighbor)
        {
            // Neighbours come nearest first (equal distances: earlier training row first); every tied class has one.
            foreach (int neighbor in neighbors)
            {
                if (votes[_labels[neighbor]] == best)
                {
                    winner = _labels[neighbor];
                    break;
                }
            }
        }
        else
        {
            for (int i = 0; i < votes.Length; i++)
            {
                int label = _classesByLabelValue?[i] ?? i;
                if (votes[label] == best)
                {
                    winner = label;
                    break;
                }
            }
        }
        votes[winner] = MathF.BitIncrement(best);
    }

    private static int[] CheckPermutation(int[] classesByLabelValue, int classCount)
    {
        var seen = new bool[classCount];
        bool valid = classesByLabelValue.Length == classCount;
        foreach (int label in classesByLabelValue)
        {
            valid &= label >= 0 && label < classCount && !seen[label];
            if (valid)
                seen[label] = true;
        }
        if (!valid)
            throw new ArgumentException($"The label-value order must list each of the {classCount} class indices exactly once.", nameof(classesByLabelValue));
        return classesByLabelValue;
    }

    static ModelFormat IPersistedModel<KNearestNeighborsModelParameters>.Format => Format;

    private static readonly ModelFormat Format = new("CS231KNN", "Cs231nKnnModel", Version: StorageVersion, OldestReadableVersion: FirstVersion);

    /// <summary>The first format: ties went to the smallest key index.</summary>
    private const uint FirstVersion = 0x00010001;

    /// <summary>Adds the tie-breaking rule and the classes' label-value order.</summary>
    private const uint TieBreakingVersion = 0x00010002;

    /// <summary>Records how the training matrix is stored: floats, or bytes on an 8-bit grid.</summary>
    private const uint StorageVersion = 0x00010003;

    private protected override void Save(ModelSaveContext context) => ModelPersistence.Save(context, this);

    void IPersistedModel<KNearestNeighborsModelParameters>.Write(BinaryWriter writer)
    {
        writer.Write(ClassCount);
        writer.Write(FeatureCount);
        writer.Write(TrainingRowCount);
        writer.Write(NumberOfNeighbors);
        writer.Write((int)Distance);
        writer.Write((int)Weighting);
        writer.Write((int)TieBreaking);
        foreach (int label in ClassesByLabelValue.Span)
            writer.Write(label);
        foreach (int label in _labels)
            writer.Write(label);
        KnnStorage.Write(writer, _index, _rows);
    }

    static KNearestNeighborsModelParameters IPersistedModel<KNearestNeighborsModelParameters>.Read(ModelReader reader, uint version)
    {
        int classCount = reader.ReadInt32("ClassCount", 1, int.MaxValue);
        int featureCount = reader.ReadInt32("FeatureCount", 1, int.MaxValue);
        int rowCount = reader.ReadInt32("TrainingRowCount", 1, int.MaxValue);
        int k = reader.ReadInt32("NumberOfNeighbors", 1, rowCount);
        var distance = reader.ReadEnum<KnnDistance>("Distance");
        var weighting = reader.ReadEnum<KnnWeighting>("Weighting");
        // Files of the first format broke ties by smallest key index: the lowest "label" in key order does exactly that.
        var tieBreaking = KnnTieBreaking.LowestLabel;
        int[]? classesByLabelValue = null;
        if (version >= TieBreakingVersion)
        {
            tieBreaking = reader.ReadEnum<KnnTieBreaking>("TieBreaking");
            classesByLabelValue = reader.ReadInt32s("ClassesByLabelValue", classCount, 0, classCount - 1);
            if (classesByLabelValue.Distinct().Count() != classCount)
                throw new CorruptModelException("The saved KNearestNeighborsModelParameters is corrupt: field 'ClassesByLabelValue' lists a class twice. Save the model again from a trained pipeline.");
        }
        int[] labels = reader.ReadInt32s("TrainingClassIndices", rowCount, 0, classCount - 1);
        if (version >= StorageVersion && KnnStorage.ReadBytes(reader, rowCount, featureCount, distance) is { } index)
            return new KNearestNeighborsModelParameters(index, labels, classCount, k, weighting, tieBreaking, classesByLabelValue);
        float[] rows = reader.ReadSingles("TrainingFeatures", (long)rowCount * featureCount);
        return new KNearestNeighborsModelParameters(rows, labels, featureCount, classCount, k, distance, weighting, tieBreaking, classesByLabelValue);
    }
}
