using Cs231n.MLNet.Reporting;

namespace Compare.Display;

/// <summary>The console side of a run: a live progress display on a terminal, plain lines when redirected.</summary>
internal interface IRunDisplay
{
    /// <summary>Writes a line of information.</summary>
    void Info(string text);

    /// <summary>Writes a section title.</summary>
    void Section(string title);

    /// <summary>Writes a warning or error line.</summary>
    void Problem(string text);

    /// <summary>
    /// Runs <paramref name="work"/> while showing one progress line per named task; the work reports through the
    /// tracker it gets for each task name.
    /// </summary>
    void Track(IReadOnlyList<string> taskNames, Action<Func<string, ITaskProgress>> work);

    /// <summary>Shows the leaderboard, best first.</summary>
    void Leaderboard(IReadOnlyList<LeaderboardRow> rows);
}
