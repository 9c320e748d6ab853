// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Cli;

/// <summary>A bad argument or a malformed input file: reported on one line of stderr with exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UsageException()
    {
    }
}
