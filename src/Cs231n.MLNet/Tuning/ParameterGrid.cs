namespace Cs231n.MLNet.Tuning;

/// <summary>
/// A grid of hyper-parameter values: every combination (cartesian product) of the values given per parameter,
/// or a reproducible random subset of them.
/// </summary>
/// <example>
/// <code>
/// var grid = new ParameterGrid()
///     .Add("k", 1, 3, 5, 8, 10)
///     .Add("distance", KnnDistance.L1, KnnDistance.L2);
/// // 10 settings: k=1, distance=L1; k=1, distance=L2; k=3, distance=L1; ...
/// </code>
/// </example>
public sealed class ParameterGrid
{
    private readonly List<(string Name, object[] Values)> _axes = [];

    /// <summary>The parameter names, in the order they were added.</summary>
    public IReadOnlyList<string> Names => _axes.Select(a => a.Name).ToArray();

    /// <summary>The number of settings in the grid: the product of the numbers of values (0 for an empty grid).</summary>
    /// <exception cref="InvalidOperationException">The product exceeds <see cref="int.MaxValue"/>.</exception>
    public int Count
    {
        get
        {
            if (_axes.Count == 0)
                return 0;
            long count = 1;
            foreach (var (name, values) in _axes)
            {
                count *= values.Length;
                if (count > int.MaxValue)
                    throw new InvalidOperationException(
                        $"The grid has more than {int.MaxValue} settings (at parameter '{name}'); use fewer values or random search.");
            }
            return (int)count;
        }
    }

    /// <summary>Adds a parameter and the values to try for it.</summary>
    /// <param name="name">The parameter name the estimator factory reads, unique within the grid.</param>
    /// <param name="values">At least one value; none may be null.</param>
    /// <returns>This grid, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is empty or already used, or no values (or a null value) were given.</exception>
    public ParameterGrid Add<T>(string name, params T[] values)
        where T : notnull
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A parameter name must not be empty.", nameof(name));
        if (_axes.Any(a => a.Name == name))
            throw new ArgumentException($"The grid already has a parameter '{name}'; give each parameter one Add call with all its values.", nameof(name));
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
            throw new ArgumentException($"The parameter '{name}' has no values; give it at least one.", nameof(values));
        if (values.Any(v => v is null))
            throw new ArgumentException($"The parameter '{name}' has a null value; remove it.", nameof(values));
        _axes.Add((name, values.Cast<object>().ToArray()));
        return this;
    }

    /// <summary>
    /// Every combination of values, the first-added parameter varying slowest (like nested loops in the order of
    /// the <see cref="Add{T}"/> calls).
    /// </summary>
    /// <exception cref="InvalidOperationException">The grid has no parameters.</exception>
    public IReadOnlyList<ParameterSetting> Settings()
    {
        var count = RequireNonEmpty();
        var settings = new ParameterSetting[count];
        for (var i = 0; i < count; i++)
            settings[i] = SettingAt(i);
        return settings;
    }

    /// <summary>
    /// A random search over the grid: <paramref name="count"/> distinct settings drawn without replacement,
    /// in the order drawn; the same seed always gives the same settings.
    /// </summary>
    /// <param name="count">How many settings to draw, from 1 to <see cref="Count"/>.</param>
    /// <param name="seed">The random seed.</param>
    /// <exception cref="InvalidOperationException">The grid has no parameters.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not between 1 and <see cref="Count"/>.</exception>
    public IReadOnlyList<ParameterSetting> Sample(int count, int seed)
    {
        var total = RequireNonEmpty();
        if (count < 1 || count > total)
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"The 'count' of sampled settings must be between 1 and the grid size {total}; got {count}.");
        var random = new Random(seed);
        // A partial Fisher–Yates shuffle over indices draws without replacement in O(count) random numbers.
        var chosen = new Dictionary<int, int>();
        var settings = new ParameterSetting[count];
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, total);
            var atJ = chosen.GetValueOrDefault(j, j);
            chosen[j] = chosen.GetValueOrDefault(i, i);
            settings[i] = SettingAt(atJ);
        }
        return settings;
    }

    private int RequireNonEmpty() =>
        _axes.Count == 0
            ? throw new InvalidOperationException("The parameter grid is empty: add at least one parameter with at least one value.")
            : Count;

    private ParameterSetting SettingAt(int index)
    {
        var entries = new KeyValuePair<string, object>[_axes.Count];
        for (var axis = _axes.Count - 1; axis >= 0; axis--)
        {
            var values = _axes[axis].Values;
            entries[axis] = new(_axes[axis].Name, values[index % values.Length]);
            index /= values.Length;
        }
        return new ParameterSetting(entries);
    }
}
