using System.Buffers.Binary;

namespace Cs231n.MLNet.Data;

/// <summary>
/// Checks that a file is a structurally complete PNG, JPEG or BMP image without decoding its pixels, so the
/// package needs no image codec: PNG chunk lengths and CRCs up to <c>IEND</c>; JPEG markers, a frame header and the
/// end-of-image marker; BMP header, size and pixel-row extent. This catches empty, truncated, mislabelled and
/// corrupted files — what makes ML.NET's <c>LoadImages</c> fail in the middle of training.
/// </summary>
internal static class ImageFileCheck
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Why the file cannot be read as an image, or <see langword="null"/> when it looks complete.</summary>
    public static string? FindProblem(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be opened: {e.Message}";
        }
        if (bytes.Length == 0)
            return "is empty (0 bytes)";
        if (bytes.AsSpan().StartsWith(PngSignature))
            return CheckPng(bytes);
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF)
            return CheckJpeg(bytes);
        if (bytes.Length >= 2 && bytes[0] == (byte)'B' && bytes[1] == (byte)'M')
            return CheckBmp(bytes);
        return $"is not a PNG, JPEG or BMP image: it starts with {Convert.ToHexString(bytes.AsSpan(0, Math.Min(8, bytes.Length)))}";
    }

    private static string? CheckPng(byte[] bytes)
    {
        long length = bytes.Length;
        long position = PngSignature.Length;
        bool first = true, sawData = false;
        while (true)
        {
            if (position + 12 > length)
                return $"PNG is truncated: it ends at byte offset {length}, inside the chunk header at byte offset {position} (no IEND chunk)";
            long dataLength = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan((int)position, 4));
            string type = System.Text.Encoding.ASCII.GetString(bytes, (int)position + 4, 4);
            if (position + 12 + dataLength > length)
                return $"PNG is truncated: chunk '{type}' at byte offset {position} declares {dataLength} data bytes, but the file ends at byte offset {length}";
            var typeAndData = bytes.AsSpan((int)position + 4, 4 + (int)dataLength);
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan((int)(position + 8 + dataLength), 4));
            if (Crc32(typeAndData) != storedCrc)
                return $"PNG is corrupted: chunk '{type}' at byte offset {position} fails its CRC check";
            if (first)
            {
                if (type != "IHDR" || dataLength != 13)
                    return $"PNG is corrupted: its first chunk (byte offset {position}) is '{type}' of {dataLength} bytes, not a 13-byte IHDR";
                uint width = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan((int)position + 8, 4));
                uint height = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan((int)position + 12, 4));
                if (width == 0 || height == 0)
                    return $"PNG is corrupted: its header declares a {width}×{height} image";
                first = false;
            }
            if (type == "IDAT")
                sawData = true;
            if (type == "IEND")
                return sawData ? null : "PNG has no image data (no IDAT chunk before IEND)";
            position += 12 + dataLength;
        }
    }

    private static string? CheckJpeg(byte[] bytes)
    {
        int length = bytes.Length;
        int position = 2;
        bool sawFrame = false;
        while (true)
        {
            if (position >= length)
                return $"JPEG is truncated: it ends at byte offset {length}, before any image data";
            if (bytes[position] != 0xFF)
                return $"JPEG is corrupted: expected a marker at byte offset {position}, found 0x{bytes[position]:X2}";
            int markerOffset = position;
            while (position < length && bytes[position] == 0xFF)
                position++;
            if (position >= length)
                return $"JPEG is truncated: it ends at byte offset {length}, inside the marker at byte offset {markerOffset}";
            byte marker = bytes[position++];
            if (marker == 0xD9)
                return $"JPEG is corrupted: it ends (marker FFD9 at byte offset {markerOffset}) before any image data";
            if (marker == 0x01 || marker is >= 0xD0 and <= 0xD7)
                continue;
            if (position + 2 > length)
                return $"JPEG is truncated: it ends at byte offset {length}, inside segment FF{marker:X2} at byte offset {markerOffset}";
            int segmentLength = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(position, 2));
            if (segmentLength < 2)
                return $"JPEG is corrupted: segment FF{marker:X2} at byte offset {markerOffset} declares a length of {segmentLength}";
            if (position + segmentLength > length)
                return $"JPEG is truncated: segment FF{marker:X2} at byte offset {markerOffset} declares {segmentLength} bytes, but the file ends at byte offset {length}";
            bool isFrame = marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC);
            if (isFrame)
            {
                if (segmentLength < 8)
                    return $"JPEG is corrupted: frame header at byte offset {markerOffset} is {segmentLength} bytes long";
                int width = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(position + 5, 2));
                if (width == 0)
                    return $"JPEG is corrupted: its frame header (byte offset {markerOffset}) declares a width of 0";
                sawFrame = true;
            }
            if (marker == 0xDA)
            {
                if (!sawFrame)
                    return $"JPEG is corrupted: the scan at byte offset {markerOffset} comes before any frame header (SOF)";
                int scanData = position + segmentLength;
                return bytes.AsSpan(scanData).IndexOf([(byte)0xFF, (byte)0xD9]) >= 0
                    ? null
                    : $"JPEG is truncated: no end-of-image marker (FFD9) after the scan at byte offset {markerOffset}; the file ends at byte offset {length}";
            }
            position += segmentLength;
        }
    }

    private static string? CheckBmp(byte[] bytes)
    {
        long length = bytes.Length;
        if (length < 26)
            return $"BMP is truncated: it ends at byte offset {length}, inside its headers";
        long dataOffset = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(10, 4));
        long headerSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(14, 4));
        if (14 + headerSize > length)
            return $"BMP is truncated: its {headerSize}-byte info header at byte offset 14 runs past the file end at byte offset {length}";
        long width, height;
        int bitsPerPixel;
        uint compression = 0;
        if (headerSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(18, 2));
            height = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(20, 2));
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(24, 2));
        }
        else if (headerSize >= 40)
        {
            width = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(18, 4));
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(22, 4)));
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(28, 2));
            compression = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(30, 4));
        }
        else
        {
            return $"BMP is corrupted: its info header size is {headerSize}, not a known BMP header size";
        }
        if (width <= 0 || height == 0)
            return $"BMP is corrupted: its header declares a {width}×{height} image";
        if (dataOffset >= length)
            return $"BMP is truncated: its pixel data should start at byte offset {dataOffset}, but the file ends at byte offset {length}";
        bool uncompressed = compression is 0 or 3 or 6;
        if (uncompressed && bitsPerPixel > 0)
        {
            long rowBytes = (bitsPerPixel * width + 31) / 32 * 4;
            long end = dataOffset + rowBytes * height;
            if (end > length)
                return $"BMP is truncated: its {height} rows of {rowBytes} bytes from byte offset {dataOffset} need the file to reach byte offset {end}, but it ends at byte offset {length}";
        }
        return null;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        // The CRC-32 of PNG (ISO 3309): reflected polynomial 0xEDB88320.
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
