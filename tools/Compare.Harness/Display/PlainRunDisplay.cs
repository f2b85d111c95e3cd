using Cs231n.MLNet.Reporting;

namespace Compare.Display;

/// <summary>Line-by-line output for logs and CI, where a live display would only print control codes.</summary>
internal sealed class PlainRunDisplay : IRunDisplay
{
    private readonly object _gate = new();

    public void Info(string text) => Write(text);

    public void Section(string title) => Write($"{Environment.NewLine}== {title} ==");

    public void Problem(string text)
    {
        lock (_gate)
            Console.Error.WriteLine(text);
    }

    public void Track(IReadOnlyList<string> taskNames, Action<Func<string, ITaskProgress>> work) =>
        work(name => new PlainTaskProgress(this, name));

    public void Leaderboard(IReadOnlyList<LeaderboardRow> rows)
    {
        var cells = LeaderboardText.Rows(rows);
        var widths = LeaderboardText.Header.Select((h, c) => cells.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        string Format(IReadOnlyList<string> row) => string.Join("  ", row.Select((cell, c) => c == 1 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c])));
        Write(Format(LeaderboardText.Header));
        Write(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
            Write(Format(row));
    }

    private void Write(string line)
    {
        lock (_gate)
            Console.WriteLine(line);
    }

    private sealed class PlainTaskProgress(PlainRunDisplay display, string name) : ITaskProgress
    {
        private int _steps, _done;

        public void Start(int steps)
        {
            _steps = steps;
            display.Write($"[{name}] started");
        }

        // Transient statuses (epochs of a search setting) would flood a log; only kept lines are written.
        public void Status(string text)
        {
        }

        public void Step(string line) => display.Write($"[{name}] ({++_done}/{_steps}) {line}");

        public void Finish(string summary) => display.Write($"[{name}] done: {summary}");

        public void Fail(string message) => display.Problem($"[{name}] FAILED: {message}");
    }
}
