using System.Text;
using System.Text.Json;
using Perisai.Patterning.Syntax;

namespace Perisai.Patterning;

/// <summary>
/// A pattern for people and for programs: an indented plain-language outline for analysts (the web interface and
/// <c>perisai pattern check</c> show it), and the tree as JSON for the API and the interface's editor.
/// </summary>
public static class PatternExplainer
{
    /// <summary>The outline, one line per node, two spaces per level.</summary>
    public static string Explain(Pattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var sb = new StringBuilder();
        Observation(sb, pattern.Root, 0);
        return sb.ToString().TrimEnd('\n');
    }

    private static void Line(StringBuilder sb, int depth, string text) => sb.Append(' ', depth * 2).Append(text).Append('\n');

    private static void Observation(StringBuilder sb, ObservationExpression e, int depth)
    {
        switch (e)
        {
            case ObservationTest t when t.Comparison is ComparisonGroup:
                Line(sb, depth, "one observation in which");
                Comparison(sb, t.Comparison, depth + 1);
                break;
            case ObservationTest t:
                Line(sb, depth, "one observation in which " + Words(t.Comparison));
                break;
            case ObservationGroup g:
                Line(sb, depth, g.Operator switch
                {
                    ObservationOperator.And => "all of these, each on a different observation:",
                    ObservationOperator.Or => "any of these:",
                    _ => "these in order, each observed at or after the one before, on different observations:",
                });
                foreach (var operand in g.Operands)
                {
                    Observation(sb, operand, depth + 1);
                }
                break;
            case QualifiedObservation q:
                Observation(sb, q.Inner, depth);
                foreach (var qualifier in q.Qualifiers)
                {
                    Line(sb, depth, qualifier switch
                    {
                        WithinQualifier w => $"- all within {Printer.Number(w.Seconds)} seconds of each other",
                        RepeatsQualifier r => $"- matched {r.Times} times, each by a different observation",
                        StartStopQualifier s => $"- observed from {s.Start} up to, not including, {s.Stop}",
                        _ => "",
                    });
                }
                break;
        }
    }

    private static void Comparison(StringBuilder sb, ComparisonExpression e, int depth)
    {
        if (e is ComparisonGroup g)
        {
            Line(sb, depth, g.Operator == BooleanOperator.And ? "all of, on the same object:" : "any of:");
            foreach (var operand in g.Operands)
            {
                Comparison(sb, operand, depth + 1);
            }
            return;
        }
        Line(sb, depth, Words(e));
    }

    private static string Words(ComparisonExpression e) => e switch
    {
        ExistsComparison x => $"{Subject(x.Path)} {(x.Negated ? "is absent" : "is present")}",
        SetComparison s => $"{Subject(s.Path)} {(s.Negated ? "is none of" : "is one of")} ({string.Join(", ", s.Values.Select(Printer.Literal))})",
        PropertyComparison p => $"{Subject(p.Path)} {Verb(p.Operator, p.Negated)} {Printer.Literal(p.Value)}",
        _ => Printer.Print(e),
    };

    private static string Subject(ObjectPath path)
    {
        string full = Printer.Path(path);
        return $"{path.ObjectType} {full[(path.ObjectType.Length + 1)..]}";
    }

    private static string Verb(ComparisonOperator op, bool negated) => (op, negated) switch
    {
        (ComparisonOperator.Equal, false) or (ComparisonOperator.NotEqual, true) => "is",
        (ComparisonOperator.NotEqual, false) or (ComparisonOperator.Equal, true) => "is not",
        (ComparisonOperator.Less, false) => "is less than",
        (ComparisonOperator.LessOrEqual, false) => "is at most",
        (ComparisonOperator.Greater, false) => "is greater than",
        (ComparisonOperator.GreaterOrEqual, false) => "is at least",
        (ComparisonOperator.Less, true) => "is not less than",
        (ComparisonOperator.LessOrEqual, true) => "is not at most",
        (ComparisonOperator.Greater, true) => "is not greater than",
        (ComparisonOperator.GreaterOrEqual, true) => "is not at least",
        (ComparisonOperator.Like, _) => negated ? "is not like (% any run, _ one character)" : "is like (% any run, _ one character)",
        (ComparisonOperator.Matches, _) => negated ? "does not match the regular expression" : "matches the regular expression",
        (ComparisonOperator.IsSubset, _) => negated ? "is not inside the network" : "is inside the network",
        _ => negated ? "does not contain the network" : "contains the network",
    };

    /// <summary>The tree as JSON: every node with its kind, its 1-based offset and its parts.</summary>
    public static string ToJson(Pattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            Write(w, pattern);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the tree as JSON to <paramref name="w"/>.</summary>
    public static void Write(Utf8JsonWriter w, Pattern pattern)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(pattern);
        Observation(w, pattern.Root);
    }

    private static void Observation(Utf8JsonWriter w, ObservationExpression e)
    {
        w.WriteStartObject();
        switch (e)
        {
            case ObservationTest t:
                w.WriteString("kind", "observation");
                w.WriteNumber("offset", t.Offset);
                w.WritePropertyName("comparison");
                Comparison(w, t.Comparison);
                break;
            case ObservationGroup g:
                w.WriteString("kind", g.Operator switch { ObservationOperator.And => "and", ObservationOperator.Or => "or", _ => "followedby" });
                w.WriteNumber("offset", g.Offset);
                w.WriteStartArray("operands");
                foreach (var operand in g.Operands)
                {
                    Observation(w, operand);
                }
                w.WriteEndArray();
                break;
            case QualifiedObservation q:
                w.WriteString("kind", "qualified");
                w.WriteNumber("offset", q.Offset);
                w.WritePropertyName("expression");
                Observation(w, q.Inner);
                w.WriteStartArray("qualifiers");
                foreach (var qualifier in q.Qualifiers)
                {
                    w.WriteStartObject();
                    switch (qualifier)
                    {
                        case WithinQualifier within:
                            w.WriteString("kind", "within");
                            w.WriteNumber("seconds", within.Seconds);
                            break;
                        case RepeatsQualifier repeats:
                            w.WriteString("kind", "repeats");
                            w.WriteNumber("times", repeats.Times);
                            break;
                        case StartStopQualifier s:
                            w.WriteString("kind", "startstop");
                            w.WriteString("start", s.Start.ToString());
                            w.WriteString("stop", s.Stop.ToString());
                            break;
                    }
                    w.WriteNumber("offset", qualifier.Offset);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                break;
        }
        w.WriteEndObject();
    }

    private static void Comparison(Utf8JsonWriter w, ComparisonExpression e)
    {
        w.WriteStartObject();
        switch (e)
        {
            case ComparisonGroup g:
                w.WriteString("kind", g.Operator == BooleanOperator.And ? "and" : "or");
                w.WriteNumber("offset", g.Offset);
                w.WriteStartArray("operands");
                foreach (var operand in g.Operands)
                {
                    Comparison(w, operand);
                }
                w.WriteEndArray();
                break;
            case ExistsComparison x:
                w.WriteString("kind", "exists");
                w.WriteNumber("offset", x.Offset);
                w.WriteBoolean("negated", x.Negated);
                Path(w, x.Path);
                break;
            case SetComparison s:
                w.WriteString("kind", "in");
                w.WriteNumber("offset", s.Offset);
                w.WriteBoolean("negated", s.Negated);
                Path(w, s.Path);
                w.WriteStartArray("values");
                foreach (var v in s.Values)
                {
                    Literal(w, v);
                }
                w.WriteEndArray();
                break;
            case PropertyComparison p:
                w.WriteString("kind", "compare");
                w.WriteNumber("offset", p.Offset);
                w.WriteString("operator", Printer.OperatorText(p.Operator));
                w.WriteBoolean("negated", p.Negated);
                Path(w, p.Path);
                w.WritePropertyName("value");
                Literal(w, p.Value);
                break;
        }
        w.WriteEndObject();
    }

    private static void Path(Utf8JsonWriter w, ObjectPath path)
    {
        w.WriteStartObject("path");
        w.WriteString("text", Printer.Path(path));
        w.WriteString("object_type", path.ObjectType);
        w.WriteStartArray("steps");
        foreach (var step in path.Steps)
        {
            switch (step)
            {
                case KeyStep k:
                    w.WriteStringValue(k.Name);
                    break;
                case IndexStep n:
                    w.WriteNumberValue(n.Index);
                    break;
                default:
                    w.WriteStringValue("*");
                    break;
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Literal(Utf8JsonWriter w, Literal literal)
    {
        w.WriteStartObject();
        w.WriteString("type", literal switch { BytesLiteral { Hex: true } => "hex", BytesLiteral => "binary", FloatLiteral => "float", IntegerLiteral => "integer", _ => Analyzer.Kind(literal) });
        w.WriteString("text", Printer.Literal(literal));
        w.WriteEndObject();
    }
}
