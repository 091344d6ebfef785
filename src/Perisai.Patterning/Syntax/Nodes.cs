using Perisai.Stix;

namespace Perisai.Patterning.Syntax;

// The syntax tree: immutable, and flat where the language is associative (a chain of ANDs is one node with a list of
// operands), so no walk over a long chain recurses once per link. Offsets are 1-based, as errors report them.

/// <summary>Operators joining observation expressions (STIX 2.1 §9.5.2), loosest last.</summary>
public enum ObservationOperator
{
    /// <summary>Both, on different observations.</summary>
    And,
    /// <summary>Either.</summary>
    Or,
    /// <summary>Both, the second at or after the first, on different observations.</summary>
    FollowedBy,
}

/// <summary>Operators joining comparison expressions inside one observation expression (§9.6).</summary>
public enum BooleanOperator
{
    /// <summary>Both, on the same object.</summary>
    And,
    /// <summary>Either.</summary>
    Or,
}

/// <summary>Comparison operators (§9.6.1); IN and EXISTS have node types of their own.</summary>
public enum ComparisonOperator
{
    /// <summary><c>=</c></summary>
    Equal,
    /// <summary><c>!=</c></summary>
    NotEqual,
    /// <summary><c>&lt;</c></summary>
    Less,
    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,
    /// <summary><c>&gt;</c></summary>
    Greater,
    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,
    /// <summary><c>LIKE</c></summary>
    Like,
    /// <summary><c>MATCHES</c></summary>
    Matches,
    /// <summary><c>ISSUBSET</c></summary>
    IsSubset,
    /// <summary><c>ISSUPERSET</c></summary>
    IsSuperset,
}

/// <summary>A whole pattern (§9.4).</summary>
/// <param name="Root">Its observation expression.</param>
/// <param name="Text">The text it was parsed from.</param>
public sealed record Pattern(ObservationExpression Root, string Text);

/// <summary>An observation expression (§9.5).</summary>
public abstract record ObservationExpression(int Offset);

/// <summary><c>[ comparison ]</c>: matches one observation.</summary>
public sealed record ObservationTest(ComparisonExpression Comparison, int Offset) : ObservationExpression(Offset);

/// <summary>Two or more observation expressions joined by one operator, left to right.</summary>
public sealed record ObservationGroup(ObservationOperator Operator, IReadOnlyList<ObservationExpression> Operands, int Offset) : ObservationExpression(Offset);

/// <summary>An observation expression with its qualifiers, in the order written (§9.5.1).</summary>
public sealed record QualifiedObservation(ObservationExpression Inner, IReadOnlyList<Qualifier> Qualifiers, int Offset) : ObservationExpression(Offset);

/// <summary>A qualifier (§9.5.1).</summary>
public abstract record Qualifier(int Offset);

/// <summary><c>WITHIN n SECONDS</c></summary>
public sealed record WithinQualifier(double Seconds, int Offset) : Qualifier(Offset);

/// <summary><c>REPEATS n TIMES</c></summary>
public sealed record RepeatsQualifier(long Times, int Offset) : Qualifier(Offset);

/// <summary><c>START t'…' STOP t'…'</c></summary>
public sealed record StartStopQualifier(StixTimestamp Start, StixTimestamp Stop, int Offset) : Qualifier(Offset);

/// <summary>A comparison expression (§9.6).</summary>
public abstract record ComparisonExpression(int Offset);

/// <summary>Two or more comparison expressions joined by one operator.</summary>
public sealed record ComparisonGroup(BooleanOperator Operator, IReadOnlyList<ComparisonExpression> Operands, int Offset) : ComparisonExpression(Offset);

/// <summary><c>path [NOT] op literal</c></summary>
public sealed record PropertyComparison(ObjectPath Path, ComparisonOperator Operator, bool Negated, Literal Value, int Offset) : ComparisonExpression(Offset);

/// <summary><c>path [NOT] IN (literal, …)</c></summary>
public sealed record SetComparison(ObjectPath Path, bool Negated, IReadOnlyList<Literal> Values, int Offset) : ComparisonExpression(Offset);

/// <summary><c>[NOT] EXISTS path</c></summary>
public sealed record ExistsComparison(ObjectPath Path, bool Negated, int Offset) : ComparisonExpression(Offset);

/// <summary>An object path (§9.7): an object type and the steps to a property.</summary>
public sealed record ObjectPath(string ObjectType, IReadOnlyList<PathStep> Steps, int Offset);

/// <summary>One step of an object path.</summary>
public abstract record PathStep;

/// <summary>A property or dictionary key; <paramref name="Quoted"/> when written between apostrophes.</summary>
public sealed record KeyStep(string Name, bool Quoted) : PathStep;

/// <summary><c>[n]</c>: one item of a list (negative indexes are out of range, §9.7.2).</summary>
public sealed record IndexStep(long Index) : PathStep;

/// <summary><c>[*]</c>: any item of a list.</summary>
public sealed record AnyIndexStep : PathStep;

/// <summary>A constant (§9.2).</summary>
public abstract record Literal(int Offset);

/// <summary><c>'…'</c></summary>
public sealed record StringLiteral(string Value, int Offset) : Literal(Offset);

/// <summary>An integer.</summary>
public sealed record IntegerLiteral(long Value, int Offset) : Literal(Offset);

/// <summary>A float.</summary>
public sealed record FloatLiteral(double Value, int Offset) : Literal(Offset);

/// <summary><c>true</c> or <c>false</c></summary>
public sealed record BooleanLiteral(bool Value, int Offset) : Literal(Offset);

/// <summary><c>b'…'</c> (base64) or <c>h'…'</c> (hex): octets either way, remembered in the form written.</summary>
public sealed record BytesLiteral(byte[] Value, bool Hex, int Offset) : Literal(Offset);

/// <summary><c>t'…'</c></summary>
public sealed record TimestampLiteral(StixTimestamp Value, int Offset) : Literal(Offset);
