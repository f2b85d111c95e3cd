// The defaults survey: every trainer at its defaults on many small data sets, next to ML.NET's and scikit-learn's
// linear models, as a new user would run them. The splits and scikit-learn's figures come from make_datasets.py.
//
//   /usr/bin/python3 tools/DefaultsSurvey/make_datasets.py --out out/defaults-survey
//   dotnet run -c Release --project tools/DefaultsSurvey -- out/defaults-survey [--raw]
//   dotnet run -c Release --project tools/DefaultsSurvey -- --fashion-mnist [Softmax Svm Perceptron]   (the full-data targets)
using System.Globalization;
using System.Text.Json;
using Cs231n.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Contains("--fashion-mnist"))
    return Cs231n.MLNet.Tools.DefaultsSurvey.FashionMnistTargets.Run(args.Where(a => !a.StartsWith("--")).ToArray());

string root = args.Where((a, i) => !a.StartsWith("--") && (i == 0 || args[i - 1] != "--only")).FirstOrDefault() ?? "out/defaults-survey";
bool raw = args.Contains("--raw");
string? only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
bool log = args.Contains("--log");
if (!Directory.Exists(root))
{
    Console.Error.WriteLine($"No data sets in '{root}'. Write them first: /usr/bin/python3 tools/DefaultsSurvey/make_datasets.py --out {root}");
    return 2;
}

var contenders = new (string Name, Func<MLContext, IEstimator<ITransformer>> Create)[]
{
    ("kNN", ml => ml.MulticlassClassification.Trainers.KNearestNeighbors()),
    ("SVM", ml => ml.MulticlassClassification.Trainers.MulticlassSvm()),
    ("Softmax", ml => ml.MulticlassClassification.Trainers.Softmax()),
    ("MLP", ml => ml.MulticlassClassification.Trainers.MultilayerPerceptron()),
    ("SDCA", ml => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy()),
    ("LBFGS", ml => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy()),
};

Console.WriteLine($"features: {(raw ? "raw" : "NormalizeMinMax(fixZero: false)")}");
Console.WriteLine($"| data set | {string.Join(" | ", contenders.Select(c => c.Name))} | sklearn linear | sklearn MLP | checks |");
Console.WriteLine($"|---|{string.Concat(contenders.Select(_ => "--:|"))}--:|--:|---|");
int held = 0, total = 0;
foreach (string folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
{
    string name = Path.GetFileName(folder);
    if (only is not null && !name.Contains(only, StringComparison.Ordinal))
        continue;
    var reference = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(folder, "sklearn.json")))!;
    int features = File.ReadLines(Path.Combine(folder, "train.csv")).First().Split(',').Length - 1;
    int testRows = File.ReadLines(Path.Combine(folder, "test.csv")).Count();
    var ml = new MLContext(seed: 0);
    if (log)
        ml.Log += (_, e) => { if (e.Source.Contains("Trainer", StringComparison.Ordinal) && !e.Source.Contains("Sdca", StringComparison.Ordinal) && !e.Source.Contains("Lbfgs", StringComparison.Ordinal)) Console.WriteLine($"  [{e.Source}] {e.Message}"); };
    var loader = ml.Data.CreateTextLoader([
        new TextLoader.Column("Label", DataKind.String, 0),
        new TextLoader.Column("Features", DataKind.Single, 1, features)], separatorChar: ',');
    var train = ml.Data.Cache(loader.Load(Path.Combine(folder, "train.csv")));
    var test = loader.Load(Path.Combine(folder, "test.csv"));
    var scores = new Dictionary<string, string>();
    var values = new Dictionary<string, double>();
    foreach (var (contender, create) in contenders)
    {
        IEstimator<ITransformer> pipeline = ml.Transforms.Conversion.MapValueToKey("Label");
        if (!raw)
            pipeline = pipeline.Append(ml.Transforms.NormalizeMinMax("Features", fixZero: false));
        pipeline = pipeline.Append(create(ml));
        try
        {
            var model = pipeline.Fit(train);
            double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
            values[contender] = accuracy;
            scores[contender] = accuracy.ToString("F3", CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            scores[contender] = "error";
            Console.Error.WriteLine($"{name} / {contender}: {e.GetType().Name}: {e.Message}");
        }
    }
    double linearRef = raw
        ? Math.Max(values.GetValueOrDefault("SDCA"), values.GetValueOrDefault("LBFGS"))
        : new[] { reference["logistic"], reference["linear_svc"], values.GetValueOrDefault("SDCA"), values.GetValueOrDefault("LBFGS") }.Max();
    double mlpRef = Math.Max(linearRef, reference["mlp"]);
    double margin = raw ? 0.05 : Math.Max(0.02, 2.0 / testRows);
    var checks = new List<string>();
    void Check(string contender, double target)
    {
        total++;
        bool ok = scores[contender] == "error" && raw || values.TryGetValue(contender, out double v) && v >= target - margin - 1e-9;
        if (ok)
            held++;
        else
            checks.Add($"{contender}<{target - margin:F3}");
    }
    Check("SVM", linearRef);
    Check("Softmax", linearRef);
    Check("MLP", raw ? linearRef : mlpRef);
    Console.WriteLine($"| {name} | {string.Join(" | ", contenders.Select(c => scores[c.Name]))} | " +
        $"{Math.Max(reference["logistic"], reference["linear_svc"]):F3} | {reference["mlp"]:F3} | {(checks.Count == 0 ? "ok" : string.Join(", ", checks))} |");
}
Console.WriteLine($"{held} of {total} checks hold (SVM and softmax within {(raw ? "0.05 of ML.NET's best linear model, or an error" : "0.02 (or two test rows) of the best linear reference")}; MLP likewise against the best of those and MLPClassifier).");
return 0;
