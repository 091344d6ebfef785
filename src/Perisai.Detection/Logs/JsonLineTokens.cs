using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Perisai.Detection.Logs;

/// <summary>What <see cref="JsonLineTokens.Next"/> found.</summary>
internal enum JsonToken
{
    /// <summary>The line is not JSON this reader vouches for: the string path is to parse it (and word the error).</summary>
    Refused,
    /// <summary>The root object closed and nothing follows it.</summary>
    End,
    /// <summary>A property name (<see cref="JsonLineTokens.Start"/>, <see cref="JsonLineTokens.Length"/>).</summary>
    Name,
    /// <summary>An object or array opened (after a name, or as an element of an array).</summary>
    Open,
    /// <summary>An object or array closed.</summary>
    Close,
    /// <summary>A string value (<see cref="JsonLineTokens.Start"/>, <see cref="JsonLineTokens.Length"/>, <see cref="JsonLineTokens.Escaped"/>).</summary>
    String,
    /// <summary>A number, true, false or null.</summary>
    Scalar,
}

/// <summary>
/// The tokens of one line that is a JSON object (RFC 8259), for the line-rate prefilter: no allocation, compiled
/// optimized at once, and at least as strict as System.Text.Json's reading of the line (which the string path does):
/// whatever this reader accepts, that one accepts; where in doubt (escapes in names, nesting deeper than 32, an escape
/// it does not know), it refuses, and the line is parsed by the string path, which words the error. Byte offsets are
/// into the line; string contents are not unescaped (<see cref="Escaped"/> says whether they need it).
/// </summary>
internal ref struct JsonLineTokens
{
    /// <summary>
    /// Nesting the reader follows: well below the string path's 32, so that a line this reader accepts is never one
    /// that one refuses for its depth (an event nests four or five deep).
    /// </summary>
    public const int MaxDepth = 16;

    private readonly ReadOnlySpan<byte> _line;
    private int _i;
    private int _depth;
    private ulong _arrays; // bit d: the container at depth d is an array
    private State _state;

    private enum State
    {
        Start,
        NameOrClose, // after '{'
        Name, // after ',' in an object
        ValueOrClose, // after '['
        Value, // after ':' or ',' in an array
        CommaOrClose, // after a value
    }

    public JsonLineTokens(ReadOnlySpan<byte> line)
    {
        _line = line;
        _state = State.Start;
    }

    /// <summary>Where the last name or string's contents start (after the quote).</summary>
    public int Start { get; private set; }

    /// <summary>How long the last name or string's contents are (escapes as written).</summary>
    public int Length { get; private set; }

    /// <summary>Whether the last name or string holds an escape.</summary>
    public bool Escaped { get; private set; }

    /// <summary>Depth after the last token: 1 inside the root object.</summary>
    public readonly int Depth => _depth;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public JsonToken Next()
    {
        int i = SkipSpace(_line, _i);
        if (i >= _line.Length)
        {
            return JsonToken.Refused;
        }
        byte c = _line[i];
        switch (_state)
        {
            case State.Start:
                return c == '{' ? Open(i, array: false) : JsonToken.Refused;
            case State.NameOrClose or State.Name:
                if (c == '}' && _state == State.NameOrClose)
                {
                    return Close(i);
                }
                if (c != '"' || !String(i) || Escaped)
                {
                    return JsonToken.Refused;
                }
                i = SkipSpace(_line, Start + Length + 1);
                if (i >= _line.Length || _line[i] != ':')
                {
                    return JsonToken.Refused;
                }
                _i = i + 1;
                _state = State.Value;
                return JsonToken.Name;
            case State.ValueOrClose or State.Value:
                if (c == ']' && _state == State.ValueOrClose)
                {
                    return Close(i);
                }
                if (c is (byte)'{' or (byte)'[')
                {
                    return Open(i, array: c == '[');
                }
                if (c == '"')
                {
                    if (!String(i))
                    {
                        return JsonToken.Refused;
                    }
                    _i = Start + Length + 1;
                    _state = State.CommaOrClose;
                    return JsonToken.String;
                }
                int end = Scalar(_line, i);
                if (end < 0)
                {
                    return JsonToken.Refused;
                }
                _i = end;
                _state = State.CommaOrClose;
                return JsonToken.Scalar;
            default: // CommaOrClose
                bool array = (_arrays & (1UL << _depth)) != 0;
                if (c == ',')
                {
                    _i = i + 1;
                    _state = array ? State.Value : State.Name;
                    return Next();
                }
                return c == (array ? ']' : '}') ? Close(i) : JsonToken.Refused;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private JsonToken Open(int i, bool array)
    {
        if (_depth == MaxDepth)
        {
            return JsonToken.Refused;
        }
        _depth++;
        _arrays = array ? _arrays | (1UL << _depth) : _arrays & ~(1UL << _depth);
        _i = i + 1;
        _state = array ? State.ValueOrClose : State.NameOrClose;
        return JsonToken.Open;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private JsonToken Close(int i)
    {
        _depth--;
        _i = i + 1;
        _state = State.CommaOrClose;
        if (_depth > 0)
        {
            return JsonToken.Close;
        }
        // The root closed: only white space may follow.
        return SkipSpace(_line, _i) == _line.Length ? JsonToken.End : JsonToken.Refused;
    }

    /// <summary>Reads the string whose opening quote is at <paramref name="quote"/>; false when it is not valid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool String(int quote)
    {
        int i = quote + 1;
        bool escaped = false;
        while (true)
        {
            int k = Special(_line[i..]);
            if (k < 0)
            {
                return false; // no closing quote
            }
            i += k;
            byte c = _line[i];
            if (c == '"')
            {
                break;
            }
            if (c != '\\' || i + 1 >= _line.Length)
            {
                return false; // a control character, or a lone backslash at the end
            }
            escaped = true;
            byte e = _line[i + 1];
            if (e == 'u')
            {
                if (i + 6 > _line.Length || !IsHex(_line[i + 2]) || !IsHex(_line[i + 3]) || !IsHex(_line[i + 4]) || !IsHex(_line[i + 5]))
                {
                    return false;
                }
                i += 6;
            }
            else if (e is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t')
            {
                i += 2;
            }
            else
            {
                return false;
            }
        }
        Start = quote + 1;
        Length = i - Start;
        Escaped = escaped;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    /// <summary>The first quote, backslash or control character (which must be escaped in a string), or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Special(ReadOnlySpan<byte> s)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var quote = Vector256.Create((byte)'"');
            var backslash = Vector256.Create((byte)'\\');
            var space = Vector256.Create((byte)0x20);
            for (; i + Vector256<byte>.Count <= s.Length; i += Vector256<byte>.Count)
            {
                var v = Vector256.Create(s.Slice(i, Vector256<byte>.Count));
                uint mask = (Vector256.Equals(v, quote) | Vector256.Equals(v, backslash) | Vector256.LessThan(v, space)).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    return i + BitOperations.TrailingZeroCount(mask);
                }
            }
        }
        for (; i < s.Length; i++)
        {
            if (s[i] is (byte)'"' or (byte)'\\' or < 0x20)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// The end of the number or literal at <paramref name="i"/> (RFC 8259 §6: <c>-? (0 | [1-9][0-9]*) (. [0-9]+)?
    /// ([eE] [+-]? [0-9]+)?</c>; true, false, null), which a delimiter must follow; -1 when it is not one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Scalar(ReadOnlySpan<byte> s, int i)
    {
        int end;
        if (s[i..].StartsWith("true"u8) || s[i..].StartsWith("null"u8))
        {
            end = i + 4;
        }
        else if (s[i..].StartsWith("false"u8))
        {
            end = i + 5;
        }
        else
        {
            end = i;
            if (end < s.Length && s[end] == '-')
            {
                end++;
            }
            if (end >= s.Length || !char.IsAsciiDigit((char)s[end]))
            {
                return -1;
            }
            if (s[end] == '0')
            {
                end++;
            }
            else
            {
                end = Digits(s, end);
            }
            if (end < s.Length && s[end] == '.')
            {
                int after = Digits(s, end + 1);
                if (after == end + 1)
                {
                    return -1;
                }
                end = after;
            }
            if (end < s.Length && s[end] is (byte)'e' or (byte)'E')
            {
                end++;
                if (end < s.Length && s[end] is (byte)'+' or (byte)'-')
                {
                    end++;
                }
                int after = Digits(s, end);
                if (after == end)
                {
                    return -1;
                }
                end = after;
            }
        }
        return end == s.Length || s[end] is (byte)',' or (byte)']' or (byte)'}' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' ? end : -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Digits(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && char.IsAsciiDigit((char)s[i]))
        {
            i++;
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipSpace(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }
        return i;
    }
}
