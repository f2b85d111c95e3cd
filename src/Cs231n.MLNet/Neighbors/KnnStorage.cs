using Cs231n.MLNet.MLNetInternals;

namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// How a kNN model keeps its training matrix: as bytes with the exact integer search when every value lies on an
/// 8-bit grid (and the distance is L1 or L2), as floats otherwise; and how that choice is saved and reported.
/// </summary>
internal static class KnnStorage
{
    /// <summary>Marks float storage in the model file; byte storage records its <see cref="ByteGridScale"/>.</summary>
    private const int FloatStorage = 0;

    /// <summary>Whether models may store bytes (turned off by benchmarks to measure the float storage they replace).</summary>
    public static bool EightBitEnabled { get; set; } = true;

    /// <summary>The 8-bit index when the data allow it; null when the matrix must stay in floats.</summary>
    public static ByteNeighborIndex? TryQuantize(float[] rows, int count, int dimension, KnnDistance distance)
    {
        if (!EightBitEnabled || distance == KnnDistance.Cosine || rows.Length == 0)
            return null;
        var bytes = new byte[rows.Length];
        ByteGrid? grid = ByteGrid.Detect(rows, bytes);
        return grid is null ? null : new ByteNeighborIndex(bytes, grid, count, dimension, distance);
    }

    /// <summary>One line for the training log: which storage and search path the model takes, and why.</summary>
    public static string Describe(INeighborSearch index, int count, int dimension, KnnDistance distance)
    {
        double floatMiB = (double)count * dimension * sizeof(float) / (1 << 20);
        if (index is ByteNeighborIndex bytes)
        {
            return $"kNN: every training value is on an 8-bit grid ({bytes.Grid.Description}), so the {count}×{dimension} training matrix " +
                $"is stored as bytes ({floatMiB / 4:F1} MiB instead of {floatMiB:F1} MiB) and {distance} distances are computed exactly in integers " +
                $"with {ByteNeighborIndex.KernelDescription}, pruned exactly (a tile stops once every partial distance exceeds what its query's shortlist admits); queries off the grid are searched in float.";
        }
        string reason = distance == KnnDistance.Cosine ? "the cosine distance is searched in float"
            : "not every training value is on an 8-bit grid (integers 0–255 or multiples of 1/255 in [0, 1])";
        return $"kNN: the {count}×{dimension} training matrix is stored in float ({floatMiB:F1} MiB): {reason}.";
    }

    public static void Write(BinaryWriter writer, INeighborSearch index, float[]? rows)
    {
        if (index is ByteNeighborIndex bytes)
        {
            writer.Write((int)bytes.Grid.Scale);
            var buffer = new byte[bytes.Dimension];
            for (int row = 0; row < bytes.Count; row++)
            {
                bytes.CopyRowBytes(row, buffer);
                writer.Write(buffer);
            }
            return;
        }
        writer.Write(FloatStorage);
        foreach (float value in rows!)
            writer.Write(value);
    }

    /// <summary>Reads the storage marker and, for byte storage, the matrix; null when floats follow.</summary>
    public static ByteNeighborIndex? ReadBytes(ModelReader reader, int rowCount, int featureCount, KnnDistance distance)
    {
        // Byte storage is only ever written for L1 and L2.
        int storage = reader.ReadInt32("TrainingStorage", FloatStorage, distance == KnnDistance.Cosine ? FloatStorage : (int)ByteGridScale.TimesReciprocalOf255);
        if (storage == FloatStorage)
            return null;
        byte[] bytes = reader.ReadBytes("TrainingFeatures", (long)rowCount * featureCount);
        return new ByteNeighborIndex(bytes, new ByteGrid((ByteGridScale)storage), rowCount, featureCount, distance);
    }
}
