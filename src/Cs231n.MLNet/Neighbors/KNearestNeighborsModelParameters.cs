using Microsoft.ML;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Neighbors;

namespace Cs231n.MLNet;

/// <summary>
/// A fitted k-nearest-neighbours classifier: the memorised training matrix and labels, searched exactly by brute
/// force. <c>Score</c> holds each class's share of the (weighted) votes of the k nearest rows; the predicted label is
/// the class with the largest share, ties going to the smallest class index.
/// </summary>
public sealed class KNearestNeighborsModelParameters : Cs231nModelParameters, IPersistedModel<KNearestNeighborsModelParameters>
{
    private readonly float[]? _rows;
    private readonly int[] _labels;
    private readonly INeighborSearch _index;

    internal KNearestNeighborsModelParameters(float[] rows, int[] labels, int featureCount, int classCount,
        int numberOfNeighbors, KnnDistance distance, KnnWeighting weighting)
        : base(classCount, featureCount)
    {
        if (numberOfNeighbors < 1 || numberOfNeighbors > labels.Length)
            throw new ArgumentOutOfRangeException(nameof(numberOfNeighbors), numberOfNeighbors,
                $"The number of neighbours must be between 1 and the number of training rows ({labels.Length}).");
        _labels = labels;
        NumberOfNeighbors = numberOfNeighbors;
        Distance = distance;
        Weighting = weighting;
        var bytes = KnnStorage.TryQuantize(rows, labels.Length, featureCount, distance);
        _index = bytes ?? (INeighborSearch)new NeighborIndex(rows, labels.Length, featureCount, distance);
        _rows = bytes is null ? rows : null;
    }

    /// <summary>A model over a training matrix already stored as bytes (loaded from an 8-bit model file).</summary>
    private KNearestNeighborsModelParameters(ByteNeighborIndex index, int[] labels, int classCount, int numberOfNeighbors, KnnWeighting weighting)
        : base(classCount, index.Dimension)
    {
        _labels = labels;
        NumberOfNeighbors = numberOfNeighbors;
        Distance = index.Distance;
        Weighting = weighting;
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
    /// smaller row index first) — scikit-learn's <c>kneighbors</c>.
    /// </summary>
    /// <param name="features">A query of FeatureCount finite values.</param>
    /// <param name="k">How many neighbours, between 1 and <see cref="TrainingRowCount"/>.</param>
    public IReadOnlyList<Neighbor> FindNeighbors(ReadOnlySpan<float> features, int k)
    {
        if (features.Length != FeatureCount)
            throw new ArgumentException($"The query has {features.Length} features but the model was trained on {FeatureCount}.", nameof(features));
        if (k < 1 || k > TrainingRowCount)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and the number of training rows ({TrainingRowCount}).");
        for (int i = 0; i < features.Length; i++)
        {
            if (!float.IsFinite(features[i]))
                throw new ArgumentException($"The query has a non-finite value {features[i]} at position {i}.", nameof(features));
        }
        var indices = new int[k];
        var distances = new float[k];
        _index.Search(features, 1, k, indices, distances);
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
        _index.Search(features, rowCount, k, indices, distances);
        for (int r = 0; r < rowCount; r++)
            Vote(indices.AsSpan(r * k, k), distances.AsSpan(r * k, k), scores.Slice(r * c, c));
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

    static ModelFormat IPersistedModel<KNearestNeighborsModelParameters>.Format => Format;

    private static readonly ModelFormat Format = new("CS231KNN", "Cs231nKnnModel", Version: 0x00010002, OldestReadableVersion: 0x00010001);

    /// <summary>The first version that records how the training matrix is stored (floats, or bytes on a grid).</summary>
    private const uint StorageVersion = 0x00010002;

    private protected override void Save(ModelSaveContext context) => ModelPersistence.Save(context, this);

    void IPersistedModel<KNearestNeighborsModelParameters>.Write(BinaryWriter writer)
    {
        writer.Write(ClassCount);
        writer.Write(FeatureCount);
        writer.Write(TrainingRowCount);
        writer.Write(NumberOfNeighbors);
        writer.Write((int)Distance);
        writer.Write((int)Weighting);
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
        int[] labels = reader.ReadInt32s("TrainingClassIndices", rowCount, 0, classCount - 1);
        if (version >= StorageVersion && KnnStorage.ReadBytes(reader, rowCount, featureCount, distance) is { } index)
            return new KNearestNeighborsModelParameters(index, labels, classCount, k, weighting);
        float[] rows = reader.ReadSingles("TrainingFeatures", (long)rowCount * featureCount);
        return new KNearestNeighborsModelParameters(rows, labels, featureCount, classCount, k, distance, weighting);
    }
}
