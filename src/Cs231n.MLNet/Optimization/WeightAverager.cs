using System.Numerics;
using System.Numerics.Tensors;
using Cs231n.MLNet.NeuralNetworks;

namespace Cs231n.MLNet.Optimization;

/// <summary>
/// Polynomial-decay averaging of the weights (Shamir and Zhang, 2013): after update t of the current phase,
/// avg ← avg + (w − avg)·(η + 1)/(t + η) with η = 3. Unlike a plain running mean it forgets the early, far-from-optimal
/// iterates, so it can run from the start of a phase without knowing when training will end; a phase starts again
/// whenever the learning rate changes.
/// </summary>
internal sealed class WeightAverager<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double Decay = 3;

    private readonly IReadOnlyList<LayerParameter<T>> _parameters;
    private readonly T[][] _average;
    private readonly T[][] _saved;
    private T[] _difference = [];
    private long _steps;

    public WeightAverager(IReadOnlyList<LayerParameter<T>> parameters)
    {
        _parameters = parameters;
        _average = parameters.Select(p => new T[p.Value.Length]).ToArray();
        _saved = parameters.Select(p => new T[p.Value.Length]).ToArray();
    }

    /// <summary>Forgets the average; the next <see cref="Accumulate"/> starts a new one.</summary>
    public void Restart() => _steps = 0;

    /// <summary>Folds the current weights into the average.</summary>
    public void Accumulate()
    {
        _steps++;
        T weight = T.CreateChecked((Decay + 1) / (_steps + Decay));
        for (int p = 0; p < _parameters.Count; p++)
        {
            Span<T> average = _average[p];
            ReadOnlySpan<T> value = _parameters[p].Value;
            if (_steps == 1)
            {
                value.CopyTo(average);
                continue;
            }
            if (_difference.Length < average.Length)
                _difference = new T[average.Length];
            Span<T> difference = _difference.AsSpan(0, average.Length);
            TensorPrimitives.Subtract(value, average, difference);
            TensorPrimitives.MultiplyAdd(difference, weight, average, average);
        }
    }

    /// <summary>Whether there is an average to swap in.</summary>
    public bool HasAverage => _steps > 1;

    /// <summary>Puts the average into the network, keeping the current weights to <see cref="Restore"/>.</summary>
    public void SwapIn()
    {
        for (int p = 0; p < _parameters.Count; p++)
        {
            _parameters[p].Value.CopyTo(_saved[p], 0);
            _average[p].CopyTo(_parameters[p].Value, 0);
        }
    }

    /// <summary>Puts back the weights that <see cref="SwapIn"/> replaced.</summary>
    public void Restore()
    {
        for (int p = 0; p < _parameters.Count; p++)
            _saved[p].CopyTo(_parameters[p].Value, 0);
    }
}
