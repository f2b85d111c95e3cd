namespace Cs231n.MLNet.Numerics;

/// <summary>The instruction set the packed single-precision kernels (GEMM and the fused neighbour search) run on.</summary>
internal enum SimdInstructionSet
{
    /// <summary>The widest set the processor accelerates, decided at start-up.</summary>
    Auto,

    /// <summary>512-bit vectors with fused multiply-add (AVX-512F).</summary>
    Vector512,

    /// <summary>256-bit vectors with fused multiply-add (AVX2 + FMA).</summary>
    Vector256,

    /// <summary>Plain scalar code; runs everywhere.</summary>
    Scalar,
}
