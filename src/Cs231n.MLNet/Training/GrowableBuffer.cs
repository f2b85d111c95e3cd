namespace Cs231n.MLNet.Training;

/// <summary>An append-only array that doubles as it grows and checks its size against memory before growing.</summary>
internal sealed class GrowableBuffer<T> where T : unmanaged
{
    private T[] _items;

    public GrowableBuffer(long initialCapacity) => _items = new T[Math.Clamp(initialCapacity, 16, Array.MaxLength)];

    public int Count { get; private set; }

    public void Append(T item) => AppendSpan(1, "values")[0] = item;

    public Span<T> AppendSpan(int length, string what)
    {
        if ((long)Count + length > _items.Length)
        {
            long needed = (long)Count + length;
            long capacity = Math.Max(needed, Math.Min((long)_items.Length * 2, Array.MaxLength));
            if (needed > Array.MaxLength)
                throw new InsufficientMemoryException($"'{what}' holds more than {Array.MaxLength} values, more than one array can hold; train on fewer rows.");
            Array.Resize(ref _items, (int)capacity);
        }
        Span<T> span = _items.AsSpan(Count, length);
        Count += length;
        return span;
    }

    public void Truncate(int count) => Count = count;

    /// <summary>The appended items, without copying when the buffer is exactly full.</summary>
    public T[] ToArray() => Count == _items.Length ? _items : _items.AsSpan(0, Count).ToArray();
}
