using System.Numerics;
using Cs231n.MLNet.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// Training-time data augmentation as the first layer of a network: in training mode every image is shifted by a
/// random offset of up to <see cref="MaxShift"/> pixels in each direction (the uncovered border is zero, as with
/// PyTorch's padded <c>RandomCrop</c>) and, when <see cref="HorizontalFlip"/> is set, mirrored left to right with
/// probability ½. Inference passes images through unchanged.
/// </summary>
/// <remarks>
/// The offsets of a minibatch are drawn in image order from one seeded generator before the images are transformed
/// in parallel, so the result does not depend on the thread count. The transform is linear, and backward applies its
/// transpose.
/// </remarks>
/// <typeparam name="T">The number type.</typeparam>
public sealed class ImageAugmentationLayer<T> : Layer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Action<int> _forwardImage, _backwardImage;
    private SeededRandom _random;
    private T[] _output = [], _inputGradient = [];
    private int[] _draws = [];
    private Matrix<T> _input, _currentOutput, _currentOutputGradient, _currentInputGradient;
    private bool _augmented;

    /// <summary>Creates the layer for images of <paramref name="shape"/>.</summary>
    /// <param name="shape">C×H×W of each row.</param>
    /// <param name="maxShift">Largest shift in pixels, vertically and horizontally (0 for none).</param>
    /// <param name="horizontalFlip">Whether to mirror half of the images left to right.</param>
    /// <param name="seed">Seed of the random draws.</param>
    public ImageAugmentationLayer(ImageShape shape, int maxShift, bool horizontalFlip, int seed = 0)
    {
        Shape = shape.Validated(nameof(shape));
        if (maxShift < 0 || maxShift >= Math.Min(shape.Height, shape.Width))
            throw new ArgumentOutOfRangeException(nameof(maxShift), maxShift, $"The largest shift must be in [0, {Math.Min(shape.Height, shape.Width)}) for {shape} images; got {maxShift}.");
        MaxShift = maxShift;
        HorizontalFlip = horizontalFlip;
        _random = new SeededRandom(seed);
        _forwardImage = ForwardImage;
        _backwardImage = BackwardImage;
    }

    /// <summary>C×H×W of each row.</summary>
    public ImageShape Shape { get; }

    /// <summary>Largest shift in pixels.</summary>
    public int MaxShift { get; }

    /// <summary>Whether half of the images are mirrored left to right.</summary>
    public bool HorizontalFlip { get; }

    /// <summary>Restarts the random draws from <paramref name="seed"/>.</summary>
    public void Reseed(int seed) => _random = new SeededRandom(seed);

    /// <inheritdoc/>
    public override int InputSize => Shape.Size;

    /// <inheritdoc/>
    public override int OutputSize => Shape.Size;

    /// <inheritdoc/>
    protected override Matrix<T> ForwardCore(Matrix<T> input, bool training)
    {
        _input = input;
        _augmented = training && (MaxShift > 0 || HorizontalFlip);
        if (!_augmented)
            return input;
        _currentOutput = Matrix<T>.Reuse(ref _output, input.Rows, OutputSize);
        if (_draws.Length < 3 * input.Rows)
            _draws = new int[3 * input.Rows];
        int span = 2 * MaxShift + 1;
        for (int i = 0; i < input.Rows; i++)
        {
            _draws[3 * i] = _random.NextInt(span) - MaxShift;
            _draws[3 * i + 1] = _random.NextInt(span) - MaxShift;
            _draws[3 * i + 2] = HorizontalFlip ? _random.NextInt(2) : 0;
        }
        ParallelWork.For(input.Rows, _forwardImage, worthParallelising: input.Rows > 1);
        return _currentOutput;
    }

    /// <inheritdoc/>
    protected override Matrix<T> BackwardCore(Matrix<T> outputGradient)
    {
        if (!ComputesInputGradient)
            return default;
        if (!_augmented)
            return outputGradient;
        _currentOutputGradient = outputGradient;
        _currentInputGradient = Matrix<T>.Reuse(ref _inputGradient, outputGradient.Rows, InputSize);
        ParallelWork.For(outputGradient.Rows, _backwardImage, worthParallelising: outputGradient.Rows > 1);
        return _currentInputGradient;
    }

    /// <summary>out[c, y, x] = in[c, y − dy, x' − dx] with x' = x or W − 1 − x; zero where that falls outside.</summary>
    private void ForwardImage(int image) => Transform(_input.Row(image), _currentOutput.Row(image), image, transpose: false);

    private void BackwardImage(int image) => Transform(_currentOutputGradient.Row(image), _currentInputGradient.Row(image), image, transpose: true);

    private void Transform(ReadOnlySpan<T> source, Span<T> target, int image, bool transpose)
    {
        int dy = _draws[3 * image], dx = _draws[3 * image + 1];
        bool flip = _draws[3 * image + 2] == 1;
        int h = Shape.Height, w = Shape.Width;
        target.Clear();
        for (int c = 0; c < Shape.Channels; c++)
        {
            int plane = c * h * w;
            for (int y = 0; y < h; y++)
            {
                int sy = y - dy;
                if (sy < 0 || sy >= h)
                    continue;
                for (int x = 0; x < w; x++)
                {
                    int sx = x - dx;
                    if (sx < 0 || sx >= w)
                        continue;
                    if (flip)
                        sx = w - 1 - sx;
                    int outIndex = plane + y * w + x, inIndex = plane + sy * w + sx;
                    if (transpose)
                        target[inIndex] = source[outIndex];
                    else
                        target[outIndex] = source[inIndex];
                }
            }
        }
    }
}
