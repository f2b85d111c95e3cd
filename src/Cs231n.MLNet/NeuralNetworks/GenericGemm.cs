using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// The matrix product for layers written over a generic number type: routes <c>T</c> = float or double to the
/// matching overload of the shared <see cref="Gemm"/>.
/// </summary>
internal static class GenericGemm
{
    /// <summary><c>C = alpha·op(A)·op(B) + beta·C</c> on row-major spans; see <see cref="Gemm"/>.</summary>
    public static void Multiply<T>(MatrixTranspose transA, MatrixTranspose transB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Gemm.Multiply(transA, transB, m, n, k, Unsafe.As<T, float>(ref alpha), MemoryMarshal.Cast<T, float>(a), lda,
                MemoryMarshal.Cast<T, float>(b), ldb, Unsafe.As<T, float>(ref beta), MemoryMarshal.Cast<T, float>(c), ldc);
        }
        else if (typeof(T) == typeof(double))
        {
            Gemm.Multiply(transA, transB, m, n, k, Unsafe.As<T, double>(ref alpha), MemoryMarshal.Cast<T, double>(a), lda,
                MemoryMarshal.Cast<T, double>(b), ldb, Unsafe.As<T, double>(ref beta), MemoryMarshal.Cast<T, double>(c), ldc);
        }
        else
        {
            throw new NotSupportedException($"Matrix products support float and double, not {typeof(T).Name}.");
        }
    }
}
