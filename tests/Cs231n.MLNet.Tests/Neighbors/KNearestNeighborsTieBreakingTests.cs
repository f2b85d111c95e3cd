using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Neighbors;

/// <summary>
/// Tied votes are settled by the neighbours or by the label values, never by the order in which MapValueToKey
/// numbered the classes.
/// </summary>
[TestClass]
public sealed class KNearestNeighborsTieBreakingTests
{
    // On a line: z at 0, m at 2, a at 4, m at 20. By first occurrence the keys are z=1, m=2, a=3.
    private static readonly (float X, string Label)[] Line = { (0, "z"), (2, "m"), (4, "a"), (20, "m") };

    public static IEnumerable<object[]> EveryDistanceWeightingAndRule =>
        from distance in Enum.GetValues<KnnDistance>()
        from weighting in Enum.GetValues<KnnWeighting>()
        from rule in Enum.GetValues<KnnTieBreaking>()
        select new object[] { distance, weighting, rule };

    [TestMethod]
    [DynamicData(nameof(EveryDistanceWeightingAndRule))]
    public void KeysByOccurrenceAndByValuePredictTheSameLabels(KnnDistance distance, KnnWeighting weighting, KnnTieBreaking rule)
    {
        var mlContext = new MLContext(seed: 1);
        var (train, queries) = TieHeavyGrid(mlContext);
        foreach (int k in new[] { 2, 4 })
        {
            var byOccurrence = PredictedValues(mlContext, train, queries, ValueToKeyMappingEstimator.KeyOrdinality.ByOccurrence, k, distance, weighting, rule);
            var byValue = PredictedValues(mlContext, train, queries, ValueToKeyMappingEstimator.KeyOrdinality.ByValue, k, distance, weighting, rule);
            Assert.IsGreaterThanOrEqualTo(5, byOccurrence.Ties, $"k = {k}: the grid must produce many tied votes for this test to mean anything");
            CollectionAssert.AreEqual(byValue.Labels, byOccurrence.Labels, $"k = {k}: predictions depend on the key order");
            // ML.NET's Evaluate ignores PredictedLabel and takes the arg-max of Score: it must see the same predictions.
            Assert.AreEqual(byValue.Accuracy, byOccurrence.Accuracy, $"k = {k}: Evaluate's accuracy depends on the key order");
        }
    }

    [TestMethod]
    [DataRow(1f, 2, KnnWeighting.Uniform, "m")]   // z and m at distance 1
    [DataRow(3f, 2, KnnWeighting.Uniform, "a")]   // m and a at distance 1
    [DataRow(3f, 2, KnnWeighting.Distance, "a")]  // equal weights 1/1
    [DataRow(1.9f, 3, KnnWeighting.Uniform, "a")] // m, z, a: one vote each
    [DataRow(1.9f, 3, KnnWeighting.Distance, "m")] // no tie: m at 0.1 outweighs the others
    [DataRow(12f, 2, KnnWeighting.Uniform, "a")]  // a and the far m at distance 8
    public void LowestLabelReproducesScikitLearn(float x, int k, KnnWeighting weighting, string expected)
    {
        // Expected values worked out by hand with scikit-learn's rule (KNeighborsClassifier: the mode, ties to the
        // smallest class value; weighted: the largest weight sum, ties to the smallest class value).
        var mlContext = new MLContext(seed: 1);
        var model = FitLine(mlContext, k, weighting, KnnTieBreaking.LowestLabel);
        Assert.AreEqual(expected, PredictOnLine(mlContext, model, x));
    }

    [TestMethod]
    [DataRow(1f, 2, KnnWeighting.Uniform, "z")]   // z (row 0) and m (row 1) equally near: the earlier row
    [DataRow(3f, 2, KnnWeighting.Uniform, "m")]   // m (row 1) and a (row 2) equally near
    [DataRow(3f, 2, KnnWeighting.Distance, "m")]
    [DataRow(1.9f, 3, KnnWeighting.Uniform, "m")] // m is nearest of the three tied classes
    [DataRow(12f, 2, KnnWeighting.Uniform, "a")]  // a (row 2) before the far m (row 3)
    public void NearestNeighborGivesTheTieToTheNearestTiedClass(float x, int k, KnnWeighting weighting, string expected)
    {
        var mlContext = new MLContext(seed: 1);
        var model = FitLine(mlContext, k, weighting, KnnTieBreaking.NearestNeighbor);
        Assert.AreEqual(expected, PredictOnLine(mlContext, model, x));
    }

    [TestMethod]
    public void NearestNeighborIsTheDefault()
    {
        Assert.AreEqual(KnnTieBreaking.NearestNeighbor, new KNearestNeighborsTrainer.Options().TieBreaking);
        var mlContext = new MLContext(seed: 1);
        var model = FitLine(mlContext, 2, KnnWeighting.Uniform, tieBreaking: null);
        Assert.AreEqual(KnnTieBreaking.NearestNeighbor, Knn(model).TieBreaking);
        Assert.AreEqual("z", PredictOnLine(mlContext, model, 1f));
    }

    [TestMethod]
    public void LowestLabelOrdersNumericLabelsAsNumbers()
    {
        // Labels 10 and 2 tie; as text "10" < "2", as numbers 2 < 10. scikit-learn compares numbers.
        var mlContext = new MLContext(seed: 1);
        var rows = new[] { new NumericRow { Label = 10, Features = [0, 0] }, new NumericRow { Label = 2, Features = [2, 0] }, new NumericRow { Label = 3, Features = [9, 0] } };
        var data = mlContext.Data.LoadFromEnumerable(rows, NumericRow.Schema());
        foreach (var (rule, expected) in new[] { (KnnTieBreaking.LowestLabel, 2f), (KnnTieBreaking.NearestNeighbor, 10f) })
        {
            var model = mlContext.Transforms.Conversion.MapValueToKey("Label")
                .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 2, tieBreaking: rule))
                .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
                .Fit(data);
            var query = mlContext.Data.LoadFromEnumerable(new[] { new NumericRow { Label = 10, Features = [1, 0] } }, NumericRow.Schema());
            Assert.AreEqual(expected, model.Transform(query).GetColumn<float>("PredictedLabel").Single(), rule.ToString());
        }
    }

    [TestMethod]
    public void TheModelKeepsTheClassesInLabelValueOrder()
    {
        var mlContext = new MLContext(seed: 1);
        var knn = Knn(FitLine(mlContext, 2, KnnWeighting.Uniform, KnnTieBreaking.LowestLabel));
        // Keys by occurrence: z=0, m=1, a=2; by value: a, m, z.
        CollectionAssert.AreEqual(new[] { 2, 1, 0 }, knn.ClassesByLabelValue.ToArray());
    }

    [TestMethod]
    public void AnUndefinedRuleIsRefusedNamingTheOption()
    {
        var mlContext = new MLContext(seed: 1);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => mlContext.MulticlassClassification.Trainers.KNearestNeighbors(
            new KNearestNeighborsTrainer.Options { TieBreaking = (KnnTieBreaking)7 }));
        StringAssert.Contains(e.Message, "TieBreaking");
        StringAssert.Contains(e.Message, "7");
    }

    /// <summary>Points on a small integer grid with four classes whose first occurrences (d, b, a, c) differ from their value order.</summary>
    internal static (IDataView Train, IDataView Queries) TieHeavyGrid(MLContext mlContext)
    {
        var random = new Random(5);
        string[] names = { "d", "b", "a", "c" };
        var train = new List<LabelledRow>();
        for (int i = 0; i < 40; i++)
        {
            string label = i < names.Length ? names[i] : names[random.Next(names.Length)];
            train.Add(new LabelledRow { Label = label, Features = [1 + random.Next(5), 1 + random.Next(5)] });
        }
        var queries = new List<LabelledRow>();
        for (float x = 1; x <= 5; x += 0.5f)
        {
            for (float y = 1; y <= 5; y += 0.5f)
                queries.Add(new LabelledRow { Label = names[random.Next(names.Length)], Features = [x, y] });
        }
        return (SyntheticData.ToDataView(mlContext, train, 2), SyntheticData.ToDataView(mlContext, queries, 2));
    }

    private static (List<string> Labels, int Ties, double Accuracy) PredictedValues(MLContext mlContext, IDataView train, IDataView queries,
        ValueToKeyMappingEstimator.KeyOrdinality order, int k, KnnDistance distance, KnnWeighting weighting, KnnTieBreaking rule)
    {
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: order)
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: k, distance: distance, weighting: weighting, tieBreaking: rule))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(train);
        var scored = model.Transform(queries);
        var scores = ScoreReader.Scores(scored);
        // A tie shows as a runner-up one unit in the last place below the winner.
        int ties = scores.Count(s => s.Count(v => v == s.Max() || MathF.BitIncrement(v) == s.Max()) > 1);
        return (scored.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Select(m => m.ToString()).ToList(), ties,
            mlContext.MulticlassClassification.Evaluate(scored).MicroAccuracy);
    }

    private static ITransformer FitLine(MLContext mlContext, int k, KnnWeighting weighting, KnnTieBreaking? tieBreaking)
    {
        var data = SyntheticData.ToDataView(mlContext, Line.Select(p => new LabelledRow { Label = p.Label, Features = [p.X, 0] }), 2);
        var trainer = tieBreaking is KnnTieBreaking rule
            ? mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: k, weighting: weighting, tieBreaking: rule)
            : mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: k, weighting: weighting);
        return mlContext.Transforms.Conversion.MapValueToKey("Label").Append(trainer).Fit(data);
    }

    internal static KNearestNeighborsModelParameters Knn(ITransformer model)
        => ((IEnumerable<ITransformer>)model).OfType<MulticlassBatchPredictionTransformer<KNearestNeighborsModelParameters>>().Single().Model;

    internal static string PredictOnLine(MLContext mlContext, ITransformer model, float x)
    {
        var query = SyntheticData.ToDataView(mlContext, new[] { new LabelledRow { Label = "a", Features = [x, 0] } }, 2);
        var labels = mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(model.Transform(query)).Transform(model.Transform(query));
        return labels.GetColumn<ReadOnlyMemory<char>>("PredictedLabel").Single().ToString();
    }

    private sealed class NumericRow
    {
        public float Label { get; set; }

        [VectorType]
        public float[] Features { get; set; } = [];

        public static SchemaDefinition Schema()
        {
            var schema = SchemaDefinition.Create(typeof(NumericRow));
            schema[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2);
            return schema;
        }
    }
}

/// <summary>The rule and the label-value order are saved with the model; files saved before the rule existed still load.</summary>
[TestClass]
public sealed class KNearestNeighborsTieBreakingPersistenceTests
{
    [TestMethod]
    [DataRow(KnnTieBreaking.NearestNeighbor)]
    [DataRow(KnnTieBreaking.LowestLabel)]
    public void SavedModelsKeepTheRuleAndTheLabelValueOrder(KnnTieBreaking rule)
    {
        var mlContext = new MLContext(seed: 1);
        var (train, queries) = KNearestNeighborsTieBreakingTests.TieHeavyGrid(mlContext);
        var model = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KNearestNeighbors(numberOfNeighbors: 4, tieBreaking: rule))
            .Fit(train);
        using var stream = new MemoryStream();
        mlContext.Model.Save(model, train.Schema, stream);
        stream.Position = 0;
        var loaded = new MLContext(seed: 2).Model.Load(stream, out _);

        var original = Knn(model);
        var reloaded = Knn(loaded);
        Assert.AreEqual(rule, reloaded.TieBreaking);
        CollectionAssert.AreEqual(original.ClassesByLabelValue.ToArray(), reloaded.ClassesByLabelValue.ToArray());
        CollectionAssert.AreEqual(ScoreReader.PredictedKeys(model.Transform(queries)), ScoreReader.PredictedKeys(loaded.Transform(queries)));
    }

    [TestMethod]
    public void ModelsSavedBeforeTieBreakingWasAnOptionStillBreakTiesBySmallestKey()
    {
        // Saved by the first format on four points: z at 0, m at 2, a at 4, m at 20; k = 2; keys z=1, m=2, a=3.
        var mlContext = new MLContext(seed: 1);
        var model = mlContext.Model.Load(Path.Combine(AppContext.BaseDirectory, "Neighbors", "Fixtures", "knn-format-1.zip"), out _);
        var knn = Knn(model);
        Assert.AreEqual(KnnTieBreaking.LowestLabel, knn.TieBreaking, "the old rule, smallest key, is the lowest label in key order");
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, knn.ClassesByLabelValue.ToArray());
        Assert.AreEqual("z", KNearestNeighborsTieBreakingTests.PredictOnLine(mlContext, model, 1f), "z (key 1) and m (key 2) tie");
        Assert.AreEqual("m", KNearestNeighborsTieBreakingTests.PredictOnLine(mlContext, model, 3f), "m (key 2) and a (key 3) tie");
    }

    private static KNearestNeighborsModelParameters Knn(ITransformer model) => KNearestNeighborsTieBreakingTests.Knn(model);
}
