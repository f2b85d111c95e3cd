using Cs231n.MLNet.Reporting;
using Spectre.Console;

namespace Compare.Display;

/// <summary>A live terminal display: one progress bar per contender, log lines above it, a table at the end.</summary>
internal sealed class SpectreRunDisplay : IRunDisplay
{
    public void Info(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));

    public void Section(string title) => AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(title)}[/]").LeftJustified());

    public void Problem(string text) => AnsiConsole.MarkupLine($"[red]{Markup.Escape(text)}[/]");

    public void Track(IReadOnlyList<string> taskNames, Action<Func<string, ITaskProgress>> work) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 20 }, new PercentageColumn(),
                new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var tasks = taskNames.ToDictionary(name => name,
                    name => new SpectreTaskProgress(context.AddTask(Markup.Escape(name), autoStart: false, maxValue: 1), name));
                work(name => tasks[name]);
            });

    public void Leaderboard(IReadOnlyList<LeaderboardRow> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var (title, column) in LeaderboardText.Header.Select((h, c) => (h, c)))
            table.AddColumn(new TableColumn($"[bold]{Markup.Escape(title)}[/]") { Alignment = column == 1 ? Justify.Left : Justify.Right }.NoWrap());
        foreach (var row in LeaderboardText.Rows(rows))
            table.AddRow(row.Select(Markup.Escape).ToArray());
        AnsiConsole.Write(table);
    }

    private sealed class SpectreTaskProgress(ProgressTask task, string name) : ITaskProgress
    {
        private const int MaximumStatusLength = 48;

        private readonly string _name = Markup.Escape(name);

        public void Start(int steps)
        {
            task.MaxValue = Math.Max(1, steps);
            task.StartTask();
        }

        // The status shares the line with the bar, so long ones (whole settings) are cut rather than wrapped.
        public void Status(string text) =>
            task.Description = $"{_name} [grey]{Markup.Escape(text.Length <= MaximumStatusLength ? text : text[..(MaximumStatusLength - 1)] + "…")}[/]";

        public void Step(string line)
        {
            task.Increment(1);
            task.Description = _name;
            AnsiConsole.MarkupLine($"  [grey]{_name}:[/] {Markup.Escape(line)}");
        }

        public void Finish(string summary)
        {
            task.Value = task.MaxValue;
            task.Description = $"{_name} [green]{Markup.Escape(summary)}[/]";
            task.StopTask();
        }

        public void Fail(string message)
        {
            task.Description = $"{_name} [red]failed[/]";
            task.StopTask();
            AnsiConsole.MarkupLine($"[red]{_name} failed: {Markup.Escape(message)}[/]");
        }
    }
}
