using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// The one operation every Winograd transform is made of: <c>Z = L X Lᵀ</c> for a small q×q tile X and a p×q matrix L
/// (Bᵀ on input tiles, G on filters, Aᵀ on output tiles, A on output gradients, Gᵀ on filter gradients), on eight
/// independent tiles at once, one per lane of a 256-bit vector (eight channels or filters side by side).
/// </summary>
/// <remarks>
/// Each lane's value is computed by the same sequence of fused multiply-adds, skipping L's zero entries, whatever
/// the lane, the caller or the thread, so results are reproducible bit for bit.
/// </remarks>
internal static unsafe class WinogradTiles
{
    /// <summary>Tiles per call: the lanes of one vector.</summary>
    public const int Lanes = 8;

    /// <summary>Largest tile side the stack scratch holds.</summary>
    public const int MaxSide = 8;

    /// <summary>
    /// <c>dst[i, j] = Σ_k Σ_l L[i, k] · src[k, l] · L[j, l]</c> for i, j &lt; p, lane by lane. Element (k, l) of the
    /// source is the vector at <c>src + k·srcRow + l·srcColumn</c>; element (i, j) of the result is stored at
    /// <c>dst + i·dstRow + j·dstColumn</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(float* l, int p, int q, float* src, nint srcRow, nint srcColumn, float* dst, nint dstRow, nint dstColumn)
    {
        Vector256<float>* x = stackalloc Vector256<float>[MaxSide * MaxSide];
        Vector256<float>* t = stackalloc Vector256<float>[MaxSide * MaxSide];
        for (int k = 0; k < q; k++)
        {
            for (int c = 0; c < q; c++)
                x[k * q + c] = Vector256.Load(src + k * srcRow + c * srcColumn);
        }
        // T = L X: row i of T is a combination of the rows of X.
        for (int i = 0; i < p; i++)
        {
            Vector256<float>* ti = t + i * q;
            for (int c = 0; c < q; c++)
                ti[c] = Vector256<float>.Zero;
            for (int k = 0; k < q; k++)
            {
                float coefficient = l[i * q + k];
                if (coefficient == 0)
                    continue;
                var a = Vector256.Create(coefficient);
                Vector256<float>* xk = x + k * q;
                for (int c = 0; c < q; c++)
                    ti[c] = Vector256.FusedMultiplyAdd(a, xk[c], ti[c]);
            }
        }
        // Z = T Lᵀ: element (i, j) is row i of T against row j of L.
        for (int i = 0; i < p; i++)
        {
            Vector256<float>* ti = t + i * q;
            for (int j = 0; j < p; j++)
            {
                float* lj = l + j * q;
                Vector256<float> sum = Vector256<float>.Zero;
                for (int c = 0; c < q; c++)
                {
                    if (lj[c] != 0)
                        sum = Vector256.FusedMultiplyAdd(Vector256.Create(lj[c]), ti[c], sum);
                }
                sum.Store(dst + i * dstRow + j * dstColumn);
            }
        }
    }

    /// <summary>Lᵀ of a row-major p×q matrix, as a row-major q×p matrix.</summary>
    public static float[] Transpose(float[] l, int p, int q)
    {
        var transposed = new float[q * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j < q; j++)
                transposed[j * p + i] = l[i * q + j];
        }
        return transposed;
    }
}
