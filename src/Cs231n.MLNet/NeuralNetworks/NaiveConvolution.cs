using System.Numerics;

namespace Cs231n.MLNet.NeuralNetworks;

/// <summary>
/// CS231n's conv_forward_naive and conv_backward_naive: the convolution written as its definition, loop by loop, as
/// the reference that <see cref="Conv2dLayer{T}"/>'s im2col/GEMM path is tested against. Far too slow for training.
/// </summary>
internal static class NaiveConvolution
{
    /// <summary>out[n, f, oy, ox] = b[f] + Σ_{c,i,j} w[f, c, i, j]·x_padded[n, c, oy·s + i, ox·s + j].</summary>
    public static T[] Forward<T>(T[] x, int rows, ImageShape input, T[] w, T[] b, int filters, int kernel, int stride, int padding)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new ConvolutionGeometry(input, kernel, stride, padding);
        int oh = g.OutputHeight, ow = g.OutputWidth;
        var output = new T[rows * filters * oh * ow];
        for (int n = 0; n < rows; n++)
        for (int f = 0; f < filters; f++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        {
            T sum = b[f];
            for (int c = 0; c < input.Channels; c++)
            for (int i = 0; i < kernel; i++)
            for (int j = 0; j < kernel; j++)
            {
                int iy = oy * stride - padding + i, ix = ox * stride - padding + j;
                if (iy >= 0 && iy < input.Height && ix >= 0 && ix < input.Width)
                    sum += w[((f * input.Channels + c) * kernel + i) * kernel + j] * x[((n * input.Channels + c) * input.Height + iy) * input.Width + ix];
            }
            output[((n * filters + f) * oh + oy) * ow + ox] = sum;
        }
        return output;
    }

    /// <summary>The gradients (dx, dw, db) of Σ out ⊙ dout, by the same loops.</summary>
    public static (T[] Dx, T[] Dw, T[] Db) Backward<T>(T[] x, int rows, ImageShape input, T[] w, int filters, int kernel, int stride, int padding, T[] dout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new ConvolutionGeometry(input, kernel, stride, padding);
        int oh = g.OutputHeight, ow = g.OutputWidth;
        var dx = new T[x.Length];
        var dw = new T[w.Length];
        var db = new T[filters];
        for (int n = 0; n < rows; n++)
        for (int f = 0; f < filters; f++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        {
            T d = dout[((n * filters + f) * oh + oy) * ow + ox];
            db[f] += d;
            for (int c = 0; c < input.Channels; c++)
            for (int i = 0; i < kernel; i++)
            for (int j = 0; j < kernel; j++)
            {
                int iy = oy * stride - padding + i, ix = ox * stride - padding + j;
                if (iy < 0 || iy >= input.Height || ix < 0 || ix >= input.Width)
                    continue;
                int wi = ((f * input.Channels + c) * kernel + i) * kernel + j;
                int xi = ((n * input.Channels + c) * input.Height + iy) * input.Width + ix;
                dw[wi] += d * x[xi];
                dx[xi] += d * w[wi];
            }
        }
        return (dx, dw, db);
    }
}
