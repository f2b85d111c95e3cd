using Microsoft.ML;
using Cs231n.MLNet.Data;

namespace Cs231n.MLNet.Tests.Trainers;

/// <summary>Fashion-MNIST views for the trainer tests: Features = pixels/255 (784), Label = class name.</summary>
internal static class FashionMnistFiles
{
    /// <summary>The bundled subset (2,000 train / 500 test).</summary>
    public static (IDataView Train, IDataView Test) Bundled(MLContext mlContext)
        => (BundledData.FashionMnistTrain().ToDataView(mlContext), BundledData.FashionMnistTest().ToDataView(mlContext));

    /// <summary>The full data set (60,000 train / 10,000 test) from the Debian package.</summary>
    public static (IDataView Train, IDataView Test) Full(MLContext mlContext)
    {
        if (!FashionMnist.TryFindInstalled(out string directory))
            Assert.Inconclusive("Full Fashion-MNIST is not installed; install it with: apt-get install dataset-fashion-mnist");
        return (FashionMnist.LoadTrain(directory).ToDataView(mlContext), FashionMnist.LoadTest(directory).ToDataView(mlContext));
    }
}
