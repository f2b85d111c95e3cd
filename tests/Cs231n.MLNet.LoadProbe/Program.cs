// Usage: Cs231n.MLNet.LoadProbe <model.zip> <data.idv> <scores-output.bin>
// Loads the model, scores the data and writes every Score value (little-endian float32) to the output file.
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Cs231n.MLNet.LoadProbe <model.zip> <data.idv> <scores-output.bin>");
    return 2;
}

var mlContext = new MLContext(seed: 1);
ITransformer model = mlContext.Model.Load(args[0], out _);
IDataView data = mlContext.Data.LoadFromBinary(args[1]);
IDataView scored = model.Transform(data);
var scoreColumn = scored.Schema["Score"];
using var output = new BinaryWriter(File.Create(args[2]));
using var cursor = scored.GetRowCursor(new[] { scoreColumn });
var getScore = cursor.GetGetter<VBuffer<float>>(scoreColumn);
VBuffer<float> score = default;
int rows = 0;
while (cursor.MoveNext())
{
    getScore(ref score);
    foreach (float value in score.DenseValues())
        output.Write(value);
    rows++;
}
Console.WriteLine($"scored {rows} rows with {model.GetType().Name}");
return 0;
