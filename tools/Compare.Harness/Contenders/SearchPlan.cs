using Cs231n.MLNet.Tuning;

namespace Compare.Contenders;

/// <summary>A hyper-parameter search: the settings, how they are scored, and which parameter the chart puts on x.</summary>
/// <param name="Mode">Cross-validation (kNN, as CS231n) or a validation split (gradient-trained models).</param>
/// <param name="Settings">The settings to score, in order.</param>
/// <param name="ChartParameter">The parameter on the chart's x axis; the others make one line each.</param>
/// <param name="LogScaleHint">Whether the x parameter spans decades (learning rates), for the caption.</param>
internal sealed record SearchPlan(SearchMode Mode, IReadOnlyList<ParameterSetting> Settings, string ChartParameter, bool LogScaleHint = false);
