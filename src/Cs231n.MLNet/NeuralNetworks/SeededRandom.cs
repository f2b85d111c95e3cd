namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// A small, fast pseudo-random generator (xoshiro256** seeded through SplitMix64) whose sequence depends only on the
/// seed, so that shuffling, dropout masks and weight initialisation are reproducible across runtimes and platforms.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpareGaussian;

    public SeededRandom(int seed)
    {
        ulong x = unchecked((ulong)(long)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="exclusiveMax"/>), without modulo bias.</summary>
    public int NextInt(int exclusiveMax)
    {
        ulong bound = (ulong)exclusiveMax;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            ulong high = Math.BigMul(r, bound, out ulong low);
            if (low >= threshold)
                return (int)high;
        }
    }

    /// <summary>Standard normal deviate (Marsaglia's polar method).</summary>
    public double NextGaussian()
    {
        if (_hasSpareGaussian)
        {
            _hasSpareGaussian = false;
            return _spareGaussian;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * factor;
        _hasSpareGaussian = true;
        return u * factor;
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>
    /// A random subset of <paramref name="size"/> of <paramref name="values"/>, in shuffled order: the first
    /// <paramref name="size"/> of a shuffled copy. When there are no more than <paramref name="size"/> values, the array
    /// itself is returned and no random number is drawn.
    /// </summary>
    public int[] Sample(int[] values, int size)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length <= size)
            return values;
        int[] shuffled = (int[])values.Clone();
        Shuffle(shuffled);
        return shuffled[..size];
    }
}
