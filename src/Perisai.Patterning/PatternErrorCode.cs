namespace Perisai.Patterning;

/// <summary>
/// The codes of pattern errors. Codes are stable: scripts and the test corpus depend on them. (The message texts are
/// still written where each error is found: Lexer, Parser, Analyzer.)
/// </summary>
public static class PatternErrorCode
{
    /// <summary>A character that cannot start any token.</summary>
    public const string InvalidCharacter = "PAT001";

    /// <summary>A string (or b'', h'', t'') literal without its closing apostrophe.</summary>
    public const string UnterminatedString = "PAT002";

    /// <summary>A backslash followed by something other than an apostrophe or a backslash (STIX 2.1 §9.2).</summary>
    public const string InvalidEscape = "PAT003";

    /// <summary>A number the grammar does not allow (leading zeros, a sign alone, a trailing dot).</summary>
    public const string InvalidNumber = "PAT004";

    /// <summary>An integer outside the range of the STIX integer type (STIX 2.1 §2.7).</summary>
    public const string IntegerOutOfRange = "PAT005";

    /// <summary>A hex literal with an odd number of digits or a character that is not a hex digit (§9.2).</summary>
    public const string InvalidHex = "PAT006";

    /// <summary>A binary literal that is not valid base64 (§9.2, RFC 4648).</summary>
    public const string InvalidBinary = "PAT007";

    /// <summary>A timestamp literal that is not a valid STIX timestamp (§2.16).</summary>
    public const string InvalidTimestamp = "PAT008";

    /// <summary>A comment that is never closed.</summary>
    public const string UnterminatedComment = "PAT009";

    /// <summary>A token other than the one the grammar needs here.</summary>
    public const string Unexpected = "PAT010";

    /// <summary>The pattern ends where the grammar needs more.</summary>
    public const string UnexpectedEnd = "PAT011";

    /// <summary>Something after a complete pattern.</summary>
    public const string TrailingInput = "PAT012";

    /// <summary>Brackets and parentheses nested deeper than <see cref="Syntax.Parser.MaxDepth"/>.</summary>
    public const string TooDeep = "PAT013";

    /// <summary>The pattern is empty.</summary>
    public const string Empty = "PAT014";

    /// <summary>A property name with a hyphen or a dot that is not quoted (§9.7).</summary>
    public const string UnquotedPropertyName = "PAT015";

    /// <summary>An object type that is not a valid STIX type name (§3.1).</summary>
    public const string InvalidObjectType = "PAT016";

    /// <summary>Comparisons joined by AND that start from different object types (§9.5).</summary>
    public const string MixedObjectTypes = "PAT020";

    /// <summary>Two qualifiers of one kind on one observation expression (§9.5.1).</summary>
    public const string DuplicateQualifier = "PAT021";

    /// <summary>REPEATS with a count that is not a positive integer, or WITHIN with a window that is not positive (§9.5.1).</summary>
    public const string InvalidQualifierValue = "PAT022";

    /// <summary>START not before STOP (§9.5.1): no observation time can satisfy it.</summary>
    public const string EmptyTimeWindow = "PAT023";

    /// <summary>A set literal whose values are not all of one type (§9.6.1, IN).</summary>
    public const string MixedSetTypes = "PAT024";

    /// <summary>A MATCHES operand that is not a valid regular expression (§9.6.1).</summary>
    public const string InvalidRegex = "PAT025";

    /// <summary>An ISSUBSET or ISSUPERSET operand that is not an IPv4 or IPv6 address or CIDR block (§9.6.1).</summary>
    public const string InvalidNetwork = "PAT026";

    /// <summary>The pattern is longer than <see cref="Syntax.Parser.MaxLength"/>.</summary>
    public const string TooLong = "PAT027";
}
