namespace Compare.Running;

/// <summary>
/// Reports progress on the reporting thread, in order. <see cref="Progress{T}"/> would post to the thread pool, so
/// lines could arrive after the step they describe, or after the display has closed.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
