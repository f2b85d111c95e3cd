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

        // ML.NET's cursor sets: every row's Score and PredictedLabel as in sequential scoring.
        var expectedLabels = scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString()).ToList();
        var scoreColumn = scored.Schema["Score"];
        var labelColumn = scored.Schema["PredictedLabel"];
        var cursors = scored.GetRowCursorSet(new[] { scoreColumn, labelColumn }, 3);
        var collected = new System.Collections.Concurrent.ConcurrentDictionary<long, (float[] Score, string Label)>();
        Parallel.ForEach(cursors, cursor =>
        {
            using (cursor)
            {
                var getScore = cursor.GetGetter<VBuffer<float>>(scoreColumn);
                var getLabel = cursor.GetGetter<ReadOnlyMemory<char>>(labelColumn);
                var idGetter = cursor.GetIdGetter();
                VBuffer<float> value = default;
                ReadOnlyMemory<char> label = default;
                DataViewRowId id = default;
                while (cursor.MoveNext())
                {
                    getScore(ref value);
                    getLabel(ref label);
                    idGetter(ref id);
                    Assert.IsTrue(collected.TryAdd((long)id.Low, (value.DenseValues().ToArray(), label.ToString())), $"row id {id.Low} served twice");
                }
            }
        });
        Assert.HasCount(expected.Count, collected);
        // Rows of an in-memory view are numbered by position.
        ScoreReader.AssertBitIdentical(expected, Enumerable.Range(0, expected.Count).Select(i => collected[i].Score).ToList());
        CollectionAssert.AreEqual(expectedLabels, Enumerable.Range(0, expected.Count).Select(i => collected[i].Label).ToList());
    }

    [TestMethod]
    [DynamicData(nameof(Trainers))]
    public void CancellingBeforeFitStopsAtTheFirstCheck(string trainerName)
    {
        var mlContext = new MLContext(seed: 3);
        var keyed = Keyed(mlContext, rowsPerClass: 700);
        mlContext.CancelTraining();
        Assert.Throws<OperationCanceledException>(() => TrainerCatalog.Create(trainerName, mlContext).Fit(keyed));
    }

    public static IEnumerable<object[]> GradientTrainers => TrainerCatalog.All.Where(t => t.Name != "KNearestNeighbors").Select(t => new object[] { t.Name });

    [TestMethod]
    [DynamicData(nameof(GradientTrainers))]
    public void CancellingFromAnotherThreadAfterTheFirstEpochStopsBeforeTheNextMinibatch(string trainerName)
    {
        var mlContext = new MLContext(seed: 3);
        var keyed = Keyed(mlContext, rowsPerClass: 200);
        var epochs = new List<int>();
        // Reported synchronously from the training thread at the end of each epoch; the cancellation itself happens on
        // another thread, which has finished before training goes on. No timing is involved.
        var progress = new SynchronousProgress(p =>
        {
            epochs.Add(p.Epoch);
            if (p.Epoch == 1)
            {
                var canceller = new Thread(() => mlContext.CancelTraining());
                canceller.Start();
                canceller.Join();
            }
        });
        var trainer = CreateWithProgress(trainerName, mlContext, progress, epochs: 50);
        var error = Assert.Throws<OperationCanceledException>(() => trainer.Fit(keyed));
        CollectionAssert.AreEqual(new[] { 1 }, epochs, "training went on after the cancellation");
        // The throw comes from the minibatch loop (the data was read long before), i.e. from the first minibatch of
        // epoch 2: no minibatch ran after the cancellation.
        StringAssert.Contains(error.StackTrace, "Solver", $"thrown from outside the training loop: {error}");
    }

    [TestMethod]
    public void CancellingKnnFromAnotherThreadStopsWithinOneBlockOfRows()
    {
        var mlContext = new MLContext(seed: 3);
        var keyed = Keyed(mlContext, rowsPerClass: 2000); // 6,000 rows
        const int cancelAt = 2500;
        var counting = new CountingDataView(keyed, onRow: served =>
        {
            if (served == cancelAt)
            {
                var canceller = new Thread(() => mlContext.CancelTraining());
                canceller.Start();
                canceller.Join();
            }
        });
        Assert.Throws<OperationCanceledException>(() => mlContext.MulticlassClassification.Trainers.KNearestNeighbors().Fit(counting));
        Assert.IsLessThanOrEqualTo(cancelAt + 1024, counting.RowsServed, $"kNN read {counting.RowsServed - cancelAt} rows after the cancellation");
    }

    [TestMethod]
    public void CancelTrainingOnStopsTrainingWhenTheTokenIsCancelled()
    {
        var mlContext = new MLContext(seed: 3);
        var keyed = Keyed(mlContext, rowsPerClass: 200);
        using var source = new CancellationTokenSource();
        using var registration = mlContext.CancelTrainingOn(source.Token);
        var epochs = new List<int>();
        var progress = new SynchronousProgress(p =>
        {
            epochs.Add(p.Epoch);
            if (p.Epoch == 2)
                source.Cancel();
        });
        Assert.Throws<OperationCanceledException>(() => CreateWithProgress("Softmax", mlContext, progress, epochs: 50).Fit(keyed));
        CollectionAssert.AreEqual(new[] { 1, 2 }, epochs);
    }

    [TestMethod]
    public void CancelTrainingOnDoesNothingOnceDisposed()
    {
        var mlContext = new MLContext(seed: 3);
        var keyed = Keyed(mlContext, rowsPerClass: 50);
        using var source = new CancellationTokenSource();
        mlContext.CancelTrainingOn(source.Token).Dispose();
        source.Cancel();
        var model = mlContext.MulticlassClassification.Trainers.Softmax(numberOfEpochs: 2).Fit(keyed);
        Assert.AreEqual(2, model.Model.History.EpochsCompleted);
    }

    private static IDataView Keyed(MLContext mlContext, int rowsPerClass)
    {
        var data = SyntheticData.ToDataView(mlContext, SyntheticData.Blobs(rowsPerClass, 3, Dimension, 2.5f, seed: 6), Dimension);
        return mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    private static IEstimator<ITransformer> CreateWithProgress(string trainerName, MLContext mlContext, IProgress<TrainingProgress> progress, int epochs)
        => trainerName switch
        {
            "MulticlassSvm" => mlContext.MulticlassClassification.Trainers.MulticlassSvm(new MulticlassSvmTrainer.Options { NumberOfEpochs = epochs, BatchSize = 32, Progress = progress }),
            "Softmax" => mlContext.MulticlassClassification.Trainers.Softmax(new SoftmaxTrainer.Options { NumberOfEpochs = epochs, BatchSize = 32, Progress = progress }),
            "MultilayerPerceptron" => mlContext.MulticlassClassification.Trainers.MultilayerPerceptron(new MultilayerPerceptronTrainer.Options
            {
                HiddenLayerSizes = [16], NumberOfEpochs = epochs, BatchSize = 32, Progress = progress,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(trainerName), trainerName, "not a gradient trainer"),
        };

    /// <summary>Calls back on the reporting thread, unlike <see cref="Progress{T}"/>, which posts to the thread pool.</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    /// <summary>Passes a data view through, counting the rows its cursors serve and calling back on each.</summary>
    private sealed class CountingDataView(IDataView inner, Action<long> onRow) : IDataView
    {
        private long _served;

        public void Served() => onRow(Interlocked.Increment(ref _served));

        public long RowsServed => Interlocked.Read(ref _served);

        public bool CanShuffle => inner.CanShuffle;

        public DataViewSchema Schema => inner.Schema;

        public long? GetRowCount() => inner.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
            => new Cursor(this, inner.GetRowCursor(columnsNeeded, rand));

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
            => new[] { GetRowCursor(columnsNeeded, rand) };

        private sealed class Cursor(CountingDataView parent, DataViewRowCursor inner) : DataViewRowCursor
        {
            public override DataViewSchema Schema => inner.Schema;

            public override long Position => inner.Position;

            public override long Batch => inner.Batch;

            public override bool MoveNext()
            {
                if (!inner.MoveNext())
                    return false;
                parent.Served();
                return true;
            }

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => inner.GetGetter<TValue>(column);

            public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

            public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                    inner.Dispose();
                base.Dispose(disposing);
            }
        }
    }
}
