using System.Reflection;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>
/// Tells the failures of a damaged model file from bugs while loading. ML.NET reports damaged bytes with
/// <see cref="FormatException"/> (its "corrupt model" checks), <see cref="InvalidOperationException"/> (its
/// consistency checks), and the stream and zip readers with <see cref="EndOfStreamException"/>,
/// <see cref="InvalidDataException"/> or <see cref="IOException"/>. Anything else — a
/// <see cref="NullReferenceException"/>, an <see cref="IndexOutOfRangeException"/>, an
/// <see cref="ArgumentException"/> from one of our constructors — is a bug in the loader and must surface as itself,
/// not be disguised as a damaged file.
/// </summary>
internal static class LoadFailures
{
    /// <summary>The innermost cause of <paramref name="exception"/> through ML.NET's reflection wrappers.</summary>
    public static Exception Cause(Exception exception)
    {
        while (exception is TargetInvocationException { InnerException: { } inner })
            exception = inner;
        return exception;
    }

    /// <summary>Whether <paramref name="exception"/> (once unwrapped) is how a damaged file shows.</summary>
    public static bool IsDamagedFile(Exception exception)
        => Cause(exception) is CorruptModelException or FormatException or InvalidOperationException or EndOfStreamException
            or InvalidDataException or IOException;
}
