using Microsoft.ML.Runtime;
using Cs231n.MLNet.MLNetInternals;
using Cs231n.MLNet.Neighbors;
using Cs231n.MLNet.Training;
using Cs231n.MLNet.Optimization;

namespace Cs231n.MLNet;

/// <summary>
/// k-nearest neighbours, CS231n's first classifier: training memorises the data; prediction finds the k training rows
/// nearest to each query (exact brute-force search) and lets them vote.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>Task</term><description>Multiclass classification</description></item>
/// <item><term>Normalisation needed</term><description>Usually helps: distances weigh every feature by its scale</description></item>
/// <item><term>Caching needed</term><description>No: the data is read once</description></item>
/// <item><term>Package</term><description>Cs231n.MLNet</description></item>
/// </list>
/// Training rows with a missing label or a NaN/infinite feature are skipped and counted in the log, as ML.NET's
/// trainers do. A number of neighbours larger than the training set is an error at <c>Fit</c>, and so are training rows
/// whose distances would overflow single precision (values beyond about 9e18): scale the features first.
/// </remarks>
public sealed class KNearestNeighborsTrainer : Cs231nTrainerBase<KNearestNeighborsModelParameters>
{
    /// <summary>Options of <see cref="KNearestNeighborsTrainer"/>.</summary>
    public sealed class Options : Cs231nTrainerOptions
    {
        /// <summary>k: how many nearest training rows vote. Choose it by cross-validation.</summary>
        public int NumberOfNeighbors = 5;

        /// <summary>The distance between feature vectors.</summary>
        public KnnDistance Distance = KnnDistance.L2;

        /// <summary>How the neighbours' votes are weighted.</summary>
        public KnnWeighting Weighting = KnnWeighting.Uniform;

        /// <summary>Which class wins when several share the largest vote: by default the nearest neighbour's.</summary>
        public KnnTieBreaking TieBreaking = KnnTieBreaking.NearestNeighbor;

        internal override void Validate(string trainerName)
        {
            base.Validate(trainerName);
            if (NumberOfNeighbors < 1)
                throw new ArgumentOutOfRangeException(nameof(NumberOfNeighbors), NumberOfNeighbors,
                    $"The '{nameof(NumberOfNeighbors)}' option of {trainerName} must be a positive integer; got {NumberOfNeighbors}.");
            if (!Enum.IsDefined(Distance))
                throw new ArgumentOutOfRangeException(nameof(Distance), Distance, $"The '{nameof(Distance)}' option of {trainerName} must be L1, L2 or Cosine; got {Distance}.");
            if (!Enum.IsDefined(Weighting))
                throw new ArgumentOutOfRangeException(nameof(Weighting), Weighting, $"The '{nameof(Weighting)}' option of {trainerName} must be Uniform or Distance; got {Weighting}.");
            if (!Enum.IsDefined(TieBreaking))
                throw new ArgumentOutOfRangeException(nameof(TieBreaking), TieBreaking, $"The '{nameof(TieBreaking)}' option of {trainerName} must be NearestNeighbor or LowestLabel; got {TieBreaking}.");
        }
    }

    private readonly Options _options;

    internal KNearestNeighborsTrainer(IHostEnvironment environment, Options options)
        : base(environment, options, nameof(KNearestNeighborsTrainer), needsNormalization: false, supportsValidation: false)
    {
        _options = options;
    }

    private protected override KNearestNeighborsModelParameters TrainModel(LabeledDataset<float> train, LabeledDataset<float>? validation, TrainingChannel channel)
    {
        if (_options.NumberOfNeighbors > train.Count)
            throw new ArgumentOutOfRangeException(nameof(Options.NumberOfNeighbors), _options.NumberOfNeighbors,
                $"The '{nameof(Options.NumberOfNeighbors)}' option of {Name} ({_options.NumberOfNeighbors}) exceeds the number of usable training rows ({train.Count}); lower it or add data.");
        if (Scoring.SinglePrecisionRange.RowProblem(train.Features, train.FeatureCount) is string problem)
            throw new ArgumentOutOfRangeException(_options.FeatureColumnName,
                $"Feature column '{_options.FeatureColumnName}' of the training data: {problem} (counting usable rows only). " +
                "Scale the features, for example with NormalizeMinMax or by dividing pixels by 255.");
        var model = new KNearestNeighborsModelParameters(train.Features, train.Labels, train.FeatureCount, train.ClassCount,
            _options.NumberOfNeighbors, _options.Distance, _options.Weighting, _options.TieBreaking,
            LabelValueOrder.Of(train.LabelColumn, train.ClassCount));
        channel.Info(model.StorageDescription);
        return model;
    }
}
