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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PinnedBuffer Rent(long length)
    {
        long needed = length + AlignmentFloats;
        if (needed > Array.MaxLength)
            throw new OutOfMemoryException($"A scratch buffer of {length} floats is beyond the largest array.");
        // Look at a few pooled arrays for one big enough; the smaller ones go back for smaller requests.
        Span<float[]?> tooSmall = [null, null, null];
        int rejected = 0;
        float[]? found = null;
        while (rejected < tooSmall.Length && Pool.TryTake(out float[]? array))
        {
            if (array.Length >= needed)
            {
                found = array;
                break;
            }
            tooSmall[rejected++] = array;
        }
        for (int i = 0; i < rejected; i++)
            Pool.Add(tooSmall[i]!);
        return new PinnedBuffer(found ?? GC.AllocateUninitializedArray<float>((int)Math.Max(needed, 4096), pinned: true));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Dispose()
    {
        if (_array is null)
            return;
        // A full pool keeps the larger of this array and one pooled array, so big buffers are not crowded out.
        if (Pool.Count >= PoolCapacity && Pool.TryTake(out float[]? other) && other.Length > _array.Length)
        {
            Pool.Add(other);
            return;
        }
        Pool.Add(_array);
    }
}
