using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// A 64-byte aligned scratch buffer on the pinned heap, recycled through a small pool so that steady-state calls
/// of the packed kernels do not allocate. Dispose returns it to the pool.
/// </summary>
internal readonly unsafe struct PinnedBuffer : IDisposable
{
    private const int AlignmentFloats = 16;
    private const int PoolCapacity = 16;
    private static readonly ConcurrentBag<float[]> Pool = new();

    private readonly float[] _array;

    private PinnedBuffer(float[] array)
    {
        _array = array;
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        nint aligned = (address + 63) & ~(nint)63;
        Pointer = (float*)aligned;
    }

    /// <summary>The aligned start of the usable region.</summary>
    public float* Pointer { get; }

    /// <summary>A buffer of at least <paramref name="length"/> floats; contents are unspecified.</summary>
    public static PinnedBuffer Rent(long length)
    {
        long needed = length + AlignmentFloats;
        if (needed > Array.MaxLength)
            throw new OutOfMemoryException($"A scratch buffer of {length} floats is beyond the largest array.");
        // Take any pooled array; keep it if big enough, otherwise let the collector have it.
        if (Pool.TryTake(out float[]? array) && array.Length >= needed)
            return new PinnedBuffer(array);
        return new PinnedBuffer(GC.AllocateUninitializedArray<float>((int)Math.Max(needed, 4096), pinned: true));
    }

    public void Dispose()
    {
        if (_array is not null && Pool.Count < PoolCapacity)
            Pool.Add(_array);
    }
}
