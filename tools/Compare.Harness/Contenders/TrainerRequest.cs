using Cs231n.MLNet.Tuning;

namespace Compare.Contenders;

/// <summary>What a trainer is built for.</summary>
/// <param name="Setting">The hyper-parameters to use; null for a contender without a search.</param>
/// <param name="Role">Whether the trainer scores a setting in the search or is the final model.</param>
/// <param name="Status">Receives one-line progress reports while training (per epoch), when the trainer gives any.</param>
internal sealed record TrainerRequest(ParameterSetting? Setting, TrainerRole Role, IProgress<string>? Status = null);
