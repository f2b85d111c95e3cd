namespace Cs231n.MLNet.Neighbors;

/// <summary>
/// The blocking of both neighbour searches (float and 8-bit), in one place. The tile shapes themselves (rows × queries)
/// belong to each kernel; these decide how tiles are walked. None of them changes an answer, only the speed.
/// </summary>
internal static class KnnBlockSizes
{
    /// <summary>Training rows are streamed in blocks of this many bytes, sized for the shared cache.</summary>
    public const int TrainingBlockBytes = 4 << 20;

    /// <summary>
    /// Panels of queries one worker sweeps together: each group of training rows, fetched from the shared cache, is
    /// then reused from L1 for the second panel, while both panels still fit in L2.
    /// </summary>
    public const int PanelsPerItem = 2;

    /// <summary>
    /// The same for the 8-bit search, whose panels are smaller (16-bit or 8-bit values): eight panels (at most 800 KB)
    /// still fit in a 1 MB L2, and each group of rows, widened once, then serves eight panels.
    /// </summary>
    public const int BytePanelsPerItem = 8;

    /// <summary>With fewer work items than threads, the training rows are split into this many fixed parts instead.</summary>
    public const int RowParts = 8;

    /// <summary>A row part is never smaller than this, so that splitting pays for the merge.</summary>
    public const int MinRowsPerPart = 512;

    /// <summary>Up to this many queries the float search measures rows against queries one by one (no panels).</summary>
    public const int FewQueries = 4;

    /// <summary>The 8-bit search shortlists queries in chunks of this many panels (bounding the shortlists' memory).</summary>
    public const int PanelsPerChunk = 64;

    /// <summary>
    /// The 8-bit tiles check whether they can stop early (<see cref="PartialSumChecks"/>) every this many coordinates:
    /// often enough to stop soon after the partial distances pass their limits (on Fashion-MNIST 88 % of the tiles
    /// stop, most between 128 and 512 coordinates), rarely enough that a check (a few dozen instructions) costs under
    /// 10 % of the tile's work between checks.
    /// </summary>
    public const int CheckpointCoordinates = 64;

    /// <summary>Longest shortlist the 8-bit search keeps per query; a larger k is searched in float.</summary>
    public const int MaxShortlist = 256;
}
