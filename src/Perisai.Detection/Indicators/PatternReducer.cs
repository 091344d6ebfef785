using Perisai.Patterning.Syntax;

namespace Perisai.Detection.Indicators;

/// <summary>
/// Reduces a STIX pattern to lookups when it is, in effect, "any of these values": one observation expression (or an
/// OR of them, without qualifiers) whose comparisons are <c>=</c>, <c>IN</c> or, for addresses, <c>ISSUBSET</c>,
/// joined by OR, on paths the scanner knows. Anything else (AND of two properties, FOLLOWEDBY, WITHIN, REPEATS, NOT,
/// ordering, LIKE, MATCHES) is left to the pattern engine: null.
/// </summary>
public static class PatternReducer
{
    /// <summary>The lookups <paramref name="pattern"/> amounts to, or null when it needs the engine.</summary>
    public static IReadOnlyList<IocLookup>? Reduce(Pattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var lookups = new List<IocLookup>();
        return Observation(pattern.Root, lookups) ? lookups : null;
    }

    private static bool Observation(ObservationExpression e, List<IocLookup> lookups) => e switch
    {
        ObservationTest t => Comparison(t.Comparison, lookups),
        ObservationGroup { Operator: ObservationOperator.Or } g => g.Operands.All(o => Observation(o, lookups)),
        _ => false,
    };

    private static bool Comparison(ComparisonExpression e, List<IocLookup> lookups)
    {
        switch (e)
        {
            case ComparisonGroup { Operator: BooleanOperator.Or } g:
                return g.Operands.All(o => Comparison(o, lookups));
            case PropertyComparison { Negated: false, Operator: ComparisonOperator.Equal or ComparisonOperator.IsSubset, Value: StringLiteral s } p:
                return KindOf(p.Path) is { } k && (p.Operator == ComparisonOperator.Equal || k == IocKind.Address) && Add(k, s.Value, lookups);
            case SetComparison { Negated: false } s when KindOf(s.Path) is { } setKind:
                return s.Values.All(v => v is StringLiteral str && Add(setKind, str.Value, lookups));
            default:
                return false;
        }
    }

    private static bool Add(IocKind kind, string value, List<IocLookup> lookups)
    {
        if (IocNormalizer.Normalize(kind, value) is not { } canonical)
        {
            return false;
        }
        lookups.Add(new IocLookup(kind, canonical));
        return true;
    }

    /// <summary>The kind of value at an object path, for the paths indicators use (STIX 2.1 §6).</summary>
    internal static IocKind? KindOf(ObjectPath path)
    {
        string[] keys = [.. path.Steps.Select(s => s is KeyStep k ? k.Name : "*")];
        string last = keys.Length > 0 ? keys[^1] : "";
        if (last.Contains("ja3", StringComparison.OrdinalIgnoreCase))
        {
            return IocKind.Ja3;
        }
        return (path.ObjectType, keys) switch
        {
            ("ipv4-addr" or "ipv6-addr", ["value"]) => IocKind.Address,
            ("network-traffic", ["src_ref" or "dst_ref", "value"]) => IocKind.Address,
            ("domain-name", ["value"]) => IocKind.Domain,
            ("url", ["value"]) => IocKind.Url,
            ("email-addr", ["value"]) => IocKind.Email,
            ("email-message", ["from_ref" or "sender_ref", "value"]) => IocKind.Email,
            ("file" or "artifact", ["hashes", _]) => IocKind.FileHash,
            ("x509-certificate", ["hashes", _]) => IocKind.CertificateFingerprint,
            ("network-traffic", [.., "request_header", var h]) when h.Equals("User-Agent", StringComparison.OrdinalIgnoreCase) => IocKind.UserAgent,
            _ => null,
        };
    }
}
