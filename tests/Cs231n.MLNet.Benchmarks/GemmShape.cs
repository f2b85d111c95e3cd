using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.Benchmarks;

/// <summary>One benchmarked product C(m×n) = A(m×k)·B(k×n), all row-major and not transposed.</summary>
public sealed record GemmShape(string Name, int M, int N, int K)
{
    public double Flops => 2.0 * M * N * K;

    /// <summary>Whether C alone takes gigabytes (the full-data kNN distance matrix).</summary>
    public bool IsHuge => (long)M * N > 100_000_000;

    public (float[] A, float[] B, float[] C) Allocate()
    {
        var random = new Random(42);
        var a = new float[(long)M * K];
        var b = new float[(long)K * N];
        for (long i = 0; i < a.Length; i++)
            a[i] = (float)random.NextDouble() - 0.5f;
        for (long i = 0; i < b.Length; i++)
            b[i] = (float)random.NextDouble() - 0.5f;
        return (a, b, new float[(long)M * N]);
    }

    public void Run(float[] a, float[] b, float[] c)
        => Gemm.Multiply(MatrixTranspose.None, MatrixTranspose.None, M, N, K, 1f, a, K, b, N, 0f, c, N);

    /// <summary>
    /// Checks 256 random entries of C against a dot product in double precision (tolerance twice the worst-case
    /// single-precision error k·u·Σ|aᵢbᵢ|), so that a fast wrong kernel cannot pass as a fast one.
    /// </summary>
    public void Verify(float[] a, float[] b, float[] c)
    {
        var random = new Random(7);
        for (int sample = 0; sample < 256; sample++)
        {
            int i = random.Next(M), j = random.Next(N);
            double sum = 0, magnitude = 0;
            for (int p = 0; p < K; p++)
            {
                double product = (double)a[(long)i * K + p] * b[(long)p * N + j];
                sum += product;
                magnitude += Math.Abs(product);
            }
            double error = Math.Abs(c[(long)i * N + j] - sum);
            if (error > 2 * K * Math.Pow(2, -24) * magnitude)
                throw new InvalidOperationException($"GEMM {Name} is wrong at C[{i}, {j}]: {c[(long)i * N + j]} instead of {sum}.");
        }
    }

    public override string ToString() => Name;
}

/// <summary>The shapes of the suite.</summary>
public static class GemmShapes
{
    public static readonly GemmShape[] All =
    [
        new("256x256x256", 256, 256, 256),
        new("1024x1024x1024", 1024, 1024, 1024),
        new("4096x4096x4096", 4096, 4096, 4096),
        new("128x784x512", 128, 512, 784),
        // The rest of an MLP step (784-512-256-10 at batch 128) and the thin products of class scores.
        new("128x512x256", 128, 256, 512),
        new("512x128x784", 512, 784, 128),
        new("128x256x10", 128, 10, 256),
        new("10000x784x10", 10000, 10, 784),
        new("10000x784x60000", 10000, 60000, 784),
        // Convolution forward products at batch 128 (filters × images·positions × channels·K·K): the 2-conv
        // network's 5×5 layers on 28×28 and 14×14 maps, and the default network's second 3×3 layer.
        new("conv5x5x32-28x28", 32, 128 * 784, 25),
        new("conv5x5x64-14x14", 64, 128 * 196, 800),
        new("conv3x3x64-14x14", 64, 128 * 196, 288),
        // The Winograd F(4×4, 5×5) products of that 5×5 layer (64 per chunk of 128 tiles, 16 chunks per batch):
        // forward tiles × channels · channels × filters, and the input gradient's tiles × filters · filters × channels.
        new("winograd-128x32x64", 128, 64, 32),
        new("winograd-128x64x32", 128, 32, 64),
    ];
}
