using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Optimization;

/// <summary>
/// CS231n's Solver: minibatch training of a <see cref="NeuralNetwork{T}"/> with an <see cref="Optimizer{T}"/> until
/// it converges. Every epoch is a run of <see cref="Step"/>s, a check of the accuracy, and the bookkeeping that decides
/// what happens next: a plateau of the training loss cuts the learning rate and, once the cuts are used up, ends
/// training as converged; with validation data (given or held out) a plateau of validation accuracy ends it too, and the
/// weights of the best validation epoch are kept. The <see cref="TrainingHistory"/> records all of it.
/// </summary>
/// <remarks>
/// Deterministic: the same network initialisation, data, options and seed give bit-identical weights. After the first
/// minibatch nothing is allocated per batch. A non-finite loss stops training with <see cref="TrainingDivergedException"/>.
/// </remarks>
/// <typeparam name="T">The number type.</typeparam>
public sealed class Solver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows per forward pass when measuring accuracy or loss.</summary>
    private const int EvaluationBatchSize = 1024;

    private readonly NeuralNetwork<T> _network;
    private readonly Optimizer<T> _optimizer;
    private readonly SolverOptions _options;
    private T[] _batchFeatures = [];
    private int[] _batchLabels = [];

    /// <summary>Prepares to train <paramref name="network"/> (already initialised) with <paramref name="optimizer"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid; the message names it.</exception>
    public Solver(NeuralNetwork<T> network, Optimizer<T> optimizer, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _network = network;
        _optimizer = optimizer;
        _options = options;
    }

    /// <summary>
    /// Trains on <paramref name="training"/>. Validation uses <paramref name="validation"/> when given, otherwise a
    /// held-out <see cref="SolverOptions.ValidationFraction"/> of the training rows, otherwise none.
    /// </summary>
    /// <returns>The history; the network holds the final (best-validation or averaged) weights.</returns>
    /// <exception cref="ArgumentException">The data does not fit the network (feature count, label range) or is empty.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public TrainingHistory Train(LabeledDataset<T> training, LabeledDataset<T>? validation = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        CheckFits(training, nameof(training));
        if (validation is not null)
            CheckFits(validation, nameof(validation));
        var run = new Run(this, training, validation);
        var clock = Stopwatch.StartNew();
        for (int epoch = 1; epoch <= _options.NumberOfEpochs; epoch++)
        {
            double scheduled = _options.LearningRateSchedule.LearningRate(_options.LearningRate, epoch - 1) * run.RateFactor;
            var (loss, rate) = RunEpoch(run, scheduled, epoch);
            double trainAccuracy = Accuracy(training, run.AccuracyRows);
            double? validationAccuracy = run.ValidationData is null ? null : Accuracy(run.ValidationData, run.ValidationRows!);
            run.Record(epoch, loss, rate, trainAccuracy, validationAccuracy);
            _options.EpochCompleted?.Invoke(new TrainingProgress(epoch, _options.NumberOfEpochs, loss, trainAccuracy,
                validationAccuracy, rate, clock.Elapsed));
            if (run.DecideAfterEpoch(epoch) is { } reason)
            {
                run.StopReason = reason;
                break;
            }
        }
        bool keptAverage = run.Finish();
        FinalWeightsCheck = run.FinalWeightsCheck(keptAverage);
        // A finite last loss does not rule out an overflow in the very last update.
        foreach (var parameter in _network.Parameters)
        {
            if (!TensorPrimitives.IsFiniteAll<T>(parameter.Value))
                throw new TrainingDivergedException(run.TrainAccuracies.Count, run.Losses.Count, double.NaN, _options.LearningRate);
        }
        return new TrainingHistory(run.Losses, run.TrainAccuracies, run.ValidationAccuracies, run.BestEpoch,
            run.StopReason, keptAverage, run.LearningRates, run.EpochLosses);
    }

    /// <summary>
    /// After <see cref="Train"/>: the training rows on which the final weights were last checked and their accuracy
    /// there, or null when the final weights are an average that no epoch checked. Lets the caller's own check of the
    /// final model reuse that pass instead of running another one.
    /// </summary>
    internal (int[] Rows, double Accuracy)? FinalWeightsCheck { get; private set; }

    /// <summary>
    /// One pass over the shuffled training rows; returns the mean minibatch objective and the mean learning rate of its
    /// updates (the epoch's rate, lowered by the annealing where it has begun).
    /// </summary>
    private (double Loss, double Rate) RunEpoch(Run run, double learningRate, int epoch)
    {
        var rows = run.TrainRows;
        if (_options.Shuffle)
            run.Random.Shuffle(rows);
        double total = 0, rates = 0;
        int batches = 0;
        for (int start = 0; start < rows.Length; start += run.BatchSize)
        {
            _options.CheckCancellation?.Invoke();
            int count = Math.Min(run.BatchSize, rows.Length - start);
            double rate = learningRate * run.AnnealingFactor();
            double loss = Step(run, rows.AsSpan(start, count), T.CreateChecked(rate));
            if (!double.IsFinite(loss))
                throw new TrainingDivergedException(epoch, run.Losses.Count, loss, rate);
            total += loss;
            rates += rate;
            batches++;
        }
        return (total / batches, rates / batches);
    }

    /// <summary>One minibatch: forward, backward, one optimiser update of every parameter (and of the average).</summary>
    private double Step(Run run, ReadOnlySpan<int> rows, T learningRate)
    {
        var batch = Gather(run.Training, rows);
        double loss = double.CreateChecked(_network.ComputeLossAndGradients(batch, _batchLabels.AsSpan(0, rows.Length)));
        run.Losses.Add(loss);
        if (!double.IsFinite(loss))
            return loss;
        var parameters = _network.Parameters;
        for (int p = 0; p < parameters.Count; p++)
            _optimizer.Update(parameters[p].Value, parameters[p].Gradient, run.States[p], learningRate);
        run.Averager?.Accumulate();
        return loss;
    }

    /// <summary>Fraction of <paramref name="rows"/> of <paramref name="data"/> whose highest score is the true class.</summary>
    public double Accuracy(LabeledDataset<T> data, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (rows.Length == 0)
            return double.NaN;
        int correct = 0;
        for (int start = 0; start < rows.Length; start += EvaluationBatchSize)
        {
            int count = Math.Min(EvaluationBatchSize, rows.Length - start);
            var scores = _network.Scores(Gather(data, rows.Slice(start, count)), training: false);
            for (int i = 0; i < count; i++)
            {
                if (PredictedClass.Of<T>(scores.Row(i)) == _batchLabels[i])
                    correct++;
            }
        }
        return (double)correct / rows.Length;
    }

    /// <summary>The objective (mean data loss + L2 term) of the current weights on <paramref name="rows"/>, in inference mode.</summary>
    public double Loss(LabeledDataset<T> data, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (rows.Length == 0)
            return double.NaN;
        // ComputeLoss adds the L2 term to every batch's mean; take it out and count it once.
        double regularization = double.CreateChecked(_network.RegularizationLoss());
        double total = 0;
        for (int start = 0; start < rows.Length; start += EvaluationBatchSize)
        {
            int count = Math.Min(EvaluationBatchSize, rows.Length - start);
            var batch = Gather(data, rows.Slice(start, count));
            total += count * (double.CreateChecked(_network.ComputeLoss(batch, _batchLabels.AsSpan(0, count))) - regularization);
        }
        return total / rows.Length + regularization;
    }

    private Matrix<T> Gather(LabeledDataset<T> data, ReadOnlySpan<int> rows)
    {
        int d = data.FeatureCount;
        var batch = Matrix<T>.Reuse(ref _batchFeatures, rows.Length, d);
        if (_batchLabels.Length < rows.Length)
            _batchLabels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            data.Row(rows[i]).CopyTo(batch.Row(i));
            _batchLabels[i] = data.Labels[rows[i]];
        }
        return batch;
    }

    private void CheckFits(LabeledDataset<T> data, string name)
    {
        if (data.FeatureCount != _network.InputSize)
            throw new ArgumentException($"The {name} data has {data.FeatureCount} features but the network expects {_network.InputSize}.", name);
        if (data.Count == 0)
            throw new ArgumentException($"The {name} data has no rows.", name);
        int classes = _network.ClassCount;
        for (int i = 0; i < data.Labels.Length; i++)
        {
            if (data.Labels[i] >= classes)
                throw new ArgumentException($"Label {data.Labels[i]} of {name} row {i} is outside [0, {classes}): the network has {classes} classes.", name);
        }
    }

    /// <summary>The state of one call of <see cref="Train"/>: the row split, the optimiser state and the end-of-epoch bookkeeping.</summary>
    private sealed class Run
    {
        private readonly Solver<T> _solver;
        private readonly SolverOptions _options;
        private readonly PlateauMonitor _lossMonitor;
        private readonly PlateauMonitor? _validationMonitor;
        private readonly T[][]? _bestWeights;
        private readonly long _allowedUpdates;
        private int _reductions;

        public Run(Solver<T> solver, LabeledDataset<T> training, LabeledDataset<T>? validation)
        {
            _solver = solver;
            _options = solver._options;
            Training = training;
            Random = new SeededRandom(_options.Seed);
            TrainRows = Enumerable.Range(0, training.Count).ToArray();
            ValidationData = validation;
            ValidationRows = validation is null ? null : Enumerable.Range(0, validation.Count).ToArray();
            if (validation is null && _options.ValidationFraction > 0)
                HoldOut(training);
            if (TrainRows.Length == 0)
                throw new ArgumentException("The training data has no rows.", nameof(training));
            AccuracyRows = Subsample(TrainRows, _options.TrainAccuracySampleSize);
            BatchSize = Math.Min(_options.BatchSize, TrainRows.Length);
            _allowedUpdates = (long)_options.NumberOfEpochs * ((TrainRows.Length + BatchSize - 1) / BatchSize);

            var network = solver._network;
            network.L2Regularization = _options.L2Regularization;
            States = network.Parameters.Select(p => solver._optimizer.CreateState(p.Value.Length)).ToArray();
            _lossMonitor = new PlateauMonitor(_options.ConvergenceTolerance, _options.EarlyStoppingPatience, higherIsBetter: false);
            if (ValidationData is not null)
            {
                _validationMonitor = new PlateauMonitor(_options.ConvergenceTolerance, _options.EarlyStoppingPatience, higherIsBetter: true);
                if (_options.RestoreBestWeights)
                    _bestWeights = network.Parameters.Select(p => (T[])p.Value.Clone()).ToArray();
            }
            Averager = _options.AverageWeights ? new WeightAverager<T>(network.Parameters) : null;
        }

        public LabeledDataset<T> Training { get; }
        public SeededRandom Random { get; }
        public int[] TrainRows { get; private set; }
        public int[] AccuracyRows { get; }
        public LabeledDataset<T>? ValidationData { get; private set; }
        public int[]? ValidationRows { get; private set; }
        public int BatchSize { get; }
        public OptimizerState<T>[] States { get; }
        public WeightAverager<T>? Averager { get; }
        public double RateFactor { get; private set; } = 1.0;
        public TrainingStopReason StopReason { get; set; } = TrainingStopReason.MaximumEpochs;
        public List<double> Losses { get; } = [];
        public List<double> EpochLosses { get; } = [];
        public List<double> LearningRates { get; } = [];
        public List<double> TrainAccuracies { get; } = [];
        public List<double> ValidationAccuracies { get; } = [];
        public int BestEpoch => _validationMonitor?.BestEpoch ?? 0;

        /// <summary>
        /// The factor of the annealing at the current update: 1 until the last <see cref="SolverOptions.AnnealingFraction"/>
        /// of the allowed updates, then a half cosine down to 0.
        /// </summary>
        public double AnnealingFactor()
        {
            double fraction = _options.AnnealingFraction;
            if (fraction == 0)
                return 1;
            double start = 1 - fraction;
            double progress = (double)Losses.Count / _allowedUpdates;
            return progress <= start ? 1 : 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, (progress - start) / fraction)));
        }

        public void Record(int epoch, double loss, double rate, double trainAccuracy, double? validationAccuracy)
        {
            EpochLosses.Add(loss);
            LearningRates.Add(rate);
            TrainAccuracies.Add(trainAccuracy);
            _lossMonitor.Observe(loss, epoch);
            if (validationAccuracy is double accuracy)
            {
                ValidationAccuracies.Add(accuracy);
                if (_validationMonitor!.Observe(accuracy, epoch) && _bestWeights is not null)
                {
                    var parameters = _solver._network.Parameters;
                    for (int p = 0; p < parameters.Count; p++)
                        parameters[p].Value.CopyTo(_bestWeights[p], 0);
                }
            }
        }

        /// <summary>After an epoch: null to go on, or why to stop. A training-loss plateau first cuts the rate.</summary>
        public TrainingStopReason? DecideAfterEpoch(int epoch)
        {
            if (_validationMonitor is { OnPlateau: true })
                return TrainingStopReason.ValidationStoppedImproving;
            if (!_lossMonitor.OnPlateau)
                return null;
            if (_reductions >= _options.LearningRateReductions)
                return TrainingStopReason.Converged;
            _reductions++;
            RateFactor *= _options.LearningRateReductionFactor;
            _lossMonitor.Restart();
            Averager?.Restart();
            return null;
        }

        /// <summary>Puts the final weights in place; returns whether they are the average.</summary>
        public bool Finish()
        {
            if (Averager is { HasAverage: true })
            {
                bool keep;
                if (ValidationData is not null)
                {
                    Averager.SwapIn();
                    keep = _solver.Accuracy(ValidationData, ValidationRows!) >= _validationMonitor!.Best;
                }
                else
                {
                    double last = _solver.Loss(Training, AccuracyRows);
                    Averager.SwapIn();
                    keep = _solver.Loss(Training, AccuracyRows) <= last;
                }
                if (keep)
                    return true;
                Averager.Restore();
            }
            if (_bestWeights is not null)
            {
                var parameters = _solver._network.Parameters;
                for (int p = 0; p < parameters.Count; p++)
                    _bestWeights[p].CopyTo(parameters[p].Value, 0);
            }
            return false;
        }

        /// <summary>
        /// The accuracy check that already saw the final weights: the best validation epoch's when its weights were
        /// restored, else the last epoch's; none when the kept weights are the average.
        /// </summary>
        public (int[] Rows, double Accuracy)? FinalWeightsCheck(bool keptAverage)
        {
            int epoch = _bestWeights is null ? TrainAccuracies.Count : BestEpoch;
            if (keptAverage || epoch < 1)
                return null;
            return (AccuracyRows, TrainAccuracies[epoch - 1]);
        }

        private void HoldOut(LabeledDataset<T> training)
        {
            int heldOut = (int)Math.Round(_options.ValidationFraction * training.Count);
            if (heldOut < 1 || heldOut >= training.Count)
                throw new ArgumentException($"A validation fraction of {_options.ValidationFraction} of {training.Count} rows leaves {heldOut} validation and {training.Count - heldOut} training rows; both need at least one. Use more data or another fraction.", nameof(training));
            Random.Shuffle(TrainRows);
            ValidationRows = TrainRows[..heldOut];
            TrainRows = TrainRows[heldOut..];
            Array.Sort(ValidationRows);
            Array.Sort(TrainRows);
            ValidationData = training;
        }

        /// <summary>A fixed random subset of <paramref name="rows"/>, sorted so that gathering it reads memory in order.</summary>
        private int[] Subsample(int[] rows, int size)
        {
            int[] sample = Random.Sample(rows, size);
            if (!ReferenceEquals(sample, rows))
                Array.Sort(sample);
            return sample;
        }
    }
}
