// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Cli;

/// <summary>A one-line progress bar on stderr; silent when stderr is redirected (CI logs, pipes).</summary>
internal sealed class ConsoleProgress : IProgress<(int Done, int Total, string What)>
{
    private readonly TextWriter _writer;
    private readonly bool _enabled;

    public ConsoleProgress(TextWriter writer)
    {
        _writer = writer;
        _enabled = ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;
    }

    public void Report((int Done, int Total, string What) value)
    {
        if (!_enabled || value.Total == 0)
        {
            return;
        }

        const int Width = 30;
        int filled = value.Done * Width / value.Total;
        string line = $"[{new string('#', filled)}{new string('.', Width - filled)}] {value.Done}/{value.Total} {value.What}";
        _writer.Write("\r" + (line.Length > 100 ? line[..100] : line.PadRight(100)));
    }

    public void Clear()
    {
        if (_enabled)
        {
            _writer.Write("\r" + new string(' ', 100) + "\r");
        }
    }
}
