using Microsoft.ML.Runtime;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>
/// What a training run needs from ML.NET's host: log lines that reach <c>MLContext.Log</c>, the context's
/// cancellation (<c>MLContext.CancelExecution</c>), and its random seed.
/// </summary>
internal sealed class TrainingChannel : IDisposable
{
    private readonly IHost _host;
    private readonly IChannel _channel;

    public TrainingChannel(IHostEnvironment environment, string componentName)
    {
        _host = environment.Register(componentName);
        _channel = _host.Start("Training");
    }

    /// <summary>Writes an Info line to the ML.NET log.</summary>
    public void Info(string message) => _channel.Info(MessageSensitivity.None, message);

    /// <summary>Writes a Warning line to the ML.NET log.</summary>
    public void Warning(string message) => _channel.Warning(MessageSensitivity.None, message);

    /// <summary>Throws <see cref="OperationCanceledException"/> once the owning MLContext has been cancelled.</summary>
    public void ThrowIfCancelled() => _host.CheckAlive();

    /// <summary>A seed drawn from the context's random generator, so that <c>new MLContext(seed)</c> decides it.</summary>
    public int NextSeed() => _host.Rand.Next();

    public void Dispose() => _channel.Dispose();
}
