using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Reliability;

[TestClass]
public sealed class ConcurrencyAndCancellationTests
{
    private const int Dimension = 5;

    /// <summary>Every trainer of the package, as a pipeline factory, with a small configuration.</summary>
    public static IEnumerable<object[]> Trainers => TrainerCatalog.All.Select(t => new object[] { t.Name });

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void ParallelScoringEqualsSequentialScoring(string trainerName)
    {
        var mlContext = new MLContext(seed: 3);
        var rows = SyntheticData.Blobs(400, 3, Dimension, 2.5f, seed: 6);
        var data = SyntheticData.ToDataView(mlContext, rows, Dimension);
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(TrainerCatalog.Create(trainerName, mlContext))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        var expected = ScoreReader.Scores(model.Transform(data));

        // Many cursors over one transformed view at once.
        var scored = model.Transform(data);
        var results = new List<float[]>[4];
        Parallel.For(0, results.Length, i => results[i] = ScoreReader.Scores(scored));
        foreach (var result in results)
            ScoreReader.AssertBitIdentical(expected, result);

        // One PredictionEngine per thread.
        var perThread = new float[rows.Count][];
        Parallel.For(0, 4, part =>
        {
            var engine = mlContext.Model.CreatePredictionEngine<LabelledRow, TrainerWorkout.Prediction>(model, inputSchemaDefinition: SyntheticData.SchemaFor(Dimension));
            for (int r = part; r < rows.Count; r += 4)
                perThread[r] = engine.Predict(rows[r]).Score;
        });
        ScoreReader.AssertBitIdentical(expected, perThread);

        // ML.NET's cursor sets.
        var column = scored.Schema["Score"];
        var cursors = scored.GetRowCursorSet(new[] { column }, 3);
        var collected = new System.Collections.Concurrent.ConcurrentDictionary<long, float[]>();
        Parallel.ForEach(cursors, cursor =>
        {
            using (cursor)
            {
                var getter = cursor.GetGetter<VBuffer<float>>(column);
                var idGetter = cursor.GetIdGetter();
                VBuffer<float> value = default;
                DataViewRowId id = default;
                while (cursor.MoveNext())
                {
                    getter(ref value);
                    idGetter(ref id);
                    collected[(long)id.Low] = value.DenseValues().ToArray();
                }
            }
        });
        Assert.AreEqual(expected.Count, collected.Count);
    }

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void CancellationStopsTraining(string trainerName)
    {
        var mlContext = new MLContext(seed: 3);
        var data = SyntheticData.ToDataView(mlContext, SyntheticData.Blobs(700, 3, Dimension, 2.5f, seed: 6), Dimension);
        var keyed = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        mlContext.CancelTraining();
        Assert.Throws<OperationCanceledException>(() => TrainerCatalog.Create(trainerName, mlContext).Fit(keyed));
    }
}
