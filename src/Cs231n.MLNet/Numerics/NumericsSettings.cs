using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cs231n.MLNet.Numerics;

/// <summary>
/// Process-wide switches of the numeric kernels. Production code never sets them; tests and benchmarks force a
/// kernel or a thread count to compare paths, so they must not run concurrently with other numeric work.
/// </summary>
internal static class NumericsSettings
{
    private static readonly SimdInstructionSet BestSupported =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? SimdInstructionSet.Vector512
        : Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported ? SimdInstructionSet.Vector256
        : SimdInstructionSet.Scalar;

    private static SimdInstructionSet _forcedInstructionSet = SimdInstructionSet.Auto;
    private static int _maxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>The instruction set requested; <see cref="SimdInstructionSet.Auto"/> picks the widest supported one.</summary>
    public static SimdInstructionSet ForcedInstructionSet
    {
        get => _forcedInstructionSet;
        set
        {
            if (value != SimdInstructionSet.Auto && !IsSupported(value))
                throw new PlatformNotSupportedException($"The {value} instruction set is not supported by this processor.");
            _forcedInstructionSet = value;
        }
    }

    /// <summary>The instruction set the kernels actually run on.</summary>
    public static SimdInstructionSet InstructionSet => _forcedInstructionSet == SimdInstructionSet.Auto ? BestSupported : _forcedInstructionSet;

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

    /// <summary>Whether <paramref name="instructionSet"/> can run on this processor.</summary>
    public static bool IsSupported(SimdInstructionSet instructionSet) => instructionSet switch
    {
        SimdInstructionSet.Vector512 => BestSupported == SimdInstructionSet.Vector512,
        SimdInstructionSet.Vector256 => Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported,
        _ => true,
    };
}
