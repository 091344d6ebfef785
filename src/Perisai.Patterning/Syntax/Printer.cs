using System.Globalization;
using System.Text;

namespace Perisai.Patterning.Syntax;

/// <summary>
/// Writes a tree back as pattern text in one canonical form: single spaces, parentheses only where the tree needs them,
/// literals in their shortest exact form. Parsing the output gives the same tree (a property test holds this).
/// </summary>
public static class Printer
{
    /// <summary>The canonical text of a pattern.</summary>
    public static string Print(Pattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return Print(pattern.Root);
    }

    /// <summary>The canonical text of an observation expression.</summary>
    public static string Print(ObservationExpression expression)
    {
        var sb = new StringBuilder();
        Observation(sb, expression, parentPrecedence: -1);
        return sb.ToString();
    }

    /// <summary>The canonical text of a comparison expression (without brackets).</summary>
    public static string Print(ComparisonExpression expression)
    {
        var sb = new StringBuilder();
        Comparison(sb, expression, parentPrecedence: -1);
        return sb.ToString();
    }

    // Binding strength: a child is parenthesized when it binds no tighter than its parent, so both a looser child and
    // an explicitly grouped child of the same operator (a tree the parser would otherwise flatten) keep their shape.
    private static int Precedence(ObservationExpression e) => e switch
    {
        ObservationGroup { Operator: ObservationOperator.FollowedBy } => 0,
        ObservationGroup { Operator: ObservationOperator.Or } => 1,
        ObservationGroup => 2,
        QualifiedObservation => 3,
        _ => 4,
    };

    private static void Observation(StringBuilder sb, ObservationExpression e, int parentPrecedence)
    {
        int precedence = Precedence(e);
        bool parens = precedence <= parentPrecedence && e is not ObservationTest;
        if (parens)
        {
            sb.Append('(');
        }
        switch (e)
        {
            case ObservationTest t:
                sb.Append('[');
                Comparison(sb, t.Comparison, -1);
                sb.Append(']');
                break;
            case ObservationGroup g:
                for (int i = 0; i < g.Operands.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(g.Operator switch { ObservationOperator.And => " AND ", ObservationOperator.Or => " OR ", _ => " FOLLOWEDBY " });
                    }
                    Observation(sb, g.Operands[i], precedence);
                }
                break;
            case QualifiedObservation q:
                // The inner expression of a qualifier is either a bracket or a parenthesized group; a qualified
                // expression inside another would merge its qualifiers into the outer list, so it is parenthesized.
                Observation(sb, q.Inner, precedence);
                foreach (var qualifier in q.Qualifiers)
                {
                    sb.Append(' ');
                    Qualifier(sb, qualifier);
                }
                break;
        }
        if (parens)
        {
            sb.Append(')');
        }
    }

    private static void Qualifier(StringBuilder sb, Qualifier q)
    {
        switch (q)
        {
            case WithinQualifier w:
                sb.Append("WITHIN ").Append(Number(w.Seconds)).Append(" SECONDS");
                break;
            case RepeatsQualifier r:
                sb.Append("REPEATS ").Append(r.Times.ToString(CultureInfo.InvariantCulture)).Append(" TIMES");
                break;
            case StartStopQualifier s:
                sb.Append("START t'").Append(s.Start.ToString()).Append("' STOP t'").Append(s.Stop.ToString()).Append('\'');
                break;
        }
    }

    private static void Comparison(StringBuilder sb, ComparisonExpression e, int parentPrecedence)
    {
        switch (e)
        {
            case ComparisonGroup g:
            {
                int precedence = g.Operator == BooleanOperator.Or ? 0 : 1;
                bool parens = precedence <= parentPrecedence;
                if (parens)
                {
                    sb.Append('(');
                }
                for (int i = 0; i < g.Operands.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(g.Operator == BooleanOperator.And ? " AND " : " OR ");
                    }
                    Comparison(sb, g.Operands[i], precedence);
                }
                if (parens)
                {
                    sb.Append(')');
                }
                break;
            }
            case ExistsComparison x:
                sb.Append(x.Negated ? "NOT EXISTS " : "EXISTS ");
                Path(sb, x.Path);
                break;
            case SetComparison s:
                Path(sb, s.Path);
                sb.Append(s.Negated ? " NOT IN (" : " IN (");
                for (int i = 0; i < s.Values.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }
                    Literal(sb, s.Values[i]);
                }
                sb.Append(')');
                break;
            case PropertyComparison p:
                Path(sb, p.Path);
                sb.Append(p.Negated ? " NOT " : " ").Append(OperatorText(p.Operator)).Append(' ');
                Literal(sb, p.Value);
                break;
        }
    }

    /// <summary>The operator as written in a pattern.</summary>
    public static string OperatorText(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.Like => "LIKE",
        ComparisonOperator.Matches => "MATCHES",
        ComparisonOperator.IsSubset => "ISSUBSET",
        _ => "ISSUPERSET",
    };

    /// <summary>An object path as written in a pattern.</summary>
    public static string Path(ObjectPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var sb = new StringBuilder();
        Path(sb, path);
        return sb.ToString();
    }

    private static void Path(StringBuilder sb, ObjectPath path)
    {
        sb.Append(path.ObjectType).Append(':');
        for (int i = 0; i < path.Steps.Count; i++)
        {
            switch (path.Steps[i])
            {
                case KeyStep k:
                    if (i > 0)
                    {
                        sb.Append('.');
                    }
                    if (k.Quoted)
                    {
                        Quote(sb, k.Name);
                    }
                    else
                    {
                        sb.Append(k.Name);
                    }
                    break;
                case IndexStep n:
                    sb.Append('[').Append(n.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
                    break;
                case AnyIndexStep:
                    sb.Append("[*]");
                    break;
            }
        }
    }

    /// <summary>A literal as written in a pattern.</summary>
    public static string Literal(Literal literal)
    {
        var sb = new StringBuilder();
        Literal(sb, literal);
        return sb.ToString();
    }

    private static void Literal(StringBuilder sb, Literal literal)
    {
        switch (literal)
        {
            case StringLiteral s:
                Quote(sb, s.Value);
                break;
            case IntegerLiteral n:
                sb.Append(n.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case FloatLiteral f:
                sb.Append(Number(f.Value, forceFraction: true));
                break;
            case BooleanLiteral b:
                sb.Append(b.Value ? "true" : "false");
                break;
            case BytesLiteral { Hex: true } h:
                sb.Append("h'").Append(Convert.ToHexStringLower(h.Value)).Append('\'');
                break;
            case BytesLiteral b:
                sb.Append("b'").Append(Convert.ToBase64String(b.Value)).Append('\'');
                break;
            case TimestampLiteral t:
                sb.Append("t'").Append(t.Value.ToString()).Append('\'');
                break;
        }
    }

    private static void Quote(StringBuilder sb, string s)
    {
        sb.Append('\'');
        foreach (char c in s)
        {
            if (c is '\'' or '\\')
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        sb.Append('\'');
    }

    /// <summary>
    /// A number in the grammar's form: digits with an optional fraction, never an exponent. Uses the shortest text
    /// that reads back as the same double ("R"), spelled out positionally when the runtime would use an exponent.
    /// </summary>
    internal static string Number(double value, bool forceFraction = false)
    {
        if (!forceFraction && value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }
        string r = value.ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            r = decimal.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d) && (double)d == value
                ? d.ToString(CultureInfo.InvariantCulture)
                : Positional(r[..e], int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture));
        }
        if (!r.Contains('.', StringComparison.Ordinal))
        {
            r += ".0";
        }
        return r;
    }

    private static string Positional(string mantissa, int exponent)
    {
        bool negative = mantissa.StartsWith('-');
        string digits = mantissa.TrimStart('-').Replace(".", "", StringComparison.Ordinal);
        int point = mantissa.TrimStart('-').IndexOf('.', StringComparison.Ordinal);
        point = (point < 0 ? digits.Length : point) + exponent;
        string s = point <= 0 ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length) + ".0"
            : digits[..point] + "." + digits[point..];
        return (negative ? "-" : "") + s;
    }
}
