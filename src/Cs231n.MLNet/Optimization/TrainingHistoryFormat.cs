using Cs231n.MLNet.MLNetInternals;

namespace Cs231n.MLNet.Optimization;

/// <summary>How a <see cref="TrainingHistory"/> is stored inside a saved model.</summary>
internal static class TrainingHistoryFormat
{
    /// <summary>No more values per list than this are read back (a long run has ~10⁵ minibatches).</summary>
    private const int MaximumLength = 100_000_000;

    public static void Write(BinaryWriter writer, TrainingHistory history)
    {
        WriteList(writer, history.Losses);
        WriteList(writer, history.TrainAccuracies);
        WriteList(writer, history.ValidationAccuracies);
        writer.Write(history.BestEpoch);
        writer.Write(history.StoppedEarly ? 1 : 0);
    }

    public static TrainingHistory Read(ModelReader reader)
    {
        double[] losses = ReadList(reader, "History.Losses");
        double[] train = ReadList(reader, "History.TrainAccuracies");
        double[] validation = ReadList(reader, "History.ValidationAccuracies");
        int bestEpoch = reader.ReadInt32("History.BestEpoch", 0, train.Length);
        bool stoppedEarly = reader.ReadInt32("History.StoppedEarly", 0, 1) == 1;
        return new TrainingHistory(losses, train, validation, bestEpoch, stoppedEarly);
    }

    private static void WriteList(BinaryWriter writer, IReadOnlyList<double> values)
    {
        writer.Write(values.Count);
        foreach (double value in values)
            writer.Write(value);
    }

    private static double[] ReadList(ModelReader reader, string field)
    {
        int count = reader.ReadInt32(field + ".Count", 0, MaximumLength);
        return reader.ReadDoubles(field, count);
    }
}
