using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Optimization;

/// <summary>
/// CS231n's Solver: minibatch training of a <see cref="NeuralNetwork{T}"/> with an <see cref="Optimizer{T}"/>, per-epoch
/// learning-rate schedule, L2 weight decay, validation (given or held out), early stopping that keeps the
/// best-validation weights, and a recorded <see cref="TrainingHistory"/>.
/// </summary>
/// <remarks>
/// Deterministic: the same network initialisation, data, options and seed give bit-identical weights. After the first
/// minibatch nothing is allocated per batch. A non-finite loss stops training with <see cref="TrainingDivergedException"/>.
/// </remarks>
/// <typeparam name="T">The number type.</typeparam>
public sealed class Solver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows per forward pass when measuring accuracy.</summary>
    private const int EvaluationBatchSize = 1024;

    private readonly NeuralNetwork<T> _network;
    private readonly Optimizer<T> _optimizer;
    private readonly SolverOptions _options;
    private T[] _batchFeatures = [];
    private T[] _averageScratch = [];
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
    /// <returns>The history; the network holds the final (or best-validation) weights.</returns>
    /// <exception cref="ArgumentException">The data does not fit the network (feature count, label range) or is empty.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    public TrainingHistory Train(LabeledDataset<T> training, LabeledDataset<T>? validation = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        CheckFits(training, nameof(training));
        if (validation is not null)
            CheckFits(validation, nameof(validation));

        var options = _options;
        var random = new SeededRandom(options.Seed);
        int[] trainRows = Enumerable.Range(0, training.Count).ToArray();
        LabeledDataset<T>? validationData = validation;
        int[]? validationRows = validation is null ? null : Enumerable.Range(0, validation.Count).ToArray();
        if (validation is null && options.ValidationFraction > 0)
        {
            int heldOut = (int)Math.Round(options.ValidationFraction * training.Count);
            if (heldOut < 1 || heldOut >= training.Count)
                throw new ArgumentException($"A validation fraction of {options.ValidationFraction} of {training.Count} rows leaves {heldOut} validation and {training.Count - heldOut} training rows; both need at least one. Use more data or another fraction.", nameof(training));
            random.Shuffle(trainRows);
            validationRows = trainRows[..heldOut];
            trainRows = trainRows[heldOut..];
            Array.Sort(validationRows);
            Array.Sort(trainRows);
            validationData = training;
        }
        if (trainRows.Length == 0)
            throw new ArgumentException("The training data has no rows.", nameof(training));

        int[] accuracyRows = trainRows;
        if (trainRows.Length > options.TrainAccuracySampleSize)
        {
            accuracyRows = (int[])trainRows.Clone();
            random.Shuffle(accuracyRows);
            accuracyRows = accuracyRows[..options.TrainAccuracySampleSize];
            Array.Sort(accuracyRows);
        }

        _network.L2Regularization = options.L2Regularization;
        var parameters = _network.Parameters;
        var states = parameters.Select(p => _optimizer.CreateState(p.Value.Length)).ToArray();
        T[][]? best = validationData is not null && options.RestoreBestWeights
            ? parameters.Select(p => (T[])p.Value.Clone()).ToArray()
            : null;

        int averagingStart = Math.Max(0, options.NumberOfEpochs - options.AveragedEpochs);
        T[][]? average = options.AveragedEpochs > 0 ? parameters.Select(p => new T[p.Value.Length]).ToArray() : null;
        long averagedSteps = 0;
        int batchSize = Math.Min(options.BatchSize, trainRows.Length);
        int batchesPerEpoch = (trainRows.Length + batchSize - 1) / batchSize;
        var losses = new List<double>(checked(batchesPerEpoch * options.NumberOfEpochs));
        var trainAccuracies = new List<double>(options.NumberOfEpochs);
        var validationAccuracies = new List<double>(options.NumberOfEpochs);
        double bestAccuracy = double.NegativeInfinity;
        int bestEpoch = 0;
        bool stoppedEarly = false;
        var clock = Stopwatch.StartNew();

        for (int epoch = 0; epoch < options.NumberOfEpochs; epoch++)
        {
            double rate = options.LearningRateSchedule.LearningRate(options.LearningRate, epoch);
            T learningRate = T.CreateChecked(rate);
            if (options.Shuffle)
                random.Shuffle(trainRows);
            double epochLoss = 0;
            for (int start = 0; start < trainRows.Length; start += batchSize)
            {
                options.CheckCancellation?.Invoke();
                int count = Math.Min(batchSize, trainRows.Length - start);
                var batch = Gather(training, trainRows.AsSpan(start, count));
                double loss = double.CreateChecked(_network.ComputeLossAndGradients(batch, _batchLabels.AsSpan(0, count)));
                if (!double.IsFinite(loss))
                    throw new TrainingDivergedException(epoch + 1, losses.Count + 1, loss, rate);
                losses.Add(loss);
                epochLoss += loss;
                for (int p = 0; p < parameters.Count; p++)
                    _optimizer.Update(parameters[p].Value, parameters[p].Gradient, states[p], learningRate);
                if (average is not null && epoch >= averagingStart)
                {
                    // Running mean: avg += (w − avg) / t.
                    T weight = T.One / T.CreateChecked(++averagedSteps);
                    for (int p = 0; p < parameters.Count; p++)
                    {
                        Span<T> avg = average[p];
                        Span<T> difference = AverageScratch(avg.Length);
                        TensorPrimitives.Subtract(parameters[p].Value, avg, difference);
                        TensorPrimitives.MultiplyAdd(difference, weight, avg, avg);
                    }
                }
            }

            double trainAccuracy = Accuracy(training, accuracyRows);
            trainAccuracies.Add(trainAccuracy);
            double? validationAccuracy = null;
            if (validationData is not null)
            {
                double accuracy = Accuracy(validationData, validationRows!);
                validationAccuracies.Add(accuracy);
                validationAccuracy = accuracy;
                if (accuracy > bestAccuracy)
                {
                    bestAccuracy = accuracy;
                    bestEpoch = epoch + 1;
                    if (best is not null)
                    {
                        for (int p = 0; p < parameters.Count; p++)
                            parameters[p].Value.CopyTo(best[p], 0);
                    }
                }
            }
            options.EpochCompleted?.Invoke(new TrainingProgress(epoch + 1, options.NumberOfEpochs,
                epochLoss / batchesPerEpoch, trainAccuracy, validationAccuracy, rate, clock.Elapsed));
            if (validationData is not null && options.EarlyStoppingPatience > 0
                && epoch + 1 - bestEpoch >= options.EarlyStoppingPatience && epoch + 1 < options.NumberOfEpochs)
            {
                stoppedEarly = true;
                break;
            }
        }

        bool keepAverage = false;
        if (average is not null && !stoppedEarly)
        {
            // Swap the mean in; with validation data keep it only if it validates at least as well as the best epoch.
            var last = parameters.Select(p => (T[])p.Value.Clone()).ToArray();
            for (int p = 0; p < parameters.Count; p++)
                average[p].CopyTo(parameters[p].Value, 0);
            keepAverage = validationData is null || Accuracy(validationData, validationRows!) >= bestAccuracy;
            if (!keepAverage)
            {
                for (int p = 0; p < parameters.Count; p++)
                    last[p].CopyTo(parameters[p].Value, 0);
            }
        }
        if (best is not null && !keepAverage)
        {
            for (int p = 0; p < parameters.Count; p++)
                best[p].CopyTo(parameters[p].Value, 0);
        }
        // A finite last loss does not rule out an overflow in the very last update.
        foreach (var parameter in parameters)
        {
            if (!TensorPrimitives.IsFiniteAll<T>(parameter.Value))
                throw new TrainingDivergedException(trainAccuracies.Count, losses.Count, double.NaN, options.LearningRate);
        }
        return new TrainingHistory(losses, trainAccuracies, validationAccuracies, bestEpoch, stoppedEarly);
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
                if (DenseMath.ArgMax<T>(scores.Row(i)) == _batchLabels[i])
                    correct++;
            }
        }
        return (double)correct / rows.Length;
    }


    private Span<T> AverageScratch(int length)
    {
        if (_averageScratch.Length < length)
            _averageScratch = new T[length];
        return _averageScratch.AsSpan(0, length);
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
}
