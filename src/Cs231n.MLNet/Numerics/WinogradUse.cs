namespace Cs231n.MLNet.Numerics;

/// <summary>When a float convolution that suits the Winograd path takes it.</summary>
internal enum WinogradUse
{
    /// <summary>Never: the direct convolution always (tests of the direct kernels).</summary>
    Never,

    /// <summary>
    /// Where it was measured faster than the direct convolution: 5×5 kernels (F(4×4, 5×5): 64 products per 16 outputs
    /// instead of 400). F(4×4, 3×3) saves less (36 instead of 144) and its transforms ate the saving on the default
    /// network's 32→64-channel 14×14 layer, so 3×3 kernels stay direct.
    /// </summary>
    WhereFaster,

    /// <summary>Every 3×3 and 5×5 kernel (tests of F(4×4, 3×3)).</summary>
    WhereSupported,
}
