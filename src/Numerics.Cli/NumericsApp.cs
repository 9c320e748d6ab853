// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using Numerics.Cli.Commands;

namespace Numerics.Cli;

/// <summary>Builds the command tree and maps failures to exit codes.</summary>
internal static class NumericsApp
{
    public const int Success = 0;
    public const int UnexpectedFailure = 1;
    public const int BadInput = 2;

    public static RootCommand BuildRoot(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand(
            "numerics: evaluate low-precision formats and quantizers on your tensors. Run 'numerics report' for the accuracy table on a built-in LLM-like tensor.");
        root.Subcommands.Add(FormatsCommand.Create(stdout));
        root.Subcommands.Add(ReportCommand.Create(stdout, stderr));
        root.Subcommands.Add(ChopCommand.Create(stdout));
        root.Subcommands.Add(QuantizeCommand.Create(stdout));
        return root;
    }

    /// <summary>Parses and runs a command line; never throws.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            RootCommand root = BuildRoot(stdout, stderr);
            ParseResult parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                // The most specific error first: an unknown token says more than a missing subcommand.
                System.CommandLine.Parsing.ParseError error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
                stderr.WriteLine($"numerics: {error.Message} (see 'numerics --help')");
                return BadInput;
            }

            var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
            return parse.Invoke(configuration);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"numerics: {e.Message}");
            return BadInput;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // A file that cannot be read or written (missing, a directory, no permission, locked) is a bad argument, not a crash.
            stderr.WriteLine($"numerics: {e.Message.ReplaceLineEndings(" ")}");
            return BadInput;
        }
#pragma warning disable CA1031 // The tool's contract: any other failure is exit code 1 with one line, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"numerics: unexpected failure: {e.GetType().Name}: {e.Message}");
            return UnexpectedFailure;
        }
    }
}
