namespace Cs231n.MLNet.Numerics;

/// <summary>
/// Work buffers that grow to the largest size asked for and are then reused, so a training or scoring loop allocates
/// on its first (largest) call and never again.
/// </summary>
internal static class ReusableBuffer
{
    /// <summary>
    /// Replaces <paramref name="buffer"/> with a new, zeroed array when it is shorter than <paramref name="length"/>;
    /// otherwise keeps it, contents and all.
    /// </summary>
    public static void EnsureLength<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
            buffer = new T[length];
    }
}
