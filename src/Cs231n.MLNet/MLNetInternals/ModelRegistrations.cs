// Every component that ML.NET must be able to load from a model file, by loader signature. ML.NET finds these
// attributes itself when a model file names this assembly, so loading needs no registration call.
using Cs231n.MLNet;
using Cs231n.MLNet.MLNetInternals;
using Microsoft.ML;
using Microsoft.ML.Runtime;

[assembly: LoadableClass(typeof(ITransformer), typeof(TransformerPersistence), null, typeof(SignatureLoadModel),
    "Cs231n multiclass prediction transformer", "Cs231nMulticlassPredict")]
[assembly: LoadableClass(typeof(KNearestNeighborsModelParameters), typeof(ModelLoader<KNearestNeighborsModelParameters>), null,
    typeof(SignatureLoadModel), "Cs231n k-nearest neighbours", "Cs231nKnnModel")]
[assembly: LoadableClass(typeof(LinearClassifierModelParameters), typeof(ModelLoader<LinearClassifierModelParameters>), null,
    typeof(SignatureLoadModel), "Cs231n linear classifier", "Cs231nLinearModel")]
[assembly: LoadableClass(typeof(MultilayerPerceptronModelParameters), typeof(ModelLoader<MultilayerPerceptronModelParameters>), null,
    typeof(SignatureLoadModel), "Cs231n multilayer perceptron", "Cs231nMlpModel")]
[assembly: LoadableClass(typeof(ConvolutionalNetworkModelParameters), typeof(ModelLoader<ConvolutionalNetworkModelParameters>), null,
    typeof(SignatureLoadModel), "Cs231n convolutional network", "Cs231nCnnModel")]
[assembly: LoadableClass(typeof(MeanImageTransformer), typeof(ModelLoader<MeanImageTransformer>), null,
    typeof(SignatureLoadModel), "Cs231n mean image subtraction", "Cs231nMeanImage")]
