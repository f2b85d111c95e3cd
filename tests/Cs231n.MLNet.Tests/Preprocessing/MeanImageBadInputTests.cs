using Microsoft.ML;
using Microsoft.ML.Data;
using Cs231n.MLNet.Tests.TestSupport;

namespace Cs231n.MLNet.Tests.Preprocessing;

/// <summary>Bad columns and names fail with a message that names the column, what it is, and the fix.</summary>
[TestClass]
public sealed class MeanImageBadInputTests
{
    private static T Throws<T>(Action action, params string[] fragments) where T : Exception
    {
        var exception = Assert.ThrowsExactly<T>(action);
        foreach (string fragment in fragments)
            StringAssert.Contains(exception.Message, fragment);
        return exception;
    }

    private static IDataView Rows(MLContext mlContext, int size = 3)
        => MeanImageRows.View(mlContext, Enumerable.Range(0, 4).Select(i => Enumerable.Range(0, size).Select(j => (float)(i + j)).ToArray()).ToArray());

    [TestMethod]
    public void MissingColumnIsNamedWithTheAvailableOnes()
    {
        var mlContext = new MLContext(1);
        var data = Rows(mlContext);
        Throws<ArgumentOutOfRangeException>(() => mlContext.Transforms.SubtractMeanImage("Pixels").Fit(data),
            "Input column 'Pixels' of SubtractMeanImage was not found", "'Label', 'Features'", "inputColumnName");
        Throws<ArgumentOutOfRangeException>(() => mlContext.Transforms.SubtractMeanImage("Pixels").GetOutputSchema(TrainerWorkout.ShapeOf(data.Schema)),
            "Input column 'Pixels' of SubtractMeanImage was not found in the input schema");
    }

    [TestMethod]
    public void TextColumnIsRejectedWithTheFix()
    {
        var mlContext = new MLContext(1);
        var data = Rows(mlContext);
        Throws<ArgumentOutOfRangeException>(() => mlContext.Transforms.SubtractMeanImage("Label").Fit(data),
            "Input column 'Label' of SubtractMeanImage must be a vector of Single with a known size but is String", "ExtractPixels");
        Throws<ArgumentOutOfRangeException>(() => mlContext.Transforms.SubtractMeanImage("Label").GetOutputSchema(TrainerWorkout.ShapeOf(data.Schema)),
            "must be a vector of Single with a known size but is a scalar of String");
    }

    [TestMethod]
    public void VectorOfUnknownSizeIsRejected()
    {
        var mlContext = new MLContext(1);
        // Without a fixed size in the schema definition, ML.NET makes a variable-length vector.
        var data = mlContext.Data.LoadFromEnumerable(new[] { new FeatureRow { Features = [1f, 2f] } });
        Throws<ArgumentOutOfRangeException>(() => mlContext.Transforms.SubtractMeanImage("Features").Fit(data),
            "Input column 'Features' of SubtractMeanImage must be a vector of Single with a known size but is Vector<Single>");
        Throws<ArgumentOutOfRangeException>(() => mlContext.Transforms.SubtractMeanImage("Features").GetOutputSchema(TrainerWorkout.ShapeOf(data.Schema)),
            "a vector of unknown size of Single");
    }

    [TestMethod]
    public void VectorOfDoublesIsRejected()
    {
        var mlContext = new MLContext(1);
        var data = mlContext.Transforms.Conversion.ConvertType("Doubles", "Features", DataKind.Double).Fit(Rows(mlContext)).Transform(Rows(mlContext));
        Throws<ArgumentOutOfRangeException>(() => mlContext.Transforms.SubtractMeanImage("Doubles").Fit(data),
            "'Doubles'", "Vector<Double, 3>", "ConvertType(outputKind: DataKind.Single)");
    }

    [TestMethod]
    public void DataOfAnotherLengthIsRejectedAtTransformWithBothLengths()
    {
        var mlContext = new MLContext(1);
        var transformer = mlContext.Transforms.SubtractMeanImage("Features").Fit(Rows(mlContext, 3));
        var wider = Rows(mlContext, 5);
        Throws<ArgumentOutOfRangeException>(() => transformer.Transform(wider),
            "Input column 'Features' has 5 values per row but the mean image was computed from 3", "same image size");
        Throws<ArgumentOutOfRangeException>(() => transformer.GetOutputSchema(wider.Schema), "5 values per row");
        Throws<ArgumentOutOfRangeException>(() => transformer.GetRowToRowMapper(wider.Schema), "5 values per row");
    }

    [TestMethod]
    public void NoUsableRowsIsAnErrorNotAMeanOfNothing()
    {
        var mlContext = new MLContext(1);
        Throws<ArgumentException>(() => mlContext.Transforms.SubtractMeanImage("Features").Fit(mlContext.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), FixedSchema(3))),
            "cannot compute a mean of column 'Features'", "no rows");
        Throws<ArgumentException>(() => mlContext.Transforms.SubtractMeanImage("Features").Fit(MeanImageRows.View(mlContext, [float.NaN, 1f], [2f, float.NegativeInfinity])),
            "no rows with finite values (2 had NaN or infinite values)");
    }

    [TestMethod]
    public void EmptyColumnNamesAreRejected()
    {
        var mlContext = new MLContext(1);
        Throws<ArgumentException>(() => mlContext.Transforms.SubtractMeanImage(" "), "'outputColumnName'", "non-empty");
        Throws<ArgumentException>(() => mlContext.Transforms.SubtractMeanImage("Features", ""), "'inputColumnName'", "non-empty");
    }

    private static SchemaDefinition FixedSchema(int size)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return schema;
    }
}
