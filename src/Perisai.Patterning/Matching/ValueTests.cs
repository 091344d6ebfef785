using System.Buffers.Text;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Perisai.Patterning.Syntax;
using Perisai.Stix;

namespace Perisai.Patterning.Matching;

/// <summary>How a property's JSON value is to be read (§9.6.4, "native format").</summary>
internal enum ValueForm
{
    /// <summary>As JSON says: string, number, boolean.</summary>
    Plain,
    /// <summary>A <c>*_bin</c> property: base64 text standing for octets.</summary>
    Base64,
    /// <summary>A <c>*_hex</c> property: hex text standing for octets.</summary>
    Hex,
    /// <summary>The <c>value</c> of an <c>ipv4-addr</c> or <c>ipv6-addr</c>: an address or a CIDR block.</summary>
    Ip,
}

/// <summary>What one comparison made of one value.</summary>
internal enum Outcome
{
    False,
    True,
    /// <summary>The value's data cannot be obtained (a <c>*_bin</c> that is not base64): false whatever the operator (§9.6).</summary>
    Absent,
}

/// <summary>
/// The test a comparison applies to each value its object path reaches, built once from the literal. The result is
/// before NOT. Incompatible types (§9.6.1) give false, except for <c>!=</c>, which gives true.
/// </summary>
internal abstract class ValueTest
{
    public abstract Outcome Test(JsonElement value, ValueForm form);

    /// <summary>Whether the test reads <see cref="ValueForm.Ip"/> differently from a plain string (saves a look at the owner's type).</summary>
    public virtual bool NeedsAddressForm => false;

    protected static Outcome Of(bool b) => b ? Outcome.True : Outcome.False;

    public static ValueTest Create(PropertyComparison c) => c.Operator switch
    {
        ComparisonOperator.Like => new LikeTest(((StringLiteral)c.Value).Value),
        ComparisonOperator.Matches => new MatchesTest(((StringLiteral)c.Value).Value),
        ComparisonOperator.IsSubset => new NetworkTest(((StringLiteral)c.Value).Value, subset: true),
        ComparisonOperator.IsSuperset => new NetworkTest(((StringLiteral)c.Value).Value, subset: false),
        _ => OrderTest.Create(c.Operator, c.Value),
    };

    /// <summary>Octets of a binary property's text, or null when the text is not what the suffix promises.</summary>
    public static byte[]? Decode(JsonElement value, ValueForm form)
    {
        string? text = value.GetString();
        if (text is null)
        {
            return null;
        }
        if (form == ValueForm.Hex)
        {
            try
            {
                return Convert.FromHexString(text);
            }
            catch (FormatException)
            {
                return null;
            }
        }
        byte[] buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
        return Convert.TryFromBase64String(text, buffer, out int written) ? buffer[..written] : null;
    }

    /// <summary>
    /// A string as octets when every code point is below U+0100 (§9.6.4); null otherwise. Surrogates are above, so a
    /// string outside the Basic Multilingual Plane never converts.
    /// </summary>
    public static byte[]? Latin1(string s)
    {
        var bytes = new byte[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] > '\u00FF')
            {
                return null;
            }
            bytes[i] = (byte)s[i];
        }
        return bytes;
    }

    /// <summary>NFC form (§9.6.1, LIKE and MATCHES); ASCII is already in it, and most values are ASCII.</summary>
    public static string Nfc(string s) => System.Text.Ascii.IsValid(s) ? s : s.Normalize(NormalizationForm.FormC);

    /// <summary>Binary octets as the string of the same code points, so a regular expression can read them.</summary>
    public static string Latin1Text(byte[] bytes) => string.Create(bytes.Length, bytes, static (span, b) =>
    {
        for (int i = 0; i < b.Length; i++)
        {
            span[i] = (char)b[i];
        }
    });
}

/// <summary>
/// LIKE and MATCHES: tests of text. A string is NFC-normalized first (§9.6.1); a binary property's octets are read as the
/// characters U+0000–U+00FF; anything else does not pass.
/// </summary>
internal abstract class TextTest : ValueTest
{
    public override Outcome Test(JsonElement value, ValueForm form)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return Outcome.False;
        }
        if (form is ValueForm.Base64 or ValueForm.Hex)
        {
            byte[]? octets = Decode(value, form);
            return octets is null ? Outcome.Absent : Of(IsMatch(Latin1Text(octets)));
        }
        return Of(Accepts(value.GetString()!));
    }

    /// <summary>Whether a plain (not binary) string property with this value passes; the value index asks this.</summary>
    public bool Accepts(string value) => IsMatch(Nfc(value));

    protected abstract bool IsMatch(string text);
}

/// <summary><c>=</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> against one literal, typed once.</summary>
internal abstract class OrderTest : ValueTest
{
    protected OrderTest(ComparisonOperator op) => Operator = op;

    public ComparisonOperator Operator { get; }

    public static OrderTest Create(ComparisonOperator op, Literal literal) => literal switch
    {
        StringLiteral s => new StringOrder(op, s.Value),
        IntegerLiteral i => new NumberOrder(op, i.Value, 0, isInteger: true),
        FloatLiteral f => new NumberOrder(op, 0, f.Value, isInteger: false),
        BooleanLiteral b => new BooleanOrder(op, b.Value),
        BytesLiteral b => new BytesOrder(op, b.Value),
        TimestampLiteral t => new TimestampOrder(op, t.Value),
        _ => throw new ArgumentException($"no comparison for {literal.GetType().Name}", nameof(literal)),
    };

    protected Outcome Incompatible => Of(Operator == ComparisonOperator.NotEqual);

    protected Outcome FromOrder(int order) => Of(Operator switch
    {
        ComparisonOperator.Equal => order == 0,
        ComparisonOperator.NotEqual => order != 0,
        ComparisonOperator.Less => order < 0,
        ComparisonOperator.LessOrEqual => order <= 0,
        ComparisonOperator.Greater => order > 0,
        ComparisonOperator.GreaterOrEqual => order >= 0,
        _ => false,
    });

    /// <summary>
    /// Code point order (§9.6.2): UTF-16 code unit order except that a surrogate, which stands for a code point above
    /// U+FFFF, sorts after U+E000-U+FFFF. No normalization.
    /// </summary>
    public static int CodePointCompare(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        int i = a.AsSpan(0, n).CommonPrefixLength(b.AsSpan(0, n));
        if (i == n)
        {
            return a.Length.CompareTo(b.Length);
        }
        return Fix(a[i]).CompareTo(Fix(b[i]));

        static int Fix(char c) => c >= '\uE000' ? c - 0x800 : c >= '\uD800' ? c + 0x2000 : c;
    }

    protected static int BytesCompare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => Math.Sign(a.SequenceCompareTo(b));

    /// <summary>Exact order of a long and a double, without rounding the long through double.</summary>
    public static int Compare(long a, double b)
    {
        if (b >= 9223372036854775808.0)
        {
            return -1;
        }
        if (b < -9223372036854775808.0)
        {
            return 1;
        }
        double floor = Math.Floor(b);
        long whole = (long)floor;
        if (a != whole)
        {
            return a < whole ? -1 : 1;
        }
        return b > floor ? -1 : 0;
    }
}

internal sealed class StringOrder : OrderTest
{
    private readonly string _value;
    private readonly byte[] _utf8;
    private readonly byte[]? _octets;
    private readonly IpSet? _network;

    public StringOrder(ComparisonOperator op, string value) : base(op)
    {
        _value = value;
        _utf8 = Encoding.UTF8.GetBytes(value);
        _octets = Latin1(value);
        _network = IpSet.TryParse(value, out var network) ? network : null;
    }

    public override bool NeedsAddressForm => _network is not null;

    public override Outcome Test(JsonElement value, ValueForm form)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return Incompatible;
        }
        switch (form)
        {
            case ValueForm.Base64 or ValueForm.Hex:
            {
                byte[]? octets = Decode(value, form);
                if (octets is null)
                {
                    return Outcome.Absent;
                }
                // §9.6.4: a string constant against a binary property is compared as octets when it converts.
                return _octets is null ? Incompatible : FromOrder(BytesCompare(octets, _octets));
            }
            case ValueForm.Ip when _network is not null && Operator is ComparisonOperator.Equal or ComparisonOperator.NotEqual:
                // An address and the /32 (or /128) block of it are one set: '198.51.100.1/32' = '198.51.100.1' (§9.3's example).
                if (IpSet.TryParse(value.GetString()!, out var observed))
                {
                    return FromOrder(observed == _network.Value ? 0 : 1);
                }
                break;
        }
        if (Operator is ComparisonOperator.Equal or ComparisonOperator.NotEqual)
        {
            return FromOrder(value.ValueEquals(_utf8) ? 0 : 1);
        }
        return FromOrder(CodePointCompare(value.GetString()!, _value));
    }
}

internal sealed class NumberOrder(ComparisonOperator op, long integer, double real, bool isInteger) : OrderTest(op)
{
    public override Outcome Test(JsonElement value, ValueForm form)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            return Incompatible;
        }
        int order;
        if (value.TryGetInt64(out long observed))
        {
            order = isInteger ? observed.CompareTo(integer) : Compare(observed, real);
        }
        else
        {
            if (!value.TryGetDouble(out double d) || !double.IsFinite(d))
            {
                return Outcome.Absent;
            }
            order = isInteger ? -Compare(integer, d) : d.CompareTo(real);
        }
        return FromOrder(order);
    }
}

internal sealed class BooleanOrder(ComparisonOperator op, bool expected) : OrderTest(op)
{
    public override Outcome Test(JsonElement value, ValueForm form)
    {
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False) || Operator is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual))
        {
            return Incompatible;
        }
        return FromOrder((value.ValueKind == JsonValueKind.True) == expected ? 0 : 1);
    }
}

internal sealed class BytesOrder(ComparisonOperator op, byte[] expected) : OrderTest(op)
{
    public override Outcome Test(JsonElement value, ValueForm form)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return Incompatible;
        }
        byte[]? octets;
        if (form is ValueForm.Base64 or ValueForm.Hex)
        {
            octets = Decode(value, form);
            if (octets is null)
            {
                return Outcome.Absent;
            }
        }
        else
        {
            // The same conversion read the other way: a string property against b'…' or h'…' compares as octets when
            // every code point fits in one (§9.6.4 applied symmetrically, as the OASIS matcher does).
            octets = Latin1(value.GetString()!);
            if (octets is null)
            {
                return Incompatible;
            }
        }
        return FromOrder(BytesCompare(octets, expected));
    }
}

internal sealed class TimestampOrder(ComparisonOperator op, StixTimestamp expected) : OrderTest(op)
{
    public override Outcome Test(JsonElement value, ValueForm form)
    {
        if (value.ValueKind != JsonValueKind.String || !StixTimestamp.TryParse(value.GetString(), out var observed))
        {
            return Incompatible;
        }
        return FromOrder(observed.Value.CompareTo(expected));
    }
}

/// <summary><c>IN (…)</c>: equal to one of the values; strings are looked up in a frozen set, others tried in turn.</summary>
internal sealed class InTest : ValueTest
{
    private readonly OrderTest[] _members;
    private readonly FrozenSet<string>? _strings;

    public InTest(IReadOnlyList<Literal> values)
    {
        _members = [.. values.Select(v => OrderTest.Create(ComparisonOperator.Equal, v))];
        if (values.All(v => v is StringLiteral))
        {
            _strings = values.Select(v => ((StringLiteral)v).Value).ToFrozenSet(StringComparer.Ordinal);
        }
    }

    public override bool NeedsAddressForm => _members.Any(m => m.NeedsAddressForm);

    public override Outcome Test(JsonElement value, ValueForm form)
    {
        if (_strings is not null && form == ValueForm.Plain)
        {
            return Of(value.ValueKind == JsonValueKind.String && _strings.Contains(value.GetString()!));
        }
        bool absent = false;
        foreach (var member in _members)
        {
            switch (member.Test(value, form))
            {
                case Outcome.True:
                    return Outcome.True;
                case Outcome.Absent:
                    absent = true;
                    break;
            }
        }
        return absent ? Outcome.Absent : Outcome.False;
    }
}

/// <summary>
/// <c>LIKE</c>: SQL wildcards, '%' any run and '_' any one character, over the whole value; the constant and the value
/// are both NFC-normalized first (§9.6.1). Compiled to a linear-time expression, so no input can make it slow.
/// </summary>
internal sealed class LikeTest : TextTest
{
    private readonly Regex? _regex;
    private readonly string _literal = "";
    private readonly LikeShape _shape;

    /// <summary>Shapes that need no regular expression: most LIKE constants in indicators are one of these.</summary>
    private enum LikeShape
    {
        General,
        Exact,
        Prefix,
        Suffix,
        Infix,
    }

    public LikeTest(string like)
    {
        like = like.Normalize(NormalizationForm.FormC);
        string inner = like.Trim('%');
        if (!inner.Contains('%', StringComparison.Ordinal) && !inner.Contains('_', StringComparison.Ordinal))
        {
            bool lead = like.StartsWith('%'), trail = like.EndsWith('%');
            _literal = inner;
            _shape = (lead, trail) switch
            {
                (false, false) => LikeShape.Exact,
                (false, true) => LikeShape.Prefix,
                (true, false) => LikeShape.Suffix,
                _ => LikeShape.Infix,
            };
            return;
        }
        var sb = new StringBuilder("^");
        foreach (char c in like)
        {
            sb.Append(c switch
            {
                '%' => ".*",
                // One character is one code point: a surrogate pair counts once.
                '_' => "(?:[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]|[^\\uD800-\\uDFFF])",
                _ => Regex.Escape(c.ToString()),
            });
        }
        sb.Append('$');
        _shape = LikeShape.General;
        _regex = new Regex(sb.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    protected override bool IsMatch(string text) => _shape switch
    {
        LikeShape.Exact => string.Equals(text, _literal, StringComparison.Ordinal),
        LikeShape.Prefix => text.StartsWith(_literal, StringComparison.Ordinal),
        LikeShape.Suffix => text.EndsWith(_literal, StringComparison.Ordinal),
        LikeShape.Infix => text.Contains(_literal, StringComparison.Ordinal),
        _ => _regex!.IsMatch(text),
    };
}

/// <summary>
/// <c>MATCHES</c>: a regular expression searched for anywhere in the value, with DOTALL (§9.6.1); the value is
/// NFC-normalized when it is a string, and read as octets (one character per byte) when it is binary.
/// </summary>
internal sealed class MatchesTest : TextTest
{
    // Built on first use: the linear-time engine costs about a millisecond to build, and many indicators' expressions
    // never meet a value that passes the prefix test.
    private readonly Lazy<Regex> _regex;
    private readonly string _prefix;

    public MatchesTest(string pattern)
    {
        // §9.6.2: values are compared in NFC; an expression holding a character in another form could never match the
        // normalized value, so the expression is normalized too, as LIKE's is.
        pattern = Nfc(pattern);
        _regex = new Lazy<Regex>(() => RegexCompiler.TryCreate(pattern, out var regex, out string? problem)
            ? regex!
            : throw new ArgumentException(problem, nameof(pattern))); // the analyzer refused such an expression already
        _prefix = AnchoredPrefix(pattern);
    }

    /// <summary>
    /// The literal text every match must start with, for an expression anchored with '^' (no multiline option is set,
    /// so '^' is the start of the value): a cheap test that rejects most values before the regular expression runs.
    /// Empty when unsure: any '|' in the expression, or the first construct that is not a plain character.
    /// </summary>
    internal static string AnchoredPrefix(string pattern)
    {
        if (!pattern.StartsWith('^') || pattern.Contains('|', StringComparison.Ordinal))
        {
            return "";
        }
        var sb = new StringBuilder();
        int i = 1;
        while (i < pattern.Length)
        {
            char c = pattern[i];
            int width = 1;
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length || char.IsAsciiLetterOrDigit(pattern[i + 1]) || char.IsWhiteSpace(pattern[i + 1]))
                {
                    break; // \d, \w, \x41, \1 …: a class or a code, not one literal character
                }
                c = pattern[i + 1];
                width = 2;
            }
            else if (".^$?*+()[]{}#".Contains(c, StringComparison.Ordinal) || char.IsWhiteSpace(c))
            {
                break;
            }
            int next = i + width;
            if (next < pattern.Length && "?*+{".Contains(pattern[next], StringComparison.Ordinal))
            {
                break; // the character is quantified, so it may be absent or repeated
            }
            sb.Append(c);
            i = next;
        }
        return sb.ToString();
    }

    protected override bool IsMatch(string text)
    {
        if (!text.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return false;
        }
        try
        {
            return _regex.Value.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            // Only the backtracking fallback can time out; a match that cannot be decided in time is not a match.
            return false;
        }
    }
}

/// <summary><c>ISSUBSET</c> and <c>ISSUPERSET</c> over address sets (§9.6.1); equal sets satisfy both.</summary>
internal sealed class NetworkTest : ValueTest
{
    private readonly IpSet _literal;
    private readonly bool _subset;

    public IpSet Literal => _literal;

    public bool Subset => _subset;

    public NetworkTest(string literal, bool subset)
    {
        if (!IpSet.TryParse(literal, out _literal))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"not an address: {literal}"), nameof(literal));
        }
        _subset = subset;
    }

    public override Outcome Test(JsonElement value, ValueForm form)
    {
        if (value.ValueKind != JsonValueKind.String || !IpSet.TryParse(value.GetString()!, out var observed))
        {
            return Outcome.False;
        }
        var (inner, outer) = _subset ? (observed, _literal) : (_literal, observed);
        return Of(inner.IsSubsetOf(outer));
    }
}
