using Cs231n.MLNet.MLNetInternals;

namespace Cs231n.MLNet.ConvolutionalNetworks;

/// <summary>How a <see cref="ConvNetLayer"/> is written into a saved model: a type tag, then its settings.</summary>
internal static class ConvNetLayerFormat
{
    private enum Tag
    {
        Convolution = 1,
        MaxPooling = 2,
        BatchNormalization = 3,
        Activation = 4,
        Dropout = 5,
        FullyConnected = 6,
    }

    public static void Write(BinaryWriter writer, ConvNetLayer layer)
    {
        switch (layer)
        {
            case Convolution c:
                writer.Write((int)Tag.Convolution);
                writer.Write(c.Filters);
                writer.Write(c.KernelSize);
                writer.Write(c.Stride);
                writer.Write(c.EffectivePadding);
                break;
            case MaxPooling p:
                writer.Write((int)Tag.MaxPooling);
                writer.Write(p.PoolSize);
                writer.Write(p.Stride ?? p.PoolSize);
                break;
            case BatchNormalization b:
                writer.Write((int)Tag.BatchNormalization);
                writer.Write(b.Momentum);
                break;
            case Activation a:
                writer.Write((int)Tag.Activation);
                writer.Write((int)a.Function);
                break;
            case Dropout d:
                writer.Write((int)Tag.Dropout);
                writer.Write(d.Rate);
                break;
            case FullyConnected f:
                writer.Write((int)Tag.FullyConnected);
                writer.Write(f.Units);
                break;
            default:
                throw new ArgumentException($"Cannot save a layer of type {layer.GetType().Name}.", nameof(layer));
        }
    }

    public static ConvNetLayer Read(ModelReader reader, int index)
    {
        string at = $"Layers[{index}]";
        var tag = reader.ReadEnum<Tag>($"{at}.Type");
        ConvNetLayer layer = tag switch
        {
            Tag.Convolution => new Convolution(reader.ReadInt32($"{at}.Filters", 1, 1 << 20), reader.ReadInt32($"{at}.KernelSize", 1, 1 << 12),
                reader.ReadInt32($"{at}.Stride", 1, 1 << 12), reader.ReadInt32($"{at}.Padding", 0, 1 << 12)),
            Tag.MaxPooling => new MaxPooling(reader.ReadInt32($"{at}.PoolSize", 1, 1 << 12), reader.ReadInt32($"{at}.Stride", 1, 1 << 12)),
            Tag.BatchNormalization => new BatchNormalization(reader.ReadDoubles($"{at}.Momentum", 1)[0]),
            Tag.Activation => new Activation(reader.ReadEnum<ActivationFunction>($"{at}.Function")),
            Tag.Dropout => new Dropout(reader.ReadDoubles($"{at}.Rate", 1)[0]),
            _ => new FullyConnected(reader.ReadInt32($"{at}.Units", 1, 1 << 24)),
        };
        try
        {
            layer.Validate(index);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new CorruptModelException($"The saved convolutional network has an invalid layer: {e.Message}", e);
        }
        return layer;
    }
}
