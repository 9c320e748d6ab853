// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text;

namespace Numerics.Cli.IO;

/// <summary>Builds the one-line <see cref="InvalidDataException"/> messages of the readers: "FILE: what is wrong".</summary>
internal static class TensorFileError
{
    private const int MaxQuotedLength = 80;

    public static InvalidDataException Create(string path, string problem) => new($"{path}: {problem}");

    public static InvalidDataException Create(string path, string problem, Exception inner) => new($"{path}: {problem}", inner);

    /// <summary>Quotes a string taken from an untrusted file for a one-line message: control characters escaped, long text cut.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder("'");
        foreach (char c in text.Length > MaxQuotedLength ? text[..MaxQuotedLength] : text)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        if (text.Length > MaxQuotedLength)
        {
            builder.Append("...");
        }

        return builder.Append('\'').ToString();
    }
}
