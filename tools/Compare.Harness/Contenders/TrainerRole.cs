namespace Compare.Contenders;

/// <summary>Why a trainer is built.</summary>
internal enum TrainerRole
{
    /// <summary>To score one setting of a hyper-parameter search.</summary>
    Tuning,

    /// <summary>To train the final model on all training rows, which is then measured on the test set.</summary>
    Final,
}
