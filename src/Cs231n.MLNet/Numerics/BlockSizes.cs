namespace Cs231n.MLNet.Numerics;

/// <summary>
/// The blocking of the packed single-precision kernels for one instruction set, kept in one table as BLIS keeps its
/// per-architecture contexts (<c>config/&lt;arch&gt;/bli_cntx_init_&lt;arch&gt;.c</c>): the register tile MR×NR comes
/// from the micro-kernel, which is written around it; the cache blocks KC, MC, NC and the sizes of the parallel work
/// units come from the caches (1 MiB of L2 per core, 32 MiB shared). Other kernels built on the same tiles, such as
/// the neighbour search, read their sizes here.
/// </summary>
/// <param name="TileRows">MR: rows of the register tile; A is packed in slivers of this many rows.</param>
/// <param name="TileColumns">NR: columns of the register tile; B is packed in slivers of this many columns.</param>
/// <param name="DepthBlock">KC: the most values of k one packed sliver holds. k is cut into equal blocks of at most this
/// many, a cut that depends on k alone, so every element of C sums in the same order whatever the threading.</param>
/// <param name="RowBlock">MC: rows of A packed at a time on the large-product path.</param>
/// <param name="ColumnBlock">NC: columns of B packed at a time on the large-product path.</param>
/// <param name="UnitRows">Rows of C in one parallel unit at most; one A sliver stays in L1 while the unit's B slivers stream.</param>
/// <param name="UnitBBytes">Budget for one unit's B slivers, which must stay in the per-core L2 cache.</param>
/// <param name="WholePackingMaxWork">Up to this many multiply-adds (m·n·k) every sliver of a product is packed up front
/// in one parallel phase; larger products pack block by block.</param>
internal sealed record BlockSizes(int TileRows, int TileColumns, int DepthBlock, int RowBlock, int ColumnBlock,
    int UnitRows, int UnitBBytes, double WholePackingMaxWork)
{
    /// <summary>AVX-512F: 6×64 tiles, tuned on a 2-core AVX-512 processor.</summary>
    public static readonly BlockSizes Vector512 = new(Vector512GemmMicroKernel.Rows, Vector512GemmMicroKernel.Columns,
        DepthBlock: 512, RowBlock: 4096, ColumnBlock: 4096, UnitRows: 96, UnitBBytes: 512 << 10, WholePackingMaxWork: 1 << 27);

    /// <summary>AVX2 + FMA: 6×16 tiles; the cache blocks of the AVX-512 entry (same caches), not tuned separately.</summary>
    public static readonly BlockSizes Vector256 = Vector512 with { TileRows = Vector256GemmMicroKernel.Rows, TileColumns = Vector256GemmMicroKernel.Columns };

    /// <summary>Portable scalar code: 4×4 tiles, same cache blocks.</summary>
    public static readonly BlockSizes Scalar = Vector512 with { TileRows = ScalarGemmMicroKernel.Rows, TileColumns = ScalarGemmMicroKernel.Columns };

    /// <summary>The entry for <paramref name="instructionSet"/> (<see cref="SimdInstructionSet.Auto"/>: the one that runs).</summary>
    public static BlockSizes For(SimdInstructionSet instructionSet) => instructionSet switch
    {
        SimdInstructionSet.Vector512 => Vector512,
        SimdInstructionSet.Vector256 => Vector256,
        SimdInstructionSet.Scalar => Scalar,
        _ => For(NumericsSettings.InstructionSet),
    };

    /// <summary>The equal cut of k into depth blocks of at most <see cref="DepthBlock"/>: the length of each but the last.</summary>
    public int DepthBlockFor(int k)
    {
        int blocks = (k + DepthBlock - 1) / DepthBlock;
        return (k + blocks - 1) / blocks;
    }
}
