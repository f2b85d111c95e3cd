namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// The order in which the 8-bit search packs queries into panels: by their projection on the training rows' leading
/// principal direction. A panel then holds similar queries, so all of its queries tend to be far from the same
/// training rows and its tiles stop early together (<see cref="PartialSumChecks"/>). The order changes no answer:
/// each query's shortlist sees the training rows in the same order whatever panel it is in.
/// </summary>
internal static class QueryOrder
{
    /// <summary>The positions of <paramref name="count"/> encoded queries sorted by their projection on <paramref name="direction"/>.</summary>
    public static int[] Sort(byte[] encoded, int count, int stride, float[] direction)
    {
        var keys = new (float Key, int Query)[count];
        for (int q = 0; q < count; q++)
            keys[q] = (PrincipalDirections.Project(encoded.AsSpan(q * stride, direction.Length), direction), q);
        Array.Sort(keys);
        return keys.Select(k => k.Query).ToArray();
    }
}
