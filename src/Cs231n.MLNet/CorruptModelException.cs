namespace Cs231n.MLNet;

/// <summary>
/// Thrown when a saved model of this package is truncated or corrupt. Loading validates every size before it
/// allocates, so a damaged file fails with this exception instead of hanging or exhausting memory.
/// </summary>
public sealed class CorruptModelException : FormatException
{
    /// <summary>Creates the exception with a message that names the model and the damaged field.</summary>
    public CorruptModelException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the low-level cause.</summary>
    public CorruptModelException(string message, Exception innerException) : base(message, innerException) { }
}
