using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// Orders the classes of a key-typed label column by their label values (the key's <c>KeyValues</c> annotation), not
/// by key index: <c>MapValueToKey</c> numbers classes by first occurrence unless asked otherwise, so the key index
/// says only where a class first appeared in the training file.
/// </summary>
internal static class LabelValueOrder
{
    private const string KeyValues = "KeyValues";

    private static readonly MethodInfo OrderByValuesMethod =
        typeof(LabelValueOrder).GetMethod(nameof(OrderByValues), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>
    /// The class indices (key − 1) sorted by ascending label value. Without key values, or with values that cannot be
    /// ordered, the key order itself.
    /// </summary>
    public static int[] Of(DataViewSchema.Column? labelColumn, int classCount)
    {
        var annotation = labelColumn?.Annotations.Schema.GetColumnOrNull(KeyValues);
        if (annotation?.Type is VectorDataViewType { Size: var size } vector && size == classCount)
        {
            var order = (int[]?)OrderByValuesMethod.MakeGenericMethod(vector.ItemType.RawType)
                .Invoke(null, new object[] { labelColumn!.Value.Annotations, annotation.Value.Name, classCount });
            if (order != null)
                return order;
        }
        return Enumerable.Range(0, classCount).ToArray();
    }

    private static int[]? OrderByValues<T>(DataViewSchema.Annotations annotations, string name, int classCount)
    {
        VBuffer<T> values = default;
        annotations.GetValue(name, ref values);
        var dense = values.DenseValues().ToArray();
        Comparison<T>? compare = typeof(T) == typeof(ReadOnlyMemory<char>)
            ? (a, b) => ((ReadOnlyMemory<char>)(object)a!).Span.SequenceCompareTo(((ReadOnlyMemory<char>)(object)b!).Span)
            : typeof(IComparable<T>).IsAssignableFrom(typeof(T)) ? Comparer<T>.Default.Compare : null;
        if (compare == null || dense.Length != classCount)
            return null;
        var order = Enumerable.Range(0, classCount).ToArray();
        // Stable on equal values (which MapValueToKey never produces): the smaller key first.
        Array.Sort(order, (i, j) => compare(dense[i], dense[j]) is var c && c != 0 ? c : i.CompareTo(j));
        return order;
    }
}
