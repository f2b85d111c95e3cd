namespace Cs231n.MLNet.MLNetInternals;

/// <summary>A model that ML.NET can save inside a pipeline file and load back in a fresh process.</summary>
/// <typeparam name="TSelf">The model type itself.</typeparam>
internal interface IPersistedModel<TSelf> where TSelf : class
{
    /// <summary>The names and version under which the model is written.</summary>
    static abstract ModelFormat Format { get; }

    /// <summary>Reads a model written by <see cref="Write"/>, validating every count before allocating.</summary>
    static abstract TSelf Read(ModelReader reader, uint version);

    /// <summary>Writes the learned state.</summary>
    void Write(BinaryWriter writer);
}
