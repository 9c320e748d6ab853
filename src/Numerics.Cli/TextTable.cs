// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Cli;

/// <summary>A plain-text table with columns sized to their contents (first column left-aligned, others right-aligned).</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers) => _headers = headers;

    public void Add(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"Expected {_headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void Write(TextWriter writer)
    {
        int[] widths = new int[_headers.Length];
        foreach (string[] row in _rows.Prepend(_headers))
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        WriteRow(writer, _headers, widths);
        writer.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (string[] row in _rows)
        {
            WriteRow(writer, row, widths);
        }
    }

    private static void WriteRow(TextWriter writer, string[] row, int[] widths)
    {
        var cells = new string[row.Length];
        for (int i = 0; i < row.Length; i++)
        {
            cells[i] = i == 0 ? row[i].PadRight(widths[i]) : row[i].PadLeft(widths[i]);
        }

        writer.WriteLine(string.Join("  ", cells).TrimEnd());
    }
}
