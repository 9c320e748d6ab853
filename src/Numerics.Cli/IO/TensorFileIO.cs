// Licensed under the MIT License. See LICENSE in the repository root.

using Microsoft.Win32.SafeHandles;

namespace Numerics.Cli.IO;

/// <summary>Positional reads and element layout helpers shared by <see cref="NpyFile"/> and <see cref="SafetensorsFile"/>.</summary>
internal static class TensorFileIO
{
    public static SafeFileHandle OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>; a short read (the file shrank) is malformed input.</summary>
    public static void ReadExactly(SafeFileHandle handle, string path, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            int read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0)
            {
                throw TensorFileError.Create(path, $"unexpected end of file at byte {offset} (the file is shorter than its header says)");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }

    /// <summary>Throws <see cref="NotSupportedException"/> when <paramref name="bytes"/> cannot be held in one array.</summary>
    public static int CheckLoadable(string path, string what, long bytes)
    {
        if (bytes > Array.MaxLength)
        {
            throw new NotSupportedException($"{path}: {what} has {bytes} bytes, more than one array can hold ({Array.MaxLength}); read it in slices.");
        }

        return (int)bytes;
    }

    /// <summary>Reverses the bytes of every element in place (big-endian ⇄ little-endian).</summary>
    public static void SwapBytes(Span<byte> data, int elementSize)
    {
        if (elementSize == 1)
        {
            return;
        }

        for (int i = 0; i + elementSize <= data.Length; i += elementSize)
        {
            data.Slice(i, elementSize).Reverse();
        }
    }

    /// <summary>
    /// Permutes elements between row-major (C) and column-major (Fortran) order. With <paramref name="toRowMajor"/> the source
    /// is column-major and the destination row-major, otherwise the reverse. Walks the row-major multi-index like an odometer
    /// (last index fastest) while keeping the column-major offset, whose strides are 1, d0, d0·d1, ...
    /// </summary>
    public static void Transpose(ReadOnlySpan<byte> source, Span<byte> destination, ReadOnlySpan<long> shape, int elementSize, bool toRowMajor)
    {
        int rank = shape.Length;
        if (rank <= 1 || source.IsEmpty)
        {
            source.CopyTo(destination);
            return;
        }

        Span<long> fortranStride = rank <= 32 ? stackalloc long[rank] : new long[rank];
        Span<long> index = rank <= 32 ? stackalloc long[rank] : new long[rank];
        index.Clear();
        fortranStride[0] = 1;
        for (int k = 1; k < rank; k++)
        {
            fortranStride[k] = fortranStride[k - 1] * shape[k - 1];
        }

        long count = source.Length / elementSize;
        long fortranOffset = 0;
        for (long c = 0; c < count; c++)
        {
            ReadOnlySpan<byte> from = toRowMajor ? source.Slice((int)(fortranOffset * elementSize), elementSize) : source.Slice((int)(c * elementSize), elementSize);
            from.CopyTo(toRowMajor ? destination.Slice((int)(c * elementSize), elementSize) : destination.Slice((int)(fortranOffset * elementSize), elementSize));

            // Odometer step on the row-major index.
            for (int k = rank - 1; k >= 0; k--)
            {
                index[k]++;
                fortranOffset += fortranStride[k];
                if (index[k] < shape[k])
                {
                    break;
                }

                fortranOffset -= index[k] * fortranStride[k];
                index[k] = 0;
            }
        }
    }
}
