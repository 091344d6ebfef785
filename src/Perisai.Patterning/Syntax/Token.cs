namespace Perisai.Patterning.Syntax;

/// <summary>The kinds of token of the STIX patterning grammar (shared/specs/STIXPattern.g4).</summary>
public enum TokenKind
{
    /// <summary>End of the pattern.</summary>
    End,
    /// <summary><c>[</c></summary>
    LBracket,
    /// <summary><c>]</c></summary>
    RBracket,
    /// <summary><c>(</c></summary>
    LParen,
    /// <summary><c>)</c></summary>
    RParen,
    /// <summary><c>:</c></summary>
    Colon,
    /// <summary><c>.</c></summary>
    Dot,
    /// <summary><c>,</c></summary>
    Comma,
    /// <summary><c>*</c></summary>
    Asterisk,
    /// <summary><c>=</c> or <c>==</c></summary>
    Eq,
    /// <summary><c>!=</c> or <c>&lt;&gt;</c></summary>
    Neq,
    /// <summary><c>&lt;</c></summary>
    Lt,
    /// <summary><c>&lt;=</c></summary>
    Le,
    /// <summary><c>&gt;</c></summary>
    Gt,
    /// <summary><c>&gt;=</c></summary>
    Ge,
    /// <summary><c>AND</c></summary>
    And,
    /// <summary><c>OR</c></summary>
    Or,
    /// <summary><c>NOT</c></summary>
    Not,
    /// <summary><c>FOLLOWEDBY</c></summary>
    FollowedBy,
    /// <summary><c>LIKE</c></summary>
    Like,
    /// <summary><c>MATCHES</c></summary>
    Matches,
    /// <summary><c>ISSUBSET</c></summary>
    IsSubset,
    /// <summary><c>ISSUPERSET</c></summary>
    IsSuperset,
    /// <summary><c>EXISTS</c></summary>
    Exists,
    /// <summary><c>IN</c></summary>
    In,
    /// <summary><c>START</c></summary>
    Start,
    /// <summary><c>STOP</c></summary>
    Stop,
    /// <summary><c>SECONDS</c></summary>
    Seconds,
    /// <summary><c>WITHIN</c></summary>
    Within,
    /// <summary><c>REPEATS</c></summary>
    Repeats,
    /// <summary><c>TIMES</c></summary>
    Times,
    /// <summary><c>LAST</c>: reserved by the grammar, used by no rule.</summary>
    Last,
    /// <summary><c>true</c> or <c>false</c></summary>
    Boolean,
    /// <summary>An identifier; <see cref="Token.HasHyphen"/> tells whether it may only be an object type.</summary>
    Identifier,
    /// <summary><c>'…'</c></summary>
    StringLiteral,
    /// <summary>An integer, with its sign.</summary>
    IntegerLiteral,
    /// <summary>A float, with its sign.</summary>
    FloatLiteral,
    /// <summary><c>b'…'</c></summary>
    Binary,
    /// <summary><c>h'…'</c></summary>
    Hex,
    /// <summary><c>t'…'</c></summary>
    Timestamp,
    /// <summary>Something the lexer could not read; its error is already reported.</summary>
    Invalid,
    /// <summary>A constant written wrongly (bad hex, bad escape, out-of-range number), already reported: it stands in the tree's place so the parser reports nothing more about it.</summary>
    BrokenLiteral,
}

/// <summary>One token: its kind, where it is (0-based start and length in the pattern) and its decoded value.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Start">0-based index of its first character.</param>
/// <param name="Length">How many characters it spans.</param>
/// <param name="Text">Identifier name, decoded string, or the literal's text between its apostrophes.</param>
/// <param name="Value">The decoded value of a literal: long, double, bool, byte[] or <see cref="Perisai.Stix.StixTimestamp"/>.</param>
/// <param name="HasHyphen">An identifier containing '-': valid as an object type, not as a property name.</param>
public readonly record struct Token(TokenKind Kind, int Start, int Length, string Text, object? Value = null, bool HasHyphen = false)
{
    /// <summary>1-based offset, as errors report it.</summary>
    public int Offset => Start + 1;
}
