// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Numerics.Cli.IO;

/// <summary>
/// Parses the Python dict literal of a <c>.npy</c> header, for example
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }</c>: string keys, values that are strings, booleans or
/// tuples of non-negative integers (Python 2's <c>3L</c> accepted), trailing commas allowed, whitespace around everything.
/// Anything else (a structured dtype's list, nested tuples, expressions) is rejected. NumPy requires exactly the three keys.
/// </summary>
internal ref struct NpyHeaderParser
{
    private readonly string _text;
    private readonly string _path;
    private int _pos;

    private NpyHeaderParser(string text, string path)
    {
        _text = text;
        _path = path;
        _pos = 0;
    }

    public static (string Descr, bool FortranOrder, long[] Shape) Parse(string text, string path)
    {
        var parser = new NpyHeaderParser(text, path);
        return parser.ParseDict();
    }

    private (string Descr, bool FortranOrder, long[] Shape) ParseDict()
    {
        string? descr = null;
        bool? fortran = null;
        long[]? shape = null;
        Expect('{');
        while (true)
        {
            SkipSpace();
            if (Peek() == '}')
            {
                _pos++;
                break;
            }

            string key = ParseString();
            Expect(':');
            SkipSpace();
            switch (key)
            {
                case "descr" when descr is null:
                    if (Peek() is not ('\'' or '"'))
                    {
                        throw Fail("'descr' is not a type string (structured and subarray dtypes are not supported)");
                    }

                    descr = ParseString();
                    break;
                case "fortran_order" when fortran is null:
                    fortran = ParseBool();
                    break;
                case "shape" when shape is null:
                    shape = ParseShape();
                    break;
                case "descr" or "fortran_order" or "shape":
                    throw Fail($"duplicate key '{key}'");
                default:
                    throw Fail($"unexpected key {TensorFileError.Quote(key)} (an npy header has exactly 'descr', 'fortran_order' and 'shape')");
            }

            SkipSpace();
            char c = Peek();
            if (c == ',')
            {
                _pos++;
            }
            else if (c != '}')
            {
                throw Fail($"expected ',' or '}}' at header offset {_pos}");
            }
        }

        SkipSpace();
        if (_pos != _text.Length)
        {
            throw Fail($"unexpected text after the closing '}}' at header offset {_pos}");
        }

        if (descr is null || fortran is null || shape is null)
        {
            throw Fail($"missing key '{(descr is null ? "descr" : fortran is null ? "fortran_order" : "shape")}'");
        }

        return (descr, fortran.Value, shape);
    }

    private long[] ParseShape()
    {
        Expect('(');
        var dims = new List<long>();
        bool trailingComma = false;
        while (true)
        {
            SkipSpace();
            if (Peek() == ')')
            {
                _pos++;
                break;
            }

            if (dims.Count > 0 && !trailingComma)
            {
                throw Fail($"expected ',' or ')' in 'shape' at header offset {_pos}");
            }

            dims.Add(ParseDimension());
            SkipSpace();
            trailingComma = Peek() == ',';
            if (trailingComma)
            {
                _pos++;
            }
        }

        // Python: "(3)" is the integer 3, not a tuple.
        if (dims.Count == 1 && !trailingComma)
        {
            throw Fail("'shape' is not a tuple: a one-element tuple needs a trailing comma, (3,)");
        }

        return [.. dims];
    }

    private long ParseDimension()
    {
        int start = _pos;
        if (Peek() == '-')
        {
            throw Fail($"negative dimension in 'shape' at header offset {_pos}");
        }

        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }

        if (_pos == start)
        {
            throw Fail($"expected a dimension in 'shape' at header offset {_pos}");
        }

        if (!long.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            throw Fail($"dimension {TensorFileError.Quote(_text[start.._pos])} in 'shape' is too large");
        }

        if (Peek() is 'L' or 'l')
        {
            _pos++;
        }

        return value;
    }

    private bool ParseBool()
    {
        if (string.CompareOrdinal(_text, _pos, "True", 0, 4) == 0)
        {
            _pos += 4;
            return true;
        }

        if (string.CompareOrdinal(_text, _pos, "False", 0, 5) == 0)
        {
            _pos += 5;
            return false;
        }

        throw Fail($"'fortran_order' is not True or False at header offset {_pos}");
    }

    private string ParseString()
    {
        SkipSpace();
        char quote = Peek();
        if (quote is not ('\'' or '"'))
        {
            throw Fail($"expected a quoted string at header offset {_pos}");
        }

        _pos++;
        var value = new System.Text.StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Fail("unterminated string");
            }

            char c = _text[_pos++];
            if (c == quote)
            {
                return value.ToString();
            }

            if (c == '\\')
            {
                if (_pos >= _text.Length)
                {
                    throw Fail("unterminated string");
                }

                c = _text[_pos++];
            }

            value.Append(c);
        }
    }

    private void Expect(char expected)
    {
        SkipSpace();
        if (Peek() != expected)
        {
            throw Fail($"expected '{expected}' at header offset {_pos}");
        }

        _pos++;
    }

    private readonly char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void SkipSpace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r')
        {
            _pos++;
        }
    }

    private readonly InvalidDataException Fail(string problem) => TensorFileError.Create(_path, "npy header: " + problem);
}
