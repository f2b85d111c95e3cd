// Usage: Cs231n.MLNet.LoadProbe <model.zip> <data.idv> <scores-output.bin> [<labels-output.txt>]
// Loads the model, scores the data and writes every Score value (little-endian float32) to the output file, and, when
// asked, every PredictedLabel (its text, or its key number) one per line.
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length is not (3 or 4))
{
    Console.Error.WriteLine("usage: Cs231n.MLNet.LoadProbe <model.zip> <data.idv> <scores-output.bin> [<labels-output.txt>]");
    return 2;
}

var mlContext = new MLContext(seed: 1);
ITransformer model = mlContext.Model.Load(args[0], out _);
IDataView data = mlContext.Data.LoadFromBinary(args[1]);
IDataView scored = model.Transform(data);
var scoreColumn = scored.Schema["Score"];
var labelColumn = scored.Schema["PredictedLabel"];
using var output = new BinaryWriter(File.Create(args[2]));
using var labels = args.Length == 4 ? new StreamWriter(args[3]) : null;
using var cursor = scored.GetRowCursor(new[] { scoreColumn, labelColumn });
var getScore = cursor.GetGetter<VBuffer<float>>(scoreColumn);
Func<string> readLabel = labelColumn.Type is TextDataViewType ? TextGetter(cursor, labelColumn) : KeyGetter(cursor, labelColumn);
VBuffer<float> score = default;
int rows = 0;
while (cursor.MoveNext())
{
    getScore(ref score);
    foreach (float value in score.DenseValues())
        output.Write(value);
    labels?.WriteLine(readLabel());
    rows++;
}
Console.WriteLine($"scored {rows} rows with {model.GetType().Name}");
return 0;

static Func<string> TextGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
{
    var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
    ReadOnlyMemory<char> value = default;
    return () =>
    {
        getter(ref value);
        return value.ToString();
    };
}

static Func<string> KeyGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
{
    var getter = cursor.GetGetter<uint>(column);
    uint value = 0;
    return () =>
    {
        getter(ref value);
        return value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    };
}
