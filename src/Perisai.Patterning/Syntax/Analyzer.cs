using System.Text.RegularExpressions;
using Perisai.Stix;

namespace Perisai.Patterning.Syntax;

/// <summary>
/// The rules of STIX 2.1 §9 that the grammar does not express, checked over a parsed tree. Every violation is reported,
/// not only the first. Walks are iterative over chains and recursive only through nesting, which the parser bounds.
/// </summary>
public static class Analyzer
{
    /// <summary>
    /// Appends what is valid but cannot be meant to <paramref name="warnings"/>: START not before STOP (§9.5.1 allows
    /// it in the grammar; the window holds no instant, so the observation expression matches nothing).
    /// </summary>
    public static void Warn(Pattern pattern, List<PatternError> warnings)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(warnings);
        Walk(pattern.Root);

        void Walk(ObservationExpression e)
        {
            switch (e)
            {
                case ObservationGroup c:
                    foreach (var operand in c.Operands)
                    {
                        Walk(operand);
                    }
                    break;
                case QualifiedObservation q:
                    Walk(q.Inner);
                    foreach (var s in q.Qualifiers.OfType<StartStopQualifier>().Where(s => s.Start >= s.Stop))
                    {
                        warnings.Add(new PatternError(PatternErrorCode.EmptyTimeWindow, s.Offset, PatternMessages.EmptyWindow(s.Start.ToString(), s.Stop.ToString())));
                    }
                    break;
            }
        }
    }

    /// <summary>Appends every violation in <paramref name="pattern"/> to <paramref name="errors"/>.</summary>
    public static void Check(Pattern pattern, List<PatternError> errors)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(errors);
        Observation(pattern.Root, errors);
    }

    private static void Observation(ObservationExpression e, List<PatternError> errors)
    {
        switch (e)
        {
            case ObservationTest t:
                Types(t.Comparison, errors);
                Comparisons(t.Comparison, errors);
                break;
            case ObservationGroup g:
                foreach (var operand in g.Operands)
                {
                    Observation(operand, errors);
                }
                break;
            case QualifiedObservation q:
                Observation(q.Inner, errors);
                Qualifiers(q.Qualifiers, errors);
                break;
        }
    }

    private static void Qualifiers(IReadOnlyList<Qualifier> qualifiers, List<PatternError> errors)
    {
        var seen = new HashSet<Type>();
        foreach (var q in qualifiers)
        {
            if (!seen.Add(q.GetType()))
            {
                // §9.5.1: "An Observation Expression MUST NOT have more than one Qualifier of a particular type."
                errors.Add(new PatternError(PatternErrorCode.DuplicateQualifier, q.Offset,
                    PatternMessages.DuplicateQualifier(QualifierName(q))));
            }
            switch (q)
            {
                case RepeatsQualifier { Times: <= 0 } r:
                    errors.Add(new PatternError(PatternErrorCode.InvalidQualifierValue, r.Offset, PatternMessages.RepeatsNotPositive(r.Times)));
                    break;
                case WithinQualifier { Seconds: <= 0 } w:
                    errors.Add(new PatternError(PatternErrorCode.InvalidQualifierValue, w.Offset, PatternMessages.WithinNotPositive(Printer.Number(w.Seconds))));
                    break;
            }
        }
    }

    private static string QualifierName(Qualifier q) => q switch
    {
        WithinQualifier => "WITHIN",
        RepeatsQualifier => "REPEATS",
        _ => "START/STOP",
    };

    /// <summary>
    /// §9.5: "Comparison Expressions with Object Paths that start with different object types … MUST be joined by OR.
    /// All operands of AND in an Observation Expression MUST be satisfiable with the same object." Returns the object
    /// types a comparison can start from.
    /// </summary>
    private static HashSet<string> Types(ComparisonExpression e, List<PatternError> errors)
    {
        switch (e)
        {
            case ComparisonGroup { Operator: BooleanOperator.Or } or:
            {
                var all = new HashSet<string>(StringComparer.Ordinal);
                foreach (var operand in or.Operands)
                {
                    all.UnionWith(Types(operand, errors));
                }
                return all;
            }
            case ComparisonGroup and:
            {
                HashSet<string>? common = null;
                foreach (var operand in and.Operands)
                {
                    var types = Types(operand, errors);
                    if (common is null)
                    {
                        common = types;
                        continue;
                    }
                    var both = new HashSet<string>(common, StringComparer.Ordinal);
                    both.IntersectWith(types);
                    if (both.Count == 0 && common.Count > 0 && types.Count > 0)
                    {
                        errors.Add(new PatternError(PatternErrorCode.MixedObjectTypes, operand.Offset,
                            PatternMessages.MixedTypes(string.Join(" or ", common.Order(StringComparer.Ordinal)), string.Join(" or ", types.Order(StringComparer.Ordinal)))));
                        return [];
                    }
                    common = both;
                }
                return common ?? [];
            }
            case PropertyComparison p:
                return [p.Path.ObjectType];
            case SetComparison s:
                return [s.Path.ObjectType];
            case ExistsComparison x:
                return [x.Path.ObjectType];
            default:
                return [];
        }
    }

    private static void Comparisons(ComparisonExpression e, List<PatternError> errors)
    {
        switch (e)
        {
            case ComparisonGroup g:
                foreach (var operand in g.Operands)
                {
                    Comparisons(operand, errors);
                }
                break;
            case PropertyComparison p:
                ObjectType(p.Path, errors);
                Operand(p, errors);
                break;
            case SetComparison s:
                ObjectType(s.Path, errors);
                SetTypes(s, errors);
                break;
            case ExistsComparison x:
                ObjectType(x.Path, errors);
                break;
        }
    }

    private static void ObjectType(ObjectPath path, List<PatternError> errors)
    {
        if (!StixTypeName.IsValid(path.ObjectType))
        {
            errors.Add(new PatternError(PatternErrorCode.InvalidObjectType, path.Offset,
                PatternMessages.InvalidObjectType(Lexer.Shorten(path.ObjectType))));
        }
    }

    private static void Operand(PropertyComparison p, List<PatternError> errors)
    {
        switch (p.Operator)
        {
            case ComparisonOperator.Matches:
            {
                string regex = ((StringLiteral)p.Value).Value;
                if (RegexCompiler.TryValidate(regex, out string? problem) is false)
                {
                    errors.Add(new PatternError(PatternErrorCode.InvalidRegex, p.Value.Offset, PatternMessages.InvalidRegex(problem!)));
                }
                break;
            }
            case ComparisonOperator.IsSubset or ComparisonOperator.IsSuperset:
            {
                string value = ((StringLiteral)p.Value).Value;
                if (!IpSet.TryParse(value, out _))
                {
                    errors.Add(new PatternError(PatternErrorCode.InvalidNetwork, p.Value.Offset,
                        PatternMessages.InvalidNetwork(Printer.OperatorText(p.Operator), Lexer.Shorten(value))));
                }
                break;
            }
        }
    }

    private static void SetTypes(SetComparison s, List<PatternError> errors)
    {
        // §9.6.1 IN: "The set values in b MUST be constants of homogeneous data type". Binary and hex are both octets.
        for (int i = 1; i < s.Values.Count; i++)
        {
            if (Kind(s.Values[i]) != Kind(s.Values[0]))
            {
                errors.Add(new PatternError(PatternErrorCode.MixedSetTypes, s.Values[i].Offset,
                    PatternMessages.MixedSet(Kind(s.Values[0]), Kind(s.Values[i]))));
                return;
            }
        }
    }

    internal static string Kind(Literal literal) => literal switch
    {
        StringLiteral => "string",
        IntegerLiteral or FloatLiteral => "number",
        BooleanLiteral => "boolean",
        BytesLiteral => "binary",
        TimestampLiteral => "timestamp",
        _ => "unknown",
    };
}

/// <summary>
/// MATCHES operands (STIX 2.1 §9.6.1: PCRE syntax, search, DOTALL) as .NET regular expressions. The non-backtracking
/// engine runs in time linear in the input, so a catastrophic expression cannot hang a scan; an expression it cannot
/// run (backreferences, lookaround) falls back to the backtracking engine under a timeout.
/// </summary>
internal static class RegexCompiler
{
    /// <summary>Time a backtracking match may take before it counts as no match: far beyond any honest expression.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Whether <paramref name="pattern"/> is a regular expression at all. Builds the backtracking engine's tree only,
    /// which is about fifty times cheaper than building the linear engine; every expression the linear engine accepts
    /// is accepted here, and the others get the backtracking engine when compiled (<see cref="TryCreate"/>).
    /// </summary>
    public static bool TryValidate(string pattern, out string? problem)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.Singleline | RegexOptions.CultureInvariant, Timeout);
            problem = null;
            return true;
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
            return false;
        }
    }

    public static bool TryCreate(string pattern, out Regex? regex, out string? problem)
    {
        regex = null;
        problem = null;
        try
        {
            regex = new Regex(pattern, RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            return true;
        }
        catch (NotSupportedException)
        {
            // Constructs the linear engine lacks; fall through to the backtracking one.
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
            return false;
        }
        try
        {
            regex = new Regex(pattern, RegexOptions.Singleline | RegexOptions.CultureInvariant, Timeout);
            return true;
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
            return false;
        }
    }
}
