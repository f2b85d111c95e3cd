using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// Process-wide switches of the numeric kernels. Production code never sets them; tests and benchmarks force a
/// kernel or a thread count to compare paths, so they must not run concurrently with other numeric work.
/// </summary>
internal static class NumericsSettings
{
    private static readonly GemmKernel BestSupported =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmKernel.Vector512
        : Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported ? GemmKernel.Vector256
        : GemmKernel.Scalar;

    private static GemmKernel _forcedKernel = GemmKernel.Auto;
    private static int _maxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>The kernel requested; <see cref="GemmKernel.Auto"/> picks the widest supported one.</summary>
    public static GemmKernel ForcedKernel
    {
        get => _forcedKernel;
        set
        {
            if (value != GemmKernel.Auto && !IsSupported(value))
                throw new PlatformNotSupportedException($"The {value} kernel is not supported by this processor.");
            _forcedKernel = value;
        }
    }

    /// <summary>The kernel that actually runs.</summary>
    public static GemmKernel Kernel => _forcedKernel == GemmKernel.Auto ? BestSupported : _forcedKernel;

    /// <summary>Upper bound on the worker threads of one call; results do not depend on it.</summary>
    public static int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        set => _maxDegreeOfParallelism = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one thread is needed.");
    }

    /// <summary>Whether tiny products and matrix-vector shapes skip packing (turned off by tests to exercise the packed kernels on every shape).</summary>
    public static bool UseSmallShapePath { get; set; } = true;

    /// <summary>Whether <paramref name="kernel"/> can run on this processor.</summary>
    public static bool IsSupported(GemmKernel kernel) => kernel switch
    {
        GemmKernel.Vector512 => BestSupported == GemmKernel.Vector512,
        GemmKernel.Vector256 => Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported,
        _ => true,
    };
}
