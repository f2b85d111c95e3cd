using Cs231n.MLNet.MLNetInternals;

namespace Cs231n.MLNet.Optimization;

/// <summary>
/// The <see cref="TrainingHistory"/> part of a model file. Version 2 adds the stop reason, the per-epoch learning
/// rates and the per-epoch losses after version 1's fields, whose "stopped early" flag it keeps writing.
/// </summary>
internal static class TrainingHistoryFormat
{
    private const int MaximumLength = 100_000_000;

    public static void Write(BinaryWriter writer, TrainingHistory history)
    {
        WriteList(writer, history.Losses);
        WriteList(writer, history.TrainAccuracies);
        WriteList(writer, history.ValidationAccuracies);
        writer.Write(history.BestEpoch);
        writer.Write(history.StoppedEarly ? 1 : 0);
        writer.Write(history.KeptAveragedWeights ? 1 : 0);
        writer.Write((int)history.StopReason);
        WriteList(writer, history.LearningRates);
        WriteList(writer, history.EpochLosses);
    }

    /// <param name="reader">The model file.</param>
    /// <param name="hasStopReason">Whether the file is of version 2 (written with the stop reason and the per-epoch lists).</param>
    public static TrainingHistory Read(ModelReader reader, bool hasStopReason)
    {
        double[] losses = ReadList(reader, "History.Losses");
        double[] train = ReadList(reader, "History.TrainAccuracies");
        double[] validation = ReadList(reader, "History.ValidationAccuracies");
        int bestEpoch = reader.ReadInt32("History.BestEpoch", 0, train.Length);
        bool stoppedEarly = reader.ReadInt32("History.StoppedEarly", 0, 1) == 1;
        bool averaged = reader.ReadInt32("History.KeptAveragedWeights", 0, 1) == 1;
        if (!hasStopReason)
        {
            var reason = stoppedEarly ? TrainingStopReason.ValidationStoppedImproving : TrainingStopReason.MaximumEpochs;
            return new TrainingHistory(losses, train, validation, bestEpoch, reason, averaged);
        }
        var stopReason = reader.ReadEnum<TrainingStopReason>("History.StopReason");
        double[] rates = ReadList(reader, "History.LearningRates", train.Length);
        double[] epochLosses = ReadList(reader, "History.EpochLosses", train.Length);
        return new TrainingHistory(losses, train, validation, bestEpoch, stopReason, averaged, rates, epochLosses);
    }

    private static void WriteList(BinaryWriter writer, IReadOnlyList<double> values)
    {
        writer.Write(values.Count);
        foreach (double value in values)
            writer.Write(value);
    }

    private static double[] ReadList(ModelReader reader, string field, int maximum = MaximumLength)
    {
        int count = reader.ReadInt32(field + ".Count", 0, maximum);
        return reader.ReadDoubles(field, count);
    }
}
