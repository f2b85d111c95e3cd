namespace Cs231n.MLNet.Onnx;

/// <summary>
/// A k-nearest-neighbours model as a brute-force ONNX graph: distances to every memorised row, <c>TopK</c>, and the
/// (weighted) vote. It reproduces the model's answers exactly, not approximately:
/// <list type="bullet">
/// <item>Distances are computed in double precision and rounded to float once, as the model's exact re-ranking does
/// (L2 as ‖x‖² + ‖y‖² − 2·x·y, cosine as 1 − x·y/√(‖x‖²‖y‖²)), so near-ties order the same way; <c>TopK</c> breaks
/// equal float distances by the smaller row index, as the model does.</item>
/// <item>Distance-weighted votes are added one neighbour at a time in float, in neighbour order, as the model adds
/// them, so the vote totals are bit-identical and ties between classes are the model's ties.</item>
/// <item>Ties are broken by the model's <see cref="KnnTieBreaking"/> rule, and the winner's share is raised by one
/// unit in the last place, as the model raises it.</item>
/// </list>
/// L1 distance is refused: without a loop construct (ML.NET's exporter writes no subgraphs) the graph must materialise
/// queries × training rows × features, and chunks of training rows only divide that by the number of chunks, for any
/// batch size a serving host sends.
/// </summary>
internal sealed class KNearestNeighborsGraphWriter : IClassifierGraphWriter
{
    private readonly KNearestNeighborsModelParameters _model;

    public KNearestNeighborsGraphWriter(KNearestNeighborsModelParameters model)
    {
        if (model.Distance == KnnDistance.L1)
            throw new NotSupportedException(
                "ONNX export of KNearestNeighborsModelParameters with L1 distance is not supported: ONNX (opset 12, as ML.NET exports it) has no " +
                "matrix product for |x − y| and ML.NET's exporter cannot write loops, so the graph would hold a queries × training rows × features " +
                $"tensor ({model.TrainingRowCount:N0} × {model.FeatureCount:N0} values per query row); splitting the training rows into chunks " +
                "still needs batch size × chunk × features per step and thousands of nodes. Use L2 or cosine distance to export the model.");
        _model = model;
    }

    /// <summary>TopK with the <c>largest</c> and <c>sorted</c> attributes is opset 11.</summary>
    public int MinimumOpset => 11;

    public ClassifierGraph Write(IOnnxGraph graph, string features)
    {
        int k = _model.NumberOfNeighbors;
        string distances = _model.Distance == KnnDistance.L2 ? L2Distances(graph, features) : CosineDistances(graph, features);
        string nearestDistances = graph.NewVariable("NeighborDistances");
        string nearestRows = graph.NewVariable("NeighborRows");
        graph.AddNode("TopK", [distances, graph.AddTensor("K", [(long)k], [1])], [nearestDistances, nearestRows],
            OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("largest", 0), OnnxAttribute.Int("sorted", 1));

        long[] trainingClasses = new long[_model.TrainingRowCount];
        var indices = _model.TrainingClassIndices.Span;
        for (int i = 0; i < trainingClasses.Length; i++)
            trainingClasses[i] = indices[i];
        string classes = graph.Op("Gather", [graph.AddTensor("TrainingClasses", trainingClasses, [trainingClasses.Length]), nearestRows],
            OnnxAttribute.Int("axis", 0));

        // One-hot of each neighbour's class, N×k×C: its class index compared with 0..C−1.
        string classRange = graph.AddTensor("ClassRange", Enumerable.Range(0, _model.ClassCount).Select(c => (long)c).ToArray(), [_model.ClassCount]);
        string columnClasses = graph.Op("Unsqueeze", classes, OnnxAttribute.Ints("axes", 2));
        string oneHot = graph.Cast(graph.Op("Equal", [columnClasses, classRange]), OnnxElementType.Float);

        string votes = _model.Weighting == KnnWeighting.Uniform
            ? UniformVotes(graph, oneHot, k)
            : DistanceWeightedVotes(graph, oneHot, nearestDistances, k);
        return new ClassifierGraph(BreakTies(graph, votes, classes, classRange));
    }

    /// <summary>
    /// Where several classes share the largest vote, raises the share of the class the tie-breaking rule names to the
    /// next float up, so the first largest score (ArgMax) is that class, as in the model.
    /// </summary>
    private string BreakTies(IOnnxGraph graph, string votes, string classes, string classRange)
    {
        string best = graph.Op("ReduceMax", votes, OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1));
        string sharing = graph.ReduceSum(graph.Cast(graph.Op("Equal", [votes, best]), OnnxElementType.Float), 1);
        string tied = graph.Op("Greater", [sharing, graph.Scalar("One", 1f)]);

        string winner;
        if (_model.TieBreaking == KnnTieBreaking.NearestNeighbor)
        {
            // The first neighbour (nearest first) whose class has the largest vote.
            string neighborVotes = graph.Op("GatherElements", [votes, classes], OnnxAttribute.Int("axis", 1));
            string first = FirstTrue(graph, graph.Op("Equal", [neighborVotes, best]));
            winner = graph.Op("GatherElements", [classes, first], OnnxAttribute.Int("axis", 1));
        }
        else
        {
            // The first class, in ascending order of label values, with the largest vote.
            long[] order = _model.ClassesByLabelValue.ToArray().Select(c => (long)c).ToArray();
            string byLabelValue = graph.AddTensor("ClassesByLabelValue", order, [order.Length]);
            string ordered = graph.Op("Gather", [votes, byLabelValue], OnnxAttribute.Int("axis", 1));
            string first = FirstTrue(graph, graph.Op("Equal", [ordered, best]));
            winner = graph.Op("Gather", [byLabelValue, first], OnnxAttribute.Int("axis", 0));
        }

        string isWinner = graph.Op("And", [tied, graph.Op("Equal", [classRange, winner])]);
        return graph.Op("Where", [isWinner, NextFloatUp(graph, best), votes]);
    }

    /// <summary>The column of the first true value of each row of a boolean N×m tensor, as N×1 int64.</summary>
    private static string FirstTrue(IOnnxGraph graph, string condition)
        => graph.Op("ArgMax", graph.Cast(condition, OnnxElementType.Float), OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 1));

    /// <summary>
    /// The next float above a positive normal float x (the model's <c>MathF.BitIncrement</c>): x·(1 + 2⁻²⁴ + 2⁻³⁰) in
    /// double lies strictly between x + ½ulp and x + 1.02ulp, so rounding it to float gives exactly x + ulp, also
    /// where x + ulp is a power of two. A tied largest share is at most ½, never zero and never subnormal.
    /// </summary>
    private static string NextFloatUp(IOnnxGraph graph, string value)
    {
        string scaled = graph.Op("Mul", [graph.Cast(value, OnnxElementType.Double), graph.Scalar("NextUp", 1 + Math.Pow(2, -24) + Math.Pow(2, -30))]);
        return graph.Cast(scaled, OnnxElementType.Float);
    }

    /// <summary>Every neighbour votes 1; counts are exact in any order, then scaled by 1/k.</summary>
    private static string UniformVotes(IOnnxGraph graph, string oneHot, int k)
    {
        string counts = graph.Op("ReduceSum", oneHot, OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 0));
        return graph.Op("Mul", [counts, graph.Scalar("VoteScale", (float)(1.0 / k))]);
    }

    /// <summary>
    /// Weights 1/d (or, when the nearest neighbour is an exact match, 1 for every exact match and 0 for the rest),
    /// accumulated neighbour by neighbour, then scaled by the reciprocal of their double-precision total.
    /// </summary>
    private static string DistanceWeightedVotes(IOnnxGraph graph, string oneHot, string nearestDistances, int k)
    {
        string zero = graph.Scalar("Zero", 0f);
        string reciprocal = graph.Op("Reciprocal", graph.Cast(nearestDistances, OnnxElementType.Double));
        string exactMatches = graph.Cast(graph.Op("Equal", [nearestDistances, zero]), OnnxElementType.Double);
        string nearestIsExact = graph.Op("Equal", [graph.SliceColumns(nearestDistances, 0, 1), zero]);
        string weights = graph.Op("Where", [nearestIsExact, exactMatches, reciprocal]);
        string floatWeights = graph.Cast(weights, OnnxElementType.Float);

        string? votes = null;
        for (int j = 0; j < k; j++)
        {
            string neighbor = graph.Op("Gather", [oneHot, graph.Scalar("Neighbor", (long)j)], OnnxAttribute.Int("axis", 1));
            string vote = graph.Op("Mul", [neighbor, graph.SliceColumns(floatWeights, j, j + 1)]);
            votes = votes == null ? vote : graph.Op("Add", [votes, vote]);
        }
        string total = graph.ReduceSum(weights, 1);
        string scale = graph.Cast(graph.Op("Reciprocal", total), OnnxElementType.Float);
        return graph.Op("Mul", [votes!, scale]);
    }

    /// <summary>√max(0, ‖x‖² + ‖y‖² − 2·x·y) in double, rounded to float.</summary>
    private string L2Distances(IOnnxGraph graph, string features)
    {
        string x = Widen(graph, features);
        string queryNorms = graph.Op("ReduceSumSquare", x, OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1));
        string crossTerms = graph.Op("Gemm", [x, TrainingRows(graph), Constant(graph, "TrainingSquaredNorms", TrainingSquaredNorms(), [_model.TrainingRowCount])],
            OnnxAttribute.Int("transB", 1), OnnxAttribute.Float("alpha", -2f), OnnxAttribute.Float("beta", 1f));
        string squared = graph.Op("Max", [graph.Op("Add", [crossTerms, queryNorms]), Constant(graph, "Zero", [0.0], [])]);
        return Narrow(graph, graph.Op("Sqrt", squared));
    }

    /// <summary>1 − x·y/√(‖x‖²‖y‖²) in double, rounded to float; 1 when either vector is zero.</summary>
    private string CosineDistances(IOnnxGraph graph, string features)
    {
        string x = Widen(graph, features);
        string queryNorms = graph.Op("ReduceSumSquare", x, OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1));
        string dots = graph.Op("Gemm", [x, TrainingRows(graph)], OnnxAttribute.Int("transB", 1));
        string normProducts = graph.Op("Mul", [queryNorms, Constant(graph, "TrainingSquaredNorms", TrainingSquaredNorms(), [1, _model.TrainingRowCount])]);
        string cosines = graph.Op("Div", [dots, graph.Op("Sqrt", normProducts)]);
        string one = Constant(graph, "One", [1.0], []);
        string distances = graph.Op("Sub", [one, cosines]);
        string hasZero = graph.Op("Equal", [normProducts, Constant(graph, "Zero", [0.0], [])]);
        return Narrow(graph, graph.Op("Where", [hasZero, one, distances]));
    }

    /// <summary>The memorised rows (R×D), stored as float and widened to double in the graph.</summary>
    private string TrainingRows(IOnnxGraph graph)
        => Widen(graph, graph.AddTensor("TrainingRows", _model.TrainingFeatures.ToArray(), [_model.TrainingRowCount, _model.FeatureCount]));

    private static bool InDouble => OnnxExportSettings.KnnDistanceType == OnnxElementType.Double;

    private static string Widen(IOnnxGraph graph, string value) => InDouble ? graph.Cast(value, OnnxElementType.Double) : value;

    private static string Narrow(IOnnxGraph graph, string value) => InDouble ? graph.Cast(value, OnnxElementType.Float) : value;

    private static string Constant(IOnnxGraph graph, string hint, double[] values, long[] dims)
        => InDouble ? graph.AddTensor(hint, values, dims) : graph.AddTensor(hint, values.Select(v => (float)v).ToArray(), dims);

    /// <summary>‖y‖² of every memorised row, summed in double in feature order as the model's exact distance sums.</summary>
    private double[] TrainingSquaredNorms()
    {
        int d = _model.FeatureCount;
        var rows = _model.TrainingFeatures.Span;
        var norms = new double[_model.TrainingRowCount];
        for (int r = 0; r < norms.Length; r++)
        {
            double sum = 0;
            foreach (float v in rows.Slice(r * d, d))
                sum += (double)v * v;
            norms[r] = sum;
        }
        return norms;
    }
}
