using Cs231n.MLNet.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Tests.Data;

[TestClass]
public sealed class ImageDatasetTests
{
    private static readonly string[] Names = ["zero", "one", "two"];

    private static ImageDataset Small() =>
        new(pixels: [0, 255, 51, 102, /**/ 1, 2, 3, 4, /**/ 10, 20, 30, 40, /**/ 200, 100, 50, 0], labels: [2, 0, 1, 2], height: 2, width: 2, channels: 1, Names);

    [TestMethod]
    public void DataViewHasTheSharedSchema()
    {
        var view = Small().ToDataView(new MLContext(seed: 0));

        var features = view.Schema[ImageDataset.FeaturesColumnName];
        var label = view.Schema[ImageDataset.LabelColumnName];
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 4), features.Type);
        Assert.AreEqual(TextDataViewType.Instance, label.Type);
        Assert.AreEqual(4L, view.GetRowCount());
        Assert.IsTrue(view.CanShuffle);
    }

    [TestMethod]
    public void RowsComeInOrderWithPixelsScaledToUnitRangeAndClassNamesAsLabels()
    {
        var data = Small();
        var rows = ReadAll(data.ToDataView(new MLContext(seed: 0)), shuffle: null);

        CollectionAssert.AreEqual(new[] { "two", "zero", "one", "two" }, rows.Select(r => r.Label).ToArray());
        for (int i = 0; i < data.Count; i++)
        {
            var expected = data.GetImage(i).ToArray().Select(b => b / 255f).ToArray();
            CollectionAssert.AreEqual(expected, rows[i].Features, $"row {i}");
        }
        Assert.AreEqual(1f, rows[0].Features[1]);
        Assert.AreEqual(0f, rows[0].Features[0]);
    }

    [TestMethod]
    public void ShuffledCursorVisitsEveryRowOnceWithStableIds()
    {
        var data = new ImageDataset(IdxBytes.PatternPixels(50, 1, 2), Enumerable.Range(0, 50).Select(i => i % 3).ToArray(), 1, 2, 1, Names);
        var view = data.ToDataView(new MLContext(seed: 0));

        var inOrder = ReadAll(view, shuffle: null);
        var shuffled = ReadAll(view, shuffle: new Random(7));

        CollectionAssert.AreNotEqual(inOrder.Select(r => r.Id).ToArray(), shuffled.Select(r => r.Id).ToArray(), "A random cursor should not return file order.");
        CollectionAssert.AreEquivalent(inOrder.Select(r => r.Id).ToArray(), shuffled.Select(r => r.Id).ToArray());
        var byId = inOrder.ToDictionary(r => r.Id);
        foreach (var row in shuffled)
        {
            CollectionAssert.AreEqual(byId[row.Id].Features, row.Features);
            Assert.AreEqual(byId[row.Id].Label, row.Label);
        }
    }

    [TestMethod]
    public void WorksWithMapValueToKeyAndShuffleRows()
    {
        var mlContext = new MLContext(seed: 1);
        var view = Small().ToDataView(mlContext);

        var keyed = mlContext.Transforms.Conversion.MapValueToKey(ImageDataset.LabelColumnName).Fit(view).Transform(view);
        var shuffled = mlContext.Data.ShuffleRows(keyed, seed: 3);
        var keys = mlContext.Data.CreateEnumerable<KeyedRow>(shuffled, reuseRowObject: false).Select(r => r.Label).ToArray();

        Assert.HasCount(4, keys);
        Assert.AreEqual(3, keys.Distinct().Count());
        Assert.IsTrue(keys.All(k => k is >= 1 and <= 3), "Keys are 1-based and there are 3 classes.");
    }

    [TestMethod]
    public void CursorRejectsInactiveColumnsWrongTypesAndReadsBeforeMoveNext()
    {
        var view = Small().ToDataView(new MLContext(seed: 0));
        var features = view.Schema[ImageDataset.FeaturesColumnName];
        var label = view.Schema[ImageDataset.LabelColumnName];
        using var cursor = view.GetRowCursor([features]);

        Assert.IsFalse(cursor.IsColumnActive(label));
        Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<ReadOnlyMemory<char>>(label));
        Assert.ThrowsExactly<InvalidOperationException>(() => cursor.GetGetter<float>(features));
        var getter = cursor.GetGetter<VBuffer<float>>(features);
        var value = default(VBuffer<float>);
        Assert.ThrowsExactly<InvalidOperationException>(() => getter(ref value));
    }

    [TestMethod]
    public void TakeFirstPerClassKeepsFileOrderAndBalance()
    {
        var labels = new[] { 0, 0, 1, 0, 2, 1, 1, 2, 0 };
        var pixels = labels.Select((_, i) => (byte)i).ToArray();
        var data = new ImageDataset(pixels, labels, 1, 1, 1, Names);

        var subset = data.TakeFirstPerClass(2);

        CollectionAssert.AreEqual(new byte[] { 0, 1, 2, 4, 5, 7 }, subset.Pixels);
        CollectionAssert.AreEqual(new[] { 2, 2, 2 }, subset.CountPerClass());
    }

    [TestMethod]
    public void ConstructorRejectsInconsistentArrays()
    {
        var sizeError = Assert.ThrowsExactly<ArgumentException>(() => new ImageDataset(new byte[7], [0, 1], 2, 2, 1, Names));
        var labelError = Assert.ThrowsExactly<ArgumentException>(() => new ImageDataset(new byte[8], [0, 3], 2, 2, 1, Names));
        var duplicateError = Assert.ThrowsExactly<ArgumentException>(() => new ImageDataset(new byte[4], [0], 2, 2, 1, ["a", "a"]));

        StringAssert.Contains(sizeError.Message, "7 bytes");
        StringAssert.Contains(labelError.Message, "Label 1 is 3");
        StringAssert.Contains(duplicateError.Message, "'a' appears twice");
    }

    public sealed class KeyedRow
    {
        [KeyType(3)]
        public uint Label { get; set; }
    }

    private sealed record Row(ulong Id, float[] Features, string Label);

    private static List<Row> ReadAll(IDataView view, Random? shuffle)
    {
        var rows = new List<Row>();
        using var cursor = view.GetRowCursor(view.Schema, shuffle);
        var features = cursor.GetGetter<VBuffer<float>>(view.Schema[ImageDataset.FeaturesColumnName]);
        var label = cursor.GetGetter<ReadOnlyMemory<char>>(view.Schema[ImageDataset.LabelColumnName]);
        var id = cursor.GetIdGetter();
        var featureValue = default(VBuffer<float>);
        var labelValue = default(ReadOnlyMemory<char>);
        var idValue = default(DataViewRowId);
        while (cursor.MoveNext())
        {
            features(ref featureValue);
            label(ref labelValue);
            id(ref idValue);
            rows.Add(new Row(idValue.Low, featureValue.DenseValues().ToArray(), labelValue.ToString()));
        }
        return rows;
    }
}
