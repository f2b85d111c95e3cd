namespace Cs231n.MLNet.GradientChecking;

/// <summary>
/// Numerical gradient checking (CS231n's eval_numerical_gradient and grad_check_sparse): centred differences
/// (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h of a scalar function of a parameter array, compared with an analytic gradient by
/// relative error. Use double precision; with h = 1e-5 a correct smooth gradient typically agrees to 1e-8 or better.
/// <see cref="FiniteDifference.CentredFourthOrder"/> is available for functions whose gradients include tiny coordinates.
/// </summary>
/// <remarks>
/// The function is called with the parameter array itself, perturbed in place one coordinate at a time and restored
/// afterwards, so it may equally read the array through a captured reference (for example a layer's weights).
/// </remarks>
public static class GradientCheck
{
    /// <summary>The default step of <see cref="FiniteDifference.Centred"/>.</summary>
    public const double DefaultStep = 1e-5;

    /// <summary>The default step of <see cref="FiniteDifference.CentredFourthOrder"/>.</summary>
    public const double DefaultFourthOrderStep = 1e-3;

    /// <summary>|a − n| / max(|a|, |n|), defined as 0 when both are 0.</summary>
    /// <remarks>
    /// A coordinate whose exact gradient is 0 (for example the weights of a ReLU unit that is off for every example)
    /// compares against pure finite-difference noise and scores 1; use enough examples that no unit is silent.
    /// </remarks>
    public static double RelativeError(double analytic, double numerical)
    {
        double scale = Math.Max(Math.Abs(analytic), Math.Abs(numerical));
        return scale == 0 ? 0 : Math.Abs(analytic - numerical) / scale;
    }

    /// <summary>The centred-difference gradient of <paramref name="function"/> at every coordinate of <paramref name="parameters"/>.</summary>
    public static double[] NumericalGradient(Func<double[], double> function, double[] parameters, double? step = null, FiniteDifference formula = FiniteDifference.Centred)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(parameters);
        double h = StepFor(step, formula);
        var gradient = new double[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
            gradient[i] = Difference(function, parameters, i, h, formula);
        return gradient;
    }

    /// <summary>Compares <paramref name="analyticGradient"/> with the numerical gradient at every coordinate.</summary>
    public static GradientCheckResult Check(Func<double[], double> function, double[] parameters, ReadOnlySpan<double> analyticGradient, double? step = null, FiniteDifference formula = FiniteDifference.Centred)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckLength(parameters, analyticGradient);
        return Compare(analyticGradient, NumericalGradient(function, parameters, step, formula));
    }

    /// <summary>
    /// Compares <paramref name="analyticGradient"/> with the numerical gradient at <paramref name="samples"/> coordinates
    /// drawn uniformly (with replacement) by a generator seeded with <paramref name="seed"/>: for parameters too large
    /// to difference in full.
    /// </summary>
    public static GradientCheckResult CheckSparse(Func<double[], double> function, double[] parameters, ReadOnlySpan<double> analyticGradient,
        int samples, int seed = 0, double? step = null, FiniteDifference formula = FiniteDifference.Centred)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(parameters);
        CheckLength(parameters, analyticGradient);
        double h = StepFor(step, formula);
        if (samples < 1)
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"A sparse gradient check needs at least one sample; got {samples}.");
        if (parameters.Length == 0)
            return new GradientCheckResult(0, -1, 0, 0, 0);
        var random = new NeuralNetworks.SeededRandom(seed);
        double worst = -1;
        int worstIndex = -1;
        double worstNumerical = 0;
        for (int s = 0; s < samples; s++)
        {
            int i = random.NextInt(parameters.Length);
            double numerical = Difference(function, parameters, i, h, formula);
            double error = RelativeError(analyticGradient[i], numerical);
            if (error > worst || double.IsNaN(error))
            {
                worst = error;
                worstIndex = i;
                worstNumerical = numerical;
                if (double.IsNaN(error))
                    break;
            }
        }
        return new GradientCheckResult(worst, worstIndex, analyticGradient[worstIndex], worstNumerical, samples);
    }

    /// <summary>Compares two gradients coordinate by coordinate.</summary>
    public static GradientCheckResult Compare(ReadOnlySpan<double> analyticGradient, ReadOnlySpan<double> numericalGradient)
    {
        if (analyticGradient.Length != numericalGradient.Length)
            throw new ArgumentException($"The analytic gradient has {analyticGradient.Length} values but the numerical one has {numericalGradient.Length}.", nameof(numericalGradient));
        if (analyticGradient.Length == 0)
            return new GradientCheckResult(0, -1, 0, 0, 0);
        double worst = -1;
        int worstIndex = 0;
        for (int i = 0; i < analyticGradient.Length; i++)
        {
            double error = RelativeError(analyticGradient[i], numericalGradient[i]);
            if (error > worst || double.IsNaN(error))
            {
                worst = error;
                worstIndex = i;
                if (double.IsNaN(error))
                    break;
            }
        }
        return new GradientCheckResult(worst, worstIndex, analyticGradient[worstIndex], numericalGradient[worstIndex], analyticGradient.Length);
    }

    private static double Difference(Func<double[], double> function, double[] parameters, int index, double step, FiniteDifference formula)
    {
        double original = parameters[index];
        double At(double offset)
        {
            parameters[index] = original + offset;
            return function(parameters);
        }
        try
        {
            if (formula == FiniteDifference.CentredFourthOrder)
                return (At(-2 * step) - 8 * At(-step) + 8 * At(step) - At(2 * step)) / (12 * step);
            return (At(step) - At(-step)) / (2 * step);
        }
        finally
        {
            parameters[index] = original;
        }
    }

    private static void CheckLength(double[] parameters, ReadOnlySpan<double> analyticGradient)
    {
        if (analyticGradient.Length != parameters.Length)
            throw new ArgumentException($"The analytic gradient has {analyticGradient.Length} values but there are {parameters.Length} parameters.", nameof(analyticGradient));
    }

    private static double StepFor(double? step, FiniteDifference formula)
    {
        if (!Enum.IsDefined(formula))
            throw new ArgumentOutOfRangeException(nameof(formula), formula, $"Unknown difference formula {formula}.");
        double h = step ?? (formula == FiniteDifference.CentredFourthOrder ? DefaultFourthOrderStep : DefaultStep);
        if (!(h > 0 && double.IsFinite(h)))
            throw new ArgumentOutOfRangeException(nameof(step), h, $"The finite-difference step must be positive; got {h}.");
        return h;
    }
}
