namespace Cs231n.MLNet.Tuning;

/// <summary>
/// A space of hyper-parameters to sample at random, as CS231n recommends over grid search: continuous ranges
/// (uniform or log-uniform, e.g. a learning rate between 1e-7 and 1e-2) and discrete choices.
/// </summary>
/// <example>
/// <code>
/// var settings = new RandomSearchSpace()
///     .AddLogUniform("learningRate", 1e-4, 1e-1)
///     .AddLogUniform("l2", 1e-5, 1e-1)
///     .AddChoice("hiddenSize", 50, 100, 200)
///     .Sample(count: 20, seed: 1);
/// </code>
/// </example>
public sealed class RandomSearchSpace
{
    private readonly List<(string Name, Func<Random, object> Draw)> _parameters = [];

    /// <summary>The parameter names, in the order they were added.</summary>
    public IReadOnlyList<string> Names => _parameters.Select(p => p.Name).ToArray();

    /// <summary>Adds a parameter drawn uniformly from the given values.</summary>
    /// <exception cref="ArgumentException">The name is empty or already used, or no values (or a null value) were given.</exception>
    public RandomSearchSpace AddChoice<T>(string name, params T[] values)
        where T : notnull
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
            throw new ArgumentException($"The parameter '{name}' has no values; give it at least one.", nameof(values));
        if (values.Any(v => v is null))
            throw new ArgumentException($"The parameter '{name}' has a null value; remove it.", nameof(values));
        var copy = values.ToArray();
        _parameters.Add((name, random => copy[random.Next(copy.Length)]));
        return this;
    }

    /// <summary>Adds a <see cref="double"/> parameter drawn uniformly from [<paramref name="min"/>, <paramref name="max"/>).</summary>
    /// <exception cref="ArgumentException">The name is empty or used, or the range is empty or not finite.</exception>
    public RandomSearchSpace AddUniform(string name, double min, double max)
    {
        CheckName(name);
        CheckRange(name, min, max);
        _parameters.Add((name, random => min + (max - min) * random.NextDouble()));
        return this;
    }

    /// <summary>
    /// Adds a <see cref="double"/> parameter whose logarithm is uniform: equally many draws per decade between
    /// <paramref name="min"/> and <paramref name="max"/>, the usual choice for learning rates and regularisation.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or used, or the range is empty, not finite or not positive.</exception>
    public RandomSearchSpace AddLogUniform(string name, double min, double max)
    {
        CheckName(name);
        CheckRange(name, min, max);
        if (min <= 0)
            throw new ArgumentOutOfRangeException(nameof(min), min,
                $"The log-uniform range of '{name}' must be positive; got min {min}. Use AddUniform for ranges that include 0.");
        double logMin = Math.Log(min), logMax = Math.Log(max);
        _parameters.Add((name, random => Math.Exp(logMin + (logMax - logMin) * random.NextDouble())));
        return this;
    }

    /// <summary>Adds an <see cref="int"/> parameter drawn uniformly from <paramref name="min"/> to <paramref name="max"/> inclusive.</summary>
    /// <exception cref="ArgumentException">The name is empty or used, or <paramref name="max"/> is below <paramref name="min"/>.</exception>
    public RandomSearchSpace AddIntegerUniform(string name, int min, int max)
    {
        CheckName(name);
        if (max < min)
            throw new ArgumentOutOfRangeException(nameof(max), max,
                $"The range of '{name}' is empty: max {max} is below min {min}.");
        _parameters.Add((name, random => (int)random.NextInt64(min, (long)max + 1)));
        return this;
    }

    /// <summary>Draws <paramref name="count"/> settings; the same seed always gives the same settings.</summary>
    /// <exception cref="InvalidOperationException">No parameter was added.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1.</exception>
    public IReadOnlyList<ParameterSetting> Sample(int count, int seed)
    {
        if (_parameters.Count == 0)
            throw new InvalidOperationException("The random search space is empty: add at least one parameter.");
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The 'count' of sampled settings must be at least 1; got {count}.");
        var random = new Random(seed);
        var settings = new ParameterSetting[count];
        for (var i = 0; i < count; i++)
            settings[i] = new ParameterSetting(_parameters.Select(p => new KeyValuePair<string, object>(p.Name, p.Draw(random))).ToArray());
        return settings;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A parameter name must not be empty.", nameof(name));
        if (_parameters.Any(p => p.Name == name))
            throw new ArgumentException($"The search space already has a parameter '{name}'.", nameof(name));
    }

    private static void CheckRange(string name, double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentOutOfRangeException(nameof(min), $"The range of '{name}' must be finite; got [{min}, {max}).");
        if (!(max > min))
            throw new ArgumentOutOfRangeException(nameof(max), max, $"The range of '{name}' is empty: max {max} must exceed min {min}.");
    }
}
