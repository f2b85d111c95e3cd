namespace Compare.Display;

/// <summary>Progress of one task (one contender) inside <see cref="IRunDisplay.Track"/>.</summary>
internal interface ITaskProgress
{
    /// <summary>Starts the task with the number of steps it will take.</summary>
    void Start(int steps);

    /// <summary>Shows what the task is doing now (transient on a terminal).</summary>
    void Status(string text);

    /// <summary>Completes one step, with a line worth keeping in the log.</summary>
    void Step(string line);

    /// <summary>Ends the task with a one-line summary.</summary>
    void Finish(string summary);

    /// <summary>Ends the task as failed.</summary>
    void Fail(string message);
}
