using Microsoft.ML;

namespace Cs231n.MLNet.Data.AppendedColumns;

/// <summary>The getters of the appended columns for one row source, sharing whatever work the columns have in common.</summary>
internal interface IOutputGetters
{
    /// <summary>The getter of the appended column <paramref name="column"/>.</summary>
    ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column);
}
