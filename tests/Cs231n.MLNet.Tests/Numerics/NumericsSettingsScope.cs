using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Tests.Numerics;

/// <summary>Forces a kernel, thread count or packing policy for the duration of a test and restores the defaults.</summary>
internal sealed class NumericsSettingsScope : IDisposable
{
    private readonly SimdInstructionSet _kernel = NumericsSettings.ForcedInstructionSet;
    private readonly int _threads = NumericsSettings.MaxDegreeOfParallelism;
    private readonly bool _smallShapes = NumericsSettings.UseSmallShapePath;

    public NumericsSettingsScope(SimdInstructionSet kernel = SimdInstructionSet.Auto, int? threads = null, bool smallShapePath = true)
    {
        if (!NumericsSettings.IsSupported(kernel))
            Assert.Inconclusive($"The {kernel} kernel is not supported by this processor.");
        NumericsSettings.ForcedInstructionSet = kernel;
        NumericsSettings.MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount;
        NumericsSettings.UseSmallShapePath = smallShapePath;
    }

    public void Dispose()
    {
        NumericsSettings.ForcedInstructionSet = _kernel;
        NumericsSettings.MaxDegreeOfParallelism = _threads;
        NumericsSettings.UseSmallShapePath = _smallShapes;
    }
}
