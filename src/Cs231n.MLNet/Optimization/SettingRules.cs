using System.Globalization;

namespace Cs231n.MLNet.Optimization;

/// <summary>
/// One rule for one training setting (scikit-learn's parameter constraints): the valid range and how to say it. The
/// trainers' options and <see cref="SolverOptions"/> check the settings they share with the same rule, so a setting has
/// one range and one message wherever it is given.
/// </summary>
/// <param name="Name">The option's name, as users write it.</param>
/// <param name="Holds">Whether a value is valid.</param>
/// <param name="Requirement">What a valid value is ("must be at least 1").</param>
/// <param name="Meaning">What a boundary value means, appended in parentheses; null when nothing needs saying.</param>
internal sealed record SettingRule(string Name, Func<double, bool> Holds, string Requirement, string? Meaning = null)
{
    /// <summary>
    /// Throws "The 'LearningRate' option of SoftmaxTrainer must be positive (or null for the trainer's default); got
    /// -0.1." unless <paramref name="value"/> is valid.
    /// </summary>
    /// <param name="value">The value given.</param>
    /// <param name="owner">The trainer the option belongs to, or null.</param>
    /// <param name="nullMeaning">What leaving a nullable option null does, or null for a non-nullable option.</param>
    public void Check(double value, string? owner = null, string? nullMeaning = null)
    {
        if (!Holds(value))
        {
            string meaning = string.Join("; ", new[] { Meaning, nullMeaning }.Where(m => m is not null));
            throw Invalid(Name, value, meaning.Length == 0 ? Requirement : $"{Requirement} ({meaning})", owner);
        }
    }

    /// <summary>The message style shared by every option check: "The 'LearningRate' option must be positive; got -0.1."</summary>
    public static ArgumentOutOfRangeException Invalid(string option, object value, string requirement, string? owner = null)
    {
        string shown = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";
        string of = owner is null ? "" : $" of {owner}";
        return new ArgumentOutOfRangeException(option, value, $"The '{option}' option{of} {requirement}; got {shown}.");
    }
}

/// <summary>The rules of the settings that the gradient trainers' options and the solver's options share.</summary>
internal static class SettingRules
{
    public const string ChosenFromData = "or null to choose it from the data";

    public const string TrainerDefault = "or null for the trainer's default";

    public static readonly SettingRule NumberOfEpochs = new(nameof(SolverOptions.NumberOfEpochs), v => v >= 1, "must be at least 1");

    public static readonly SettingRule BatchSize = new(nameof(SolverOptions.BatchSize), v => v >= 1, "must be at least 1");

    public static readonly SettingRule LearningRate = new(nameof(SolverOptions.LearningRate), v => v > 0 && double.IsFinite(v), "must be positive");

    public static readonly SettingRule L2Regularization = new(nameof(SolverOptions.L2Regularization), v => v >= 0 && double.IsFinite(v), "must be finite and non-negative");

    public static readonly SettingRule ValidationFraction = new(nameof(SolverOptions.ValidationFraction), v => v >= 0 && v < 1, "must be in [0, 1)", "0 holds out nothing");

    public static readonly SettingRule ConvergenceTolerance = new(nameof(SolverOptions.ConvergenceTolerance), v => v >= 0 && double.IsFinite(v), "must be finite and non-negative");

    public static readonly SettingRule EarlyStoppingPatience = new(nameof(SolverOptions.EarlyStoppingPatience), v => v >= 0, "must be non-negative", "0 runs exactly NumberOfEpochs epochs");
}
