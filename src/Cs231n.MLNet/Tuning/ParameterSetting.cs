using System.Collections;
using System.Globalization;

namespace Cs231n.MLNet.Tuning;

/// <summary>
/// One point of a hyper-parameter search: named values in a fixed order, e.g. <c>k=5, distance=L1</c>.
/// </summary>
/// <remarks>An estimator factory reads the values it needs with <see cref="Get{T}(string)"/>.</remarks>
public sealed class ParameterSetting : IReadOnlyDictionary<string, object>
{
    private readonly KeyValuePair<string, object>[] _entries;

    /// <summary>Creates a setting from name/value pairs, keeping their order.</summary>
    /// <param name="entries">The parameters; names must be unique and non-empty, values non-null.</param>
    /// <exception cref="ArgumentException">A name is empty or repeated, or a value is null.</exception>
    public ParameterSetting(IEnumerable<KeyValuePair<string, object>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = entries.ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in _entries)
        {
            if (string.IsNullOrWhiteSpace(name))
                throw new ArgumentException("A parameter name must not be empty.", nameof(entries));
            if (!seen.Add(name))
                throw new ArgumentException($"The parameter '{name}' appears more than once; give each parameter one entry.", nameof(entries));
            if (value is null)
                throw new ArgumentException($"The parameter '{name}' has a null value; give it a value.", nameof(entries));
        }
    }

    /// <summary>The parameter names, in order.</summary>
    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    /// <summary>The parameter values, in the order of <see cref="Keys"/>.</summary>
    public IEnumerable<object> Values => _entries.Select(e => e.Value);

    /// <summary>The number of parameters.</summary>
    public int Count => _entries.Length;

    /// <summary>The value of the parameter <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">No parameter has that name.</exception>
    public object this[string key] => TryGetValue(key, out var value) ? value : throw MissingParameter(key);

    /// <summary>Whether a parameter named <paramref name="key"/> exists.</summary>
    public bool ContainsKey(string key) => _entries.Any(e => e.Key == key);

    /// <summary>Looks up the parameter <paramref name="key"/>.</summary>
    public bool TryGetValue(string key, out object value)
    {
        foreach (var entry in _entries)
        {
            if (entry.Key == key)
            {
                value = entry.Value;
                return true;
            }
        }
        value = null!;
        return false;
    }

    /// <summary>
    /// Reads the parameter <paramref name="name"/> as <typeparamref name="T"/>; numeric values convert between
    /// numeric types (a grid of <c>1e-3</c> doubles can be read as <see cref="float"/>).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No parameter has that name.</exception>
    /// <exception cref="InvalidCastException">The value cannot be read as <typeparamref name="T"/>.</exception>
    public T Get<T>(string name)
    {
        if (!TryGetValue(name, out var value))
            throw MissingParameter(name);
        if (value is T typed)
            return typed;
        if (IsNumeric(value.GetType()) && IsNumeric(typeof(T)))
            return (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
        throw new InvalidCastException(
            $"The parameter '{name}' holds {value.GetType().Name} {Format(value)}, which cannot be read as {typeof(T).Name}; " +
            $"read it as {value.GetType().Name} or put {typeof(T).Name} values in the grid.");
    }

    /// <summary>The setting as <c>name=value</c> pairs, e.g. <c>k=5, distance=L1</c>.</summary>
    public override string ToString() => string.Join(", ", _entries.Select(e => $"{e.Key}={Format(e.Value)}"));

    /// <summary>Enumerates the name/value pairs in order.</summary>
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Formats a parameter value culture-independently, as it appears in reports.</summary>
    public static string Format(object value) => value switch
    {
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private KeyNotFoundException MissingParameter(string name) =>
        new($"The setting has no parameter '{name}'; it has: {string.Join(", ", Keys)}. Add '{name}' to the parameter grid.");

    private static bool IsNumeric(Type type) => !type.IsEnum && Type.GetTypeCode(type) is >= TypeCode.SByte and <= TypeCode.Decimal;
}
