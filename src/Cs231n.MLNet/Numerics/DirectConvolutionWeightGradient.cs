using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// The filter gradient of a stride-1 convolution, read straight from the zero-padded images that
/// <see cref="DirectConvolution"/> convolved: <c>dW[f, p] += Σ_i Σ_q dY_i[f, q] · X_i[offset[p] + q]</c>, with the
/// upstream gradient laid out on the same whole padded rows (zero where a position falls in the padding). Each
/// (filter, patch row) pair is a dot product along q, so no patch matrix is built: register tiles of
/// <see cref="FilterTile"/> filters × <see cref="PatchTile"/> patch rows load 4 + 4 vectors per 16 fused
/// multiply-adds, and sum their lanes once per call.
/// </summary>
/// <remarks>
/// Each dW value is accumulated by one fixed sequence (images in order, lanes in order), whichever thread computes
/// it; callers split the work by filters and call in a fixed order of image blocks, so results do not depend on the
/// thread count. AVX-512 only: elsewhere the layer keeps the patch matrix and the GEMM.
/// </remarks>
internal static unsafe class DirectConvolutionWeightGradient
{
    /// <summary>Filters per register tile.</summary>
    public const int FilterTile = 4;

    /// <summary>Patch rows per register tile.</summary>
    public const int PatchTile = 4;

    /// <summary>Whether this processor runs the kernel (AVX-512, and not switched off by a forced kernel).</summary>
    public static bool IsSupported => NumericsSettings.InstructionSet == SimdInstructionSet.Vector512;

    /// <summary>
    /// Adds, for filters [<paramref name="filter0"/>, <paramref name="filter0"/> + <paramref name="filterCount"/>)
    /// and every patch row p, <c>Σ_i Σ_{q &lt; width} dy[i·imageStride + f·rowLength + q] · x[i·paddedLength + offsets[p] + q]</c>
    /// into <c>dw[f·offsets.Length + p]</c>, and <c>Σ_i Σ_q dy[…]</c> into <c>db[f]</c>.
    /// </summary>
    /// <param name="images">Images in this call.</param>
    /// <param name="dy">Upstream gradients on whole padded rows, image after image.</param>
    /// <param name="imageStride">Distance between the gradients of consecutive images.</param>
    /// <param name="rowLength">Distance between consecutive filters' rows.</param>
    /// <param name="width">Positions per row, a multiple of 16; values past the image must be zero in dy.</param>
    /// <param name="x">Padded images, <paramref name="paddedLength"/> apart, readable up to max(offsets) + width.</param>
    /// <param name="paddedLength">Distance between consecutive padded images.</param>
    /// <param name="offsets">Where each patch row starts in a padded image.</param>
    /// <param name="filter0">First filter.</param>
    /// <param name="filterCount">Filters.</param>
    /// <param name="dw">The filters × patch-rows gradient.</param>
    /// <param name="db">The bias gradient.</param>
    public static void Accumulate(int images, ReadOnlySpan<float> dy, int imageStride, int rowLength, int width,
        ReadOnlySpan<float> x, int paddedLength, ReadOnlySpan<int> offsets, int filter0, int filterCount, Span<float> dw, Span<float> db)
    {
        if (!IsSupported)
            throw new PlatformNotSupportedException("The direct filter gradient needs AVX-512.");
        if (width % 16 != 0)
            throw new ArgumentException($"The width must be a multiple of 16; got {width}.", nameof(width));
        if (images == 0)
            return;
        int depth = offsets.Length, reach = 0;
        foreach (int offset in offsets)
            reach = Math.Max(reach, offset);
        if (x.Length < (images - 1) * paddedLength + reach + width
            || dy.Length < (images - 1) * imageStride + (filter0 + filterCount - 1) * rowLength + width
            || dw.Length < (filter0 + filterCount) * depth || db.Length < filter0 + filterCount)
            throw new ArgumentException("The filter-gradient buffers are too small for the shape.");
        fixed (float* pdy = dy, px = x, pdw = dw, pdb = db)
        fixed (int* po = offsets)
        {
            int end = filter0 + filterCount, f = filter0;
            for (; f + FilterTile <= end; f += FilterTile)
            {
                int p = 0;
                for (; p + PatchTile <= depth; p += PatchTile)
                    Tile(images, pdy + (nint)f * rowLength, imageStride, rowLength, width, px, paddedLength, po + p, pdw + (nint)f * depth + p, depth);
                for (int r = 0; r < FilterTile; r++)
                {
                    for (int pp = p; pp < depth; pp++)
                        pdw[(f + r) * depth + pp] += Dot(images, pdy + (nint)(f + r) * rowLength, imageStride, width, px + po[pp], paddedLength);
                }
            }
            for (; f < end; f++)
            {
                for (int p = 0; p < depth; p++)
                    pdw[f * depth + p] += Dot(images, pdy + (nint)f * rowLength, imageStride, width, px + po[p], paddedLength);
            }
            for (f = filter0; f < end; f++)
                pdb[f] += Sum(images, pdy + (nint)f * rowLength, imageStride, width);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(int images, float* dy, int imageStride, int rowLength, int width, float* x, int paddedLength, int* offsets, float* dw, int ldw)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        int o0 = offsets[0], o1 = offsets[1], o2 = offsets[2], o3 = offsets[3];
        for (int i = 0; i < images; i++)
        {
            float* g = dy + (nint)i * imageStride, xi = x + (nint)i * paddedLength;
            for (int q = 0; q < width; q += 16)
            {
                Vector512<float> x0 = Vector512.Load(xi + o0 + q), x1 = Vector512.Load(xi + o1 + q);
                Vector512<float> x2 = Vector512.Load(xi + o2 + q), x3 = Vector512.Load(xi + o3 + q);
                Vector512<float> d = Vector512.Load(g + q);
                c00 = Vector512.FusedMultiplyAdd(d, x0, c00);
                c01 = Vector512.FusedMultiplyAdd(d, x1, c01);
                c02 = Vector512.FusedMultiplyAdd(d, x2, c02);
                c03 = Vector512.FusedMultiplyAdd(d, x3, c03);
                d = Vector512.Load(g + rowLength + q);
                c10 = Vector512.FusedMultiplyAdd(d, x0, c10);
                c11 = Vector512.FusedMultiplyAdd(d, x1, c11);
                c12 = Vector512.FusedMultiplyAdd(d, x2, c12);
                c13 = Vector512.FusedMultiplyAdd(d, x3, c13);
                d = Vector512.Load(g + 2 * rowLength + q);
                c20 = Vector512.FusedMultiplyAdd(d, x0, c20);
                c21 = Vector512.FusedMultiplyAdd(d, x1, c21);
                c22 = Vector512.FusedMultiplyAdd(d, x2, c22);
                c23 = Vector512.FusedMultiplyAdd(d, x3, c23);
                d = Vector512.Load(g + 3 * rowLength + q);
                c30 = Vector512.FusedMultiplyAdd(d, x0, c30);
                c31 = Vector512.FusedMultiplyAdd(d, x1, c31);
                c32 = Vector512.FusedMultiplyAdd(d, x2, c32);
                c33 = Vector512.FusedMultiplyAdd(d, x3, c33);
            }
        }
        AddRow(dw, c00, c01, c02, c03);
        AddRow(dw + ldw, c10, c11, c12, c13);
        AddRow(dw + 2 * ldw, c20, c21, c22, c23);
        AddRow(dw + 3 * ldw, c30, c31, c32, c33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(float* dw, Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d)
    {
        dw[0] += Vector512.Sum(a);
        dw[1] += Vector512.Sum(b);
        dw[2] += Vector512.Sum(c);
        dw[3] += Vector512.Sum(d);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(int images, float* dy, int imageStride, int width, float* x, int paddedLength)
    {
        Vector512<float> acc = default;
        for (int i = 0; i < images; i++)
        {
            float* g = dy + (nint)i * imageStride, xi = x + (nint)i * paddedLength;
            for (int q = 0; q < width; q += 16)
                acc = Vector512.FusedMultiplyAdd(Vector512.Load(g + q), Vector512.Load(xi + q), acc);
        }
        return Vector512.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Sum(int images, float* dy, int imageStride, int width)
    {
        Vector512<float> acc = default;
        for (int i = 0; i < images; i++)
        {
            float* g = dy + (nint)i * imageStride;
            for (int q = 0; q < width; q += 16)
                acc += Vector512.Load(g + q);
        }
        return Vector512.Sum(acc);
    }
}
