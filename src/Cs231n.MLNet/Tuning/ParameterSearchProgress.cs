namespace Cs231n.MLNet.Tuning;

/// <summary>
/// A progress report of a hyper-parameter search, sent when a setting starts (<see cref="Score"/> is null) and
/// when it finishes (<see cref="Score"/> holds its result).
/// </summary>
/// <param name="SettingIndex">The position of the current setting, from 0.</param>
/// <param name="SettingCount">The number of settings searched.</param>
/// <param name="Setting">The current setting.</param>
/// <param name="Score">The setting's scores once it has finished; null when it starts.</param>
/// <param name="Elapsed">The time since the search started.</param>
public sealed record ParameterSearchProgress(
    int SettingIndex,
    int SettingCount,
    ParameterSetting Setting,
    ParameterSettingScore? Score,
    TimeSpan Elapsed)
{
    /// <summary>The number of settings finished so far.</summary>
    public int CompletedSettings => Score is null ? SettingIndex : SettingIndex + 1;
}
