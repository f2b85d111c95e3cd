using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// A fixed right-hand operand op(B) (k×n), packed once into the micro-kernel's slivers, for products that reuse it
/// many times: a model's weights at prediction. <c>MultiplyAdd</c> then streams A through the kernel without
/// packing B again, at any number of rows — one row as cheaply as a block.
/// </summary>
/// <remarks>
/// Each element of C is the same chain of fused multiply-adds whatever the row count: per depth block (a cut that
/// depends on k only) a sequential sum over p, then one <c>C + Σ</c> rounding. A row scored alone and the same row
/// scored in a block of any size therefore get bit-identical results.
/// </remarks>
internal sealed unsafe class PrepackedMatrix
{
    private const int AlignmentFloats = 16;

    private readonly float[] _storage;
    private readonly int _offset;

    /// <summary>Packs op(B), where B is stored row-major with leading dimension <paramref name="ldb"/>.</summary>
    public PrepackedMatrix(bool transposed, ReadOnlySpan<float> b, int ldb, int k, int n, SimdInstructionSet instructionSet)
    {
        if (k < 1 || n < 1)
            throw new ArgumentOutOfRangeException(nameof(k), $"A packed operand needs k ≥ 1 and n ≥ 1; got {k}×{n}.");
        K = k;
        N = n;
        Kernel = instructionSet == SimdInstructionSet.Auto ? NumericsSettings.InstructionSet : instructionSet;
        BlockSizes sizes = BlockSizes.For(Kernel);
        (Rows, Columns) = (sizes.TileRows, sizes.TileColumns);
        DepthBlock = sizes.DepthBlockFor(k);
        Slivers = (n + Columns - 1) / Columns;
        long length = (long)Slivers * Columns * k;
        _storage = GC.AllocateUninitializedArray<float>(checked((int)(length + AlignmentFloats)), pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
        _offset = (int)((((address + 63) & ~(nint)63) - address) / sizeof(float));
        fixed (float* pb = b)
        {
            float* destination = Start;
            for (int p0 = 0; p0 < k; p0 += DepthBlock)
            {
                int kc = Math.Min(DepthBlock, k - p0);
                for (int t = 0; t < Slivers; t++, destination += (nint)kc * Columns)
                    GemmPacking.PackB(transposed, pb, ldb, p0, kc, t * Columns, Math.Min(Columns, n - t * Columns), Columns, destination);
            }
        }
    }

    /// <summary>Rows of op(B).</summary>
    public int K { get; }

    /// <summary>Columns of op(B).</summary>
    public int N { get; }

    /// <summary>The micro-kernel the slivers are laid out for.</summary>
    public SimdInstructionSet Kernel { get; }

    /// <summary>Rows of the kernel's register tile: the granularity at which A is packed.</summary>
    public int Rows { get; }

    private int Columns { get; }

    private int DepthBlock { get; }

    private int Slivers { get; }

    /// <summary>Floats of scratch <c>MultiplyAdd</c> needs for one packed A sliver.</summary>
    public int ScratchLength => Rows * DepthBlock;

    // The storage array is pinned, so its address is stable.
    private float* Start => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage)) + _offset;

    /// <summary><c>C += A·op(B)</c> for <paramref name="m"/> rows of A, with checked bounds and its own scratch.</summary>
    public void MultiplyAdd(int m, ReadOnlySpan<float> a, int lda, Span<float> c, int ldc)
    {
        if (m < 0 || lda < K || ldc < N || (m > 0 && (a.Length < (long)(m - 1) * lda + K || c.Length < (long)(m - 1) * ldc + N)))
            throw new ArgumentException($"{m} rows of A (leading dimension {lda}, {a.Length} values) and C (leading dimension {ldc}, {c.Length} values) do not fit a product with {K}×{N} op(B).");
        using PinnedBuffer scratch = PinnedBuffer.Rent(ScratchLength);
        fixed (float* pa = a, pc = c)
            MultiplyAdd(m, pa, lda, pc, ldc, scratch.Pointer);
    }

    /// <summary>
    /// <c>C += A·op(B)</c> for <paramref name="m"/> rows of A (m×k, leading dimension <paramref name="lda"/>), on
    /// the calling thread. <paramref name="scratch"/> holds at least <see cref="ScratchLength"/> floats.
    /// </summary>
    public void MultiplyAdd(int m, float* a, nint lda, float* c, nint ldc, float* scratch)
    {
        switch (Kernel)
        {
            case SimdInstructionSet.Vector512:
                MultiplyAdd<Vector512GemmMicroKernel>(m, a, lda, c, ldc, scratch);
                break;
            case SimdInstructionSet.Vector256:
                MultiplyAdd<Vector256GemmMicroKernel>(m, a, lda, c, ldc, scratch);
                break;
            default:
                MultiplyAdd<ScalarGemmMicroKernel>(m, a, lda, c, ldc, scratch);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MultiplyAdd<TKernel>(int m, float* a, nint lda, float* c, nint ldc, float* scratch)
        where TKernel : IGemmMicroKernel
    {
        int mr = TKernel.Rows, nr = TKernel.Columns;
        float* tile = stackalloc float[mr * nr];
        float* packed = Start;
        for (int p0 = 0; p0 < K; p0 += DepthBlock)
        {
            int kc = Math.Min(DepthBlock, K - p0);
            for (int i = 0; i < m; i += mr)
            {
                int rows = Math.Min(mr, m - i);
                GemmPacking.PackA(false, a, lda, i, rows, p0, kc, mr, scratch);
                float* pb = packed;
                for (int t = 0; t < Slivers; t++, pb += (nint)kc * nr)
                {
                    int j = t * nr, cols = Math.Min(nr, N - j);
                    float* ct = c + i * ldc + j;
                    if (rows == mr && cols == nr)
                    {
                        TKernel.Multiply(kc, scratch, pb, nr, ct, ldc, 1f, 1f);
                        continue;
                    }
                    // Edge tile: the same sums, written back with the kernels' own rounding rule.
                    TKernel.Multiply(kc, scratch, pb, nr, tile, nr, 1f, 0f);
                    for (int r = 0; r < rows; r++)
                    {
                        for (int q = 0; q < cols; q++)
                            ct[r * ldc + q] = ScalarGemmMicroKernel.Combine(1f, tile[r * nr + q], 1f, ct[r * ldc + q]);
                    }
                }
            }
            packed += (nint)kc * nr * Slivers;
        }
    }
}
