using System.Globalization;
using System.Text;
using Perisai.Stix;

namespace Perisai.Patterning.Syntax;

/// <summary>
/// Splits a pattern into tokens (the lexer rules of shared/specs/STIXPattern.g4). Never throws: every bad token is
/// reported as an error and lexing goes on, so one pass reports all of them. Linear in the pattern's length.
/// </summary>
public sealed class Lexer
{
    private readonly string _text;
    private readonly List<PatternError> _errors;
    private int _pos;

    private Lexer(string text, List<PatternError> errors) => (_text, _errors) = (text, errors);

    /// <summary>STIX integers are 54-bit signed (STIX 2.1 §2.10).</summary>
    public const long MaxInteger = (1L << 53) - 1;

    /// <summary>The tokens of <paramref name="text"/>, ending with one <see cref="TokenKind.End"/>; errors go to <paramref name="errors"/>.</summary>
    public static List<Token> Tokenize(string text, List<PatternError> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(errors);
        var lexer = new Lexer(text, errors);
        var tokens = new List<Token>();
        while (true)
        {
            var t = lexer.Next();
            tokens.Add(t);
            if (t.Kind == TokenKind.End)
            {
                return tokens;
            }
        }
    }

    private void Error(string code, int start, string message) => _errors.Add(new PatternError(code, start + 1, message));

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private bool AtEnd(int ahead = 0) => _pos + ahead >= _text.Length;

    private Token Next()
    {
        SkipTrivia();
        int start = _pos;
        if (AtEnd())
        {
            return new Token(TokenKind.End, start, 0, "");
        }
        char c = _text[_pos];
        switch (c)
        {
            case '[': _pos++; return new Token(TokenKind.LBracket, start, 1, "[");
            case ']': _pos++; return new Token(TokenKind.RBracket, start, 1, "]");
            case '(': _pos++; return new Token(TokenKind.LParen, start, 1, "(");
            case ')': _pos++; return new Token(TokenKind.RParen, start, 1, ")");
            case ':': _pos++; return new Token(TokenKind.Colon, start, 1, ":");
            case ',': _pos++; return new Token(TokenKind.Comma, start, 1, ",");
            case '*': _pos++; return new Token(TokenKind.Asterisk, start, 1, "*");
            case '=':
                _pos += Peek(1) == '=' ? 2 : 1;
                return new Token(TokenKind.Eq, start, _pos - start, "=");
            case '!' when Peek(1) == '=':
                _pos += 2;
                return new Token(TokenKind.Neq, start, 2, "!=");
            case '<':
                if (Peek(1) == '>')
                {
                    _pos += 2;
                    return new Token(TokenKind.Neq, start, 2, "!=");
                }
                if (Peek(1) == '=')
                {
                    _pos += 2;
                    return new Token(TokenKind.Le, start, 2, "<=");
                }
                _pos++;
                return new Token(TokenKind.Lt, start, 1, "<");
            case '>':
                if (Peek(1) == '=')
                {
                    _pos += 2;
                    return new Token(TokenKind.Ge, start, 2, ">=");
                }
                _pos++;
                return new Token(TokenKind.Gt, start, 1, ">");
            case '\'':
                return StringToken(start);
            case '.' when !char.IsAsciiDigit(Peek(1)):
                _pos++;
                return new Token(TokenKind.Dot, start, 1, ".");
            case 'b' or 'h' or 't' when Peek(1) == '\'':
                return PrefixedLiteral(start, c);
        }
        if (char.IsAsciiDigit(c) || c == '.' || ((c == '+' || c == '-') && (char.IsAsciiDigit(Peek(1)) || (Peek(1) == '.' && char.IsAsciiDigit(Peek(2))))))
        {
            return Number(start);
        }
        if (char.IsAsciiLetter(c) || c == '_')
        {
            return Word(start);
        }
        // One error for a run of unusable characters, not one per character.
        _pos += char.IsSurrogatePair(_text, _pos) ? 2 : 1;
        while (!AtEnd() && !StartsToken(_text[_pos]))
        {
            _pos++;
        }
        Error(PatternErrorCode.InvalidCharacter, start, PatternMessages.UnexpectedCharacter(_text.Substring(start, char.IsSurrogatePair(_text, start) ? 2 : 1)));
        return new Token(TokenKind.Invalid, start, _pos - start, _text[start.._pos]);
    }

    private static bool StartsToken(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '[' or ']' or '(' or ')' or ':' or ',' or '*' or '=' or '!' or '<' or '>' or '\'' or '.' or '_' or '+' or '-' or '/' || IsWhitespace(c);

    /// <summary>The grammar's WS rule: Unicode White_Space (STIX 2.1 §9.4), plus comments.</summary>
    private void SkipTrivia()
    {
        while (!AtEnd())
        {
            char c = _text[_pos];
            if (IsWhitespace(c))
            {
                _pos++;
            }
            else if (c == '/' && Peek(1) == '*')
            {
                int start = _pos;
                int end = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    Error(PatternErrorCode.UnterminatedComment, start, PatternMessages.UnclosedComment);
                    _pos = _text.Length;
                    return;
                }
                _pos = end + 2;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                while (!AtEnd() && _text[_pos] is not ('\r' or '\n'))
                {
                    _pos++;
                }
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>Unicode White_Space: the code points the grammar lists.</summary>
    internal static bool IsWhitespace(char c) => c switch
    {
        ' ' or '\t' or '\r' or '\n' or '\u000B' or '\u000C' or '\u0085' or '\u00A0' or '\u1680' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' => true,
        >= '\u2000' and <= '\u200A' => true,
        _ => false,
    };

    private Token Word(int start)
    {
        bool hyphen = false;
        _pos++;
        while (!AtEnd())
        {
            char c = _text[_pos];
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                _pos++;
            }
            else if (c == '-' && (char.IsAsciiLetterOrDigit(Peek(1)) || Peek(1) == '_' || Peek(1) == '-'))
            {
                hyphen = true;
                _pos++;
            }
            else
            {
                break;
            }
        }
        string word = _text[start.._pos];
        var kind = word switch
        {
            "AND" => TokenKind.And,
            "OR" => TokenKind.Or,
            "NOT" => TokenKind.Not,
            "FOLLOWEDBY" => TokenKind.FollowedBy,
            "LIKE" => TokenKind.Like,
            "MATCHES" => TokenKind.Matches,
            "ISSUPERSET" => TokenKind.IsSuperset,
            "ISSUBSET" => TokenKind.IsSubset,
            "EXISTS" => TokenKind.Exists,
            "LAST" => TokenKind.Last,
            "IN" => TokenKind.In,
            "START" => TokenKind.Start,
            "STOP" => TokenKind.Stop,
            "SECONDS" => TokenKind.Seconds,
            "WITHIN" => TokenKind.Within,
            "REPEATS" => TokenKind.Repeats,
            "TIMES" => TokenKind.Times,
            "true" or "false" => TokenKind.Boolean,
            _ => TokenKind.Identifier,
        };
        return new Token(kind, start, _pos - start, word, kind == TokenKind.Boolean ? word == "true" : null, hyphen);
    }

    private Token Number(int start)
    {
        // IntPosLiteral / IntNegLiteral / FloatPosLiteral / FloatNegLiteral. Read the longest run of sign, digits and
        // one dot, then judge it, so "007" or "1." is one token with one error, not two tokens.
        if (_text[_pos] is '+' or '-')
        {
            _pos++;
        }
        int digitsStart = _pos;
        while (char.IsAsciiDigit(Peek()))
        {
            _pos++;
        }
        int intDigits = _pos - digitsStart;
        bool isFloat = false;
        int fraction = 0;
        if (Peek() == '.' && char.IsAsciiDigit(Peek(1)))
        {
            isFloat = true;
            _pos++;
            while (char.IsAsciiDigit(Peek()))
            {
                _pos++;
                fraction++;
            }
        }
        else if (Peek() == '.' && intDigits > 0 && !char.IsAsciiLetter(Peek(1)) && Peek(1) != '\'')
        {
            _pos++;
            Error(PatternErrorCode.InvalidNumber, start, PatternMessages.NoFractionDigits(_text[start.._pos]));
            return new Token(TokenKind.BrokenLiteral, start, _pos - start, _text[start.._pos]);
        }
        string text = _text[start.._pos];
        if (isFloat)
        {
            if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double d) || double.IsInfinity(d))
            {
                Error(PatternErrorCode.InvalidNumber, start, PatternMessages.FloatOutOfRange(text));
                return new Token(TokenKind.BrokenLiteral, start, text.Length, text);
            }
            return new Token(TokenKind.FloatLiteral, start, text.Length, text, d);
        }
        if (intDigits > 1 && _text[digitsStart] == '0')
        {
            Error(PatternErrorCode.InvalidNumber, start, PatternMessages.LeadingZeros(text));
            return new Token(TokenKind.BrokenLiteral, start, text.Length, text);
        }
        if (intDigits > 16 || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) || n > MaxInteger || n < -MaxInteger)
        {
            Error(PatternErrorCode.IntegerOutOfRange, start, PatternMessages.IntegerOutOfRange(text));
            return new Token(TokenKind.BrokenLiteral, start, text.Length, text);
        }
        return new Token(TokenKind.IntegerLiteral, start, text.Length, text, n);
    }

    /// <summary>Reads from the opening apostrophe at <see cref="_pos"/> to the closing one; null when never closed.</summary>
    private string? Quoted(int start, bool escapes)
    {
        var sb = new StringBuilder();
        _pos++;
        while (!AtEnd())
        {
            char c = _text[_pos];
            if (c == '\'')
            {
                _pos++;
                return sb.ToString();
            }
            if (c == '\\' && escapes)
            {
                char n = Peek(1);
                if (n is '\'' or '\\')
                {
                    sb.Append(n);
                    _pos += 2;
                    continue;
                }
                // STIX 2.1 §9.2: only an apostrophe or a backslash may follow the escape character.
                Error(PatternErrorCode.InvalidEscape, _pos, AtEnd(1)
                    ? PatternMessages.TrailingBackslash
                    : PatternMessages.NotAnEscape(n));
                sb.Append(c);
                _pos++;
                continue;
            }
            sb.Append(c);
            _pos++;
        }
        Error(PatternErrorCode.UnterminatedString, start, PatternMessages.UnclosedString);
        return null;
    }

    private Token StringToken(int start)
    {
        int before = _errors.Count;
        string? s = Quoted(start, escapes: true);
        var kind = s is null ? TokenKind.Invalid : _errors.Count > before ? TokenKind.BrokenLiteral : TokenKind.StringLiteral;
        return new Token(kind, start, _pos - start, s ?? "", s);
    }

    private Token PrefixedLiteral(int start, char prefix)
    {
        _pos++;
        string? body = Quoted(start, escapes: false);
        if (body is null)
        {
            return new Token(TokenKind.Invalid, start, _pos - start, "");
        }
        switch (prefix)
        {
            case 'h':
            {
                // §9.2: an even number of hex digits.
                if (body.Length % 2 != 0 || !body.All(char.IsAsciiHexDigit))
                {
                    Error(PatternErrorCode.InvalidHex, start, PatternMessages.NotHex(Shorten(body)));
                    return new Token(TokenKind.BrokenLiteral, start, _pos - start, body);
                }
                return new Token(TokenKind.Hex, start, _pos - start, body, Convert.FromHexString(body));
            }
            case 'b':
            {
                // §9.2: base64 (RFC 4648); line feeds in the data are ignored.
                string data = body.Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
                byte[]? bytes = Base64(data);
                if (bytes is null)
                {
                    Error(PatternErrorCode.InvalidBinary, start, PatternMessages.NotBase64(Shorten(body)));
                    return new Token(TokenKind.BrokenLiteral, start, _pos - start, body);
                }
                return new Token(TokenKind.Binary, start, _pos - start, data, bytes);
            }
            default:
            {
                // One reading of STIX timestamps across the project (StixTimestamp, §2.16), so a pattern's constant
                // and an observation's time are the same kind of value. It refuses a leap second (:60), which the
                // pattern grammar would admit: no time Perisai stores can be one, so such a constant could match nothing.
                if (!StixTimestamp.TryParse(body, out var ts))
                {
                    Error(PatternErrorCode.InvalidTimestamp, start, PatternMessages.NotTimestamp(Shorten(body)));
                    return new Token(TokenKind.BrokenLiteral, start, _pos - start, body);
                }
                return new Token(TokenKind.Timestamp, start, _pos - start, body, ts.Value);
            }
        }
    }

    private static byte[]? Base64(string data)
    {
        if (data.Length % 4 != 0)
        {
            return null;
        }
        foreach (char c in data.AsSpan().TrimEnd('='))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/'))
            {
                return null;
            }
        }
        if (data.Length - data.AsSpan().TrimEnd('=').Length > 2)
        {
            return null;
        }
        try
        {
            return Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A literal quoted back in a message, cut short: a megabyte literal must not make a megabyte message.</summary>
    internal static string Shorten(string s) => s.Length <= 40 ? s : string.Concat(s.AsSpan(0, 37), "...");
}
