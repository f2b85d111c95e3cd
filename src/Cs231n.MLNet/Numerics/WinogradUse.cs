namespace Cs231n.MLNet.Numerics;

/// <summary>When a float convolution that suits the Winograd path takes it.</summary>
internal enum WinogradUse
{
    /// <summary>Never: the direct convolution always (tests of the direct kernels).</summary>
    Never,

    /// <summary>
    /// Where it was measured clearly faster than the direct convolution: 5×5 kernels (F(4×4, 5×5): 64 products per 16
    /// outputs instead of 400; 1.4–2.7× on the 2-conv network's 32→64-channel layer). F(4×4, 3×3) saves less (36
    /// instead of 144) and measured only 1.1–1.4× on the default network's 3×3 layer on a shared machine, so 3×3
    /// kernels stay direct until an idle measurement says otherwise.
    /// </summary>
    WhereFaster,

    /// <summary>Every 3×3 and 5×5 kernel (tests of F(4×4, 3×3)).</summary>
    WhereSupported,
}
