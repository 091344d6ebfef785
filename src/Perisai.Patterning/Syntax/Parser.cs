using Perisai.Stix;

namespace Perisai.Patterning.Syntax;

/// <summary>
/// Recursive-descent parser of the STIX patterning language (STIX 2.1 §9; shared/specs/STIXPattern.g4), one method per
/// production. Precedence, loosest first (§9.5.3): FOLLOWEDBY, OR, AND between observation expressions; qualifiers bind
/// to the observation expression just before them (§9.5.2: "qualifiers not being greedy"); inside brackets OR is looser
/// than AND. Left recursion of the ANTLR grammar becomes iteration, and chains become one flat node.
/// <code>
/// pattern          = observations END ;
/// observations     = observationOr { "FOLLOWEDBY" observationOr } ;
/// observationOr    = observationAnd { "OR" observationAnd } ;
/// observationAnd   = qualified { "AND" qualified } ;
/// qualified        = observation { qualifier } ;
/// observation      = "[" comparison "]" | "(" observations ")" ;
/// qualifier        = "WITHIN" (integer | float) "SECONDS"
///                  | "REPEATS" integer "TIMES"
///                  | "START" timestamp "STOP" timestamp ;
/// comparison       = comparisonAnd { "OR" comparisonAnd } ;
/// comparisonAnd    = test { "AND" test } ;
/// test             = "(" comparison ")"
///                  | [ "NOT" ] "EXISTS" path
///                  | path [ "NOT" ] ( ("=" | "!=") primitive
///                                   | ("&lt;" | "&lt;=" | "&gt;" | "&gt;=") orderable
///                                   | "IN" set
///                                   | ("LIKE" | "MATCHES" | "ISSUBSET" | "ISSUPERSET") string ) ;
/// path             = objectType ":" ( identifier | string ) { step } ;
/// step             = "." ( identifier | string ) | "[" ( integer | "*" ) "]" ;
/// set              = "(" [ primitive { "," primitive } ] ")" ;
/// primitive        = orderable | boolean ;
/// orderable        = integer | float | string | binary | hex | timestamp ;
/// </code>
/// Errors: the first syntax error of each observation expression is reported; the parser then skips to the end of
/// that bracket and goes on, so one run reports the errors of every observation expression. Nesting deeper than
/// <see cref="MaxDepth"/> is an error, never a stack overflow.
/// </summary>
public sealed class Parser
{
    /// <summary>
    /// Deepest nesting of brackets and parentheses accepted. Real patterns nest a handful of levels; 100 leaves room
    /// for generated ones while keeping every recursive walk of the tree far from the stack's limit.
    /// </summary>
    public const int MaxDepth = 100;

    /// <summary>
    /// Longest pattern accepted, in characters. Indicators carry patterns of a few hundred characters; one megabyte
    /// admits generated lists of thousands of values and bounds the work a hostile pattern can ask for.
    /// </summary>
    public const int MaxLength = 1 << 20;

    private readonly List<Token> _tokens;
    private readonly List<PatternError> _errors;
    private int _index;
    private int _depth;

    private Parser(List<Token> tokens, List<PatternError> errors) => (_tokens, _errors) = (tokens, errors);

    /// <summary>Thrown inside the parser to abandon the current observation expression after its first error.</summary>
    private sealed class Abandon : Exception
    {
    }

    /// <summary>Parses <paramref name="text"/>; null when there are syntax errors, all of which are in <paramref name="errors"/>.</summary>
    public static Pattern? Parse(string text, List<PatternError> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(errors);
        if (text.Length > MaxLength)
        {
            errors.Add(new PatternError(PatternErrorCode.TooLong, MaxLength + 1, PatternMessages.TooLong(text.Length, MaxLength)));
            return null;
        }
        int before = errors.Count;
        var tokens = Lexer.Tokenize(text, errors);
        // Tokens the lexer could not read are already reported; the parser skips them so it can report what follows.
        tokens.RemoveAll(t => t.Kind == TokenKind.Invalid);
        if (tokens.Count == 1 && errors.Count == before)
        {
            errors.Add(new PatternError(PatternErrorCode.Empty, 1, PatternMessages.EmptyPattern));
            return null;
        }
        var parser = new Parser(tokens, errors);
        var root = parser.PatternRule();
        return errors.Count == before && root is not null ? new Pattern(root, text) : null;
    }

    private Token Current => _tokens[_index];

    /// <summary>Returns the current token and moves past it; the final End token is never passed.</summary>
    private Token Advance()
    {
        var t = _tokens[_index];
        if (_index < _tokens.Count - 1)
        {
            _index++;
        }
        return t;
    }

    private bool At(TokenKind kind) => Current.Kind == kind;

    /// <summary>Steps over a constant the lexer already reported as broken; true when there was one.</summary>
    private bool SkipBroken()
    {
        if (!At(TokenKind.BrokenLiteral))
        {
            return false;
        }
        Advance();
        return true;
    }

    private Abandon Fail(string expected)
    {
        var t = Current;
        if (t.Kind == TokenKind.End)
        {
            _errors.Add(new PatternError(PatternErrorCode.UnexpectedEnd, t.Offset, PatternMessages.EndsWhereExpected(expected)));
        }
        else
        {
            _errors.Add(new PatternError(PatternErrorCode.Unexpected, t.Offset, PatternMessages.Expected(expected, Describe(t))));
        }
        return new Abandon();
    }

    private static string Describe(Token t) => t.Kind switch
    {
        TokenKind.Identifier => PatternMessages.FoundName(Lexer.Shorten(t.Text)),
        TokenKind.StringLiteral => PatternMessages.FoundString(Lexer.Shorten(t.Text)),
        TokenKind.IntegerLiteral or TokenKind.FloatLiteral => PatternMessages.FoundNumber(t.Text),
        TokenKind.Binary => PatternMessages.FoundBinary,
        TokenKind.Hex => PatternMessages.FoundHex,
        TokenKind.Timestamp => PatternMessages.FoundTimestamp,
        TokenKind.Boolean => t.Text,
        _ => PatternMessages.FoundName(t.Text),
    };

    private Token Expect(TokenKind kind, string expected)
    {
        if (!At(kind))
        {
            throw Fail(expected);
        }
        return Advance();
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            _errors.Add(new PatternError(PatternErrorCode.TooDeep, Current.Offset, PatternMessages.TooDeep(MaxDepth)));
            // Nothing sensible follows: stop parsing altogether.
            _index = _tokens.Count - 1;
            throw new Abandon();
        }
    }

    private void Leave() => _depth--;

    // pattern = observations END ;
    private ObservationExpression? PatternRule()
    {
        ObservationExpression? root = null;
        try
        {
            root = Observations();
        }
        catch (Abandon)
        {
            // Reported; Observation() resynchronized where it could.
        }
        if (!At(TokenKind.End) && !_errors.Any(e => e.Code == PatternErrorCode.TooDeep))
        {
            _errors.Add(new PatternError(PatternErrorCode.TrailingInput, Current.Offset, PatternMessages.TrailingInput(Describe(Current))));
        }
        return root;
    }

    // observations = observationOr { "FOLLOWEDBY" observationOr } ;
    private ObservationExpression Observations() =>
        Chain(TokenKind.FollowedBy, ObservationOr, ops => new ObservationGroup(ObservationOperator.FollowedBy, ops, ops[0].Offset));

    // observationOr = observationAnd { "OR" observationAnd } ;
    private ObservationExpression ObservationOr() =>
        Chain(TokenKind.Or, ObservationAnd, ops => new ObservationGroup(ObservationOperator.Or, ops, ops[0].Offset));

    // observationAnd = qualified { "AND" qualified } ;
    private ObservationExpression ObservationAnd() =>
        Chain(TokenKind.And, Qualified, ops => new ObservationGroup(ObservationOperator.And, ops, ops[0].Offset));

    /// <summary>
    /// <c>operand { joiner operand }</c> as one flat node: a lone operand stands for itself, two or more become
    /// <paramref name="join"/> of all of them, in order.
    /// </summary>
    private T Chain<T>(TokenKind joiner, Func<T> operand, Func<List<T>, T> join)
    {
        var first = operand();
        if (!At(joiner))
        {
            return first;
        }
        var operands = new List<T> { first };
        while (At(joiner))
        {
            Advance();
            operands.Add(operand());
        }
        return join(operands);
    }

    // qualified = observation { qualifier } ;
    private ObservationExpression Qualified()
    {
        var inner = Observation();
        List<Qualifier>? qualifiers = null;
        while (At(TokenKind.Within) || At(TokenKind.Repeats) || At(TokenKind.Start))
        {
            (qualifiers ??= []).Add(QualifierRule());
        }
        return qualifiers is null ? inner : new QualifiedObservation(inner, qualifiers, inner.Offset);
    }

    // observation = "[" comparison "]" | "(" observations ")" ;
    private ObservationExpression Observation()
    {
        var open = Current;
        if (At(TokenKind.LParen))
        {
            Enter();
            Advance();
            var inner = Observations();
            Expect(TokenKind.RParen, PatternMessages.ClosingParenthesis(open.Offset));
            Leave();
            return inner;
        }
        if (!At(TokenKind.LBracket))
        {
            throw Fail(PatternMessages.ObservationStart);
        }
        Enter();
        Advance();
        try
        {
            var comparison = Comparison();
            Expect(TokenKind.RBracket, PatternMessages.ClosingBracket(open.Offset));
            Leave();
            return new ObservationTest(comparison, open.Offset);
        }
        catch (Abandon) when (_depth <= MaxDepth)
        {
            // Resynchronize after this bracket, so the errors of the next observation expressions are found too.
            int depth = 1;
            while (!At(TokenKind.End) && depth > 0)
            {
                var t = Advance();
                depth += t.Kind == TokenKind.LBracket ? 1 : t.Kind == TokenKind.RBracket ? -1 : 0;
            }
            Leave();
            var placeholder = new ObservationTest(new ExistsComparison(new ObjectPath("x", [], open.Offset), false, open.Offset), open.Offset);
            if (At(TokenKind.End) || At(TokenKind.RParen) || At(TokenKind.And) || At(TokenKind.Or) || At(TokenKind.FollowedBy)
                || At(TokenKind.Within) || At(TokenKind.Repeats) || At(TokenKind.Start))
            {
                return placeholder;
            }
            throw new Abandon();
        }
    }

    // qualifier = "WITHIN" number "SECONDS" | "REPEATS" integer "TIMES" | "START" timestamp "STOP" timestamp ;
    private Qualifier QualifierRule()
    {
        var keyword = Advance();
        switch (keyword.Kind)
        {
            case TokenKind.Within:
            {
                if (SkipBroken())
                {
                    Expect(TokenKind.Seconds, PatternMessages.SecondsAfterBrokenNumber);
                    return new WithinQualifier(1, keyword.Offset); // a placeholder in a tree that errors discard
                }
                if (!At(TokenKind.IntegerLiteral) && !At(TokenKind.FloatLiteral))
                {
                    throw Fail(PatternMessages.WithinNumber);
                }
                var n = Advance();
                Expect(TokenKind.Seconds, PatternMessages.SecondsAfterWithin(n.Text));
                return new WithinQualifier(n.Value is long l ? l : (double)n.Value!, keyword.Offset);
            }
            case TokenKind.Repeats:
            {
                if (SkipBroken())
                {
                    Expect(TokenKind.Times, PatternMessages.TimesAfterBrokenNumber);
                    return new RepeatsQualifier(1, keyword.Offset);
                }
                var n = Expect(TokenKind.IntegerLiteral, PatternMessages.RepeatsNumber);
                Expect(TokenKind.Times, PatternMessages.TimesAfterRepeats(n.Text));
                return new RepeatsQualifier((long)n.Value!, keyword.Offset);
            }
            default:
            {
                bool broken = SkipBroken();
                var start = broken ? default : Expect(TokenKind.Timestamp, PatternMessages.StartTimestamp);
                Expect(TokenKind.Stop, broken ? PatternMessages.StopAfterBrokenTimestamp : PatternMessages.StopAfterStart(start!.Text));
                broken |= SkipBroken();
                var stop = broken && !At(TokenKind.Timestamp) ? default : Expect(TokenKind.Timestamp, PatternMessages.StopTimestamp);
                if (broken)
                {
                    var epoch = StixTimestamp.Parse("1970-01-01T00:00:00Z");
                    return new StartStopQualifier(epoch, epoch, keyword.Offset);
                }
                return new StartStopQualifier((StixTimestamp)start!.Value!, (StixTimestamp)stop!.Value!, keyword.Offset);
            }
        }
    }

    // comparison = comparisonAnd { "OR" comparisonAnd } ;
    private ComparisonExpression Comparison() =>
        Chain(TokenKind.Or, ComparisonAnd, ops => new ComparisonGroup(BooleanOperator.Or, ops, ops[0].Offset));

    // comparisonAnd = test { "AND" test } ;
    private ComparisonExpression ComparisonAnd() =>
        Chain(TokenKind.And, Test, ops => new ComparisonGroup(BooleanOperator.And, ops, ops[0].Offset));

    // test = "(" comparison ")" | [ "NOT" ] "EXISTS" path | path [ "NOT" ] operator-and-operand ;
    private ComparisonExpression Test()
    {
        var start = Current;
        if (At(TokenKind.LParen))
        {
            Enter();
            Advance();
            var inner = Comparison();
            Expect(TokenKind.RParen, PatternMessages.ClosingParenthesis(start.Offset));
            Leave();
            return inner;
        }
        if (At(TokenKind.Not) || At(TokenKind.Exists))
        {
            bool negated = At(TokenKind.Not);
            if (negated)
            {
                Advance();
            }
            Expect(TokenKind.Exists, PatternMessages.ExistsAfterNot);
            return new ExistsComparison(Path(), negated, start.Offset);
        }
        var path = Path();
        bool not = false;
        if (At(TokenKind.Not))
        {
            Advance();
            not = true;
        }
        var op = Current;
        switch (op.Kind)
        {
            case TokenKind.Eq or TokenKind.Neq:
                Advance();
                return new PropertyComparison(path, op.Kind == TokenKind.Eq ? ComparisonOperator.Equal : ComparisonOperator.NotEqual, not, Primitive(), start.Offset);
            case TokenKind.Lt or TokenKind.Le or TokenKind.Gt or TokenKind.Ge:
            {
                Advance();
                var cmp = op.Kind switch
                {
                    TokenKind.Lt => ComparisonOperator.Less,
                    TokenKind.Le => ComparisonOperator.LessOrEqual,
                    TokenKind.Gt => ComparisonOperator.Greater,
                    _ => ComparisonOperator.GreaterOrEqual,
                };
                if (At(TokenKind.Boolean))
                {
                    throw Fail(PatternMessages.OrderedConstant(op.Text));
                }
                return new PropertyComparison(path, cmp, not, Primitive(), start.Offset);
            }
            case TokenKind.In:
                Advance();
                return new SetComparison(path, not, Set(), start.Offset);
            case TokenKind.Like or TokenKind.Matches or TokenKind.IsSubset or TokenKind.IsSuperset:
            {
                Advance();
                var cmp = op.Kind switch
                {
                    TokenKind.Like => ComparisonOperator.Like,
                    TokenKind.Matches => ComparisonOperator.Matches,
                    TokenKind.IsSubset => ComparisonOperator.IsSubset,
                    _ => ComparisonOperator.IsSuperset,
                };
                var s = Expect(TokenKind.StringLiteral, PatternMessages.StringAfter(op.Text));
                return new PropertyComparison(path, cmp, not, new StringLiteral(s.Text, s.Offset), start.Offset);
            }
            default:
                throw Fail(PatternMessages.ComparisonOperator);
        }
    }

    // path = objectType ":" ( identifier | string ) { step } ;
    private ObjectPath Path()
    {
        var type = Current;
        if (!At(TokenKind.Identifier))
        {
            throw Fail(PatternMessages.ObjectPath);
        }
        Advance();
        Expect(TokenKind.Colon, PatternMessages.ColonAfterType(Lexer.Shorten(type.Text)));
        var steps = new List<PathStep> { Key(PatternMessages.PropertyAfterColon) };
        while (true)
        {
            if (At(TokenKind.Dot))
            {
                Advance();
                steps.Add(Key(PatternMessages.PropertyAfterDot));
            }
            else if (At(TokenKind.LBracket))
            {
                Advance();
                if (At(TokenKind.Asterisk))
                {
                    Advance();
                    steps.Add(new AnyIndexStep());
                }
                else
                {
                    if (SkipBroken())
                    {
                        steps.Add(new IndexStep(0));
                    }
                    else
                    {
                        var n = Expect(TokenKind.IntegerLiteral, PatternMessages.ListIndex);
                        steps.Add(new IndexStep((long)n.Value!));
                    }
                }
                Expect(TokenKind.RBracket, PatternMessages.BracketAfterIndex);
            }
            else
            {
                return new ObjectPath(type.Text, steps, type.Offset);
            }
        }
    }

    private KeyStep Key(string expected)
    {
        var t = Current;
        if (t.Kind == TokenKind.StringLiteral)
        {
            Advance();
            return new KeyStep(t.Text, Quoted: true);
        }
        if (t.Kind == TokenKind.Identifier)
        {
            if (t.HasHyphen)
            {
                _errors.Add(new PatternError(PatternErrorCode.UnquotedPropertyName, t.Offset, PatternMessages.UnquotedHyphen(Lexer.Shorten(t.Text))));
                throw new Abandon();
            }
            Advance();
            return new KeyStep(t.Text, Quoted: false);
        }
        // A keyword in the place of a name ("file:LIKE") is not a name: the grammar reserves it.
        throw Fail(expected);
    }

    // set = "(" [ primitive { "," primitive } ] ")" ;
    private List<Literal> Set()
    {
        Expect(TokenKind.LParen, PatternMessages.SetStart);
        var values = new List<Literal>();
        if (At(TokenKind.RParen))
        {
            Advance();
            return values;
        }
        values.Add(Primitive());
        while (At(TokenKind.Comma))
        {
            Advance();
            values.Add(Primitive());
        }
        Expect(TokenKind.RParen, PatternMessages.SetContinues);
        return values;
    }

    // primitive = integer | float | string | binary | hex | timestamp | boolean ;
    private Literal Primitive()
    {
        var t = Current;
        Literal? literal = t.Kind switch
        {
            TokenKind.StringLiteral => new StringLiteral(t.Text, t.Offset),
            TokenKind.IntegerLiteral => new IntegerLiteral((long)t.Value!, t.Offset),
            TokenKind.FloatLiteral => new FloatLiteral((double)t.Value!, t.Offset),
            TokenKind.Boolean => new BooleanLiteral((bool)t.Value!, t.Offset),
            TokenKind.Binary => new BytesLiteral((byte[])t.Value!, Hex: false, t.Offset),
            TokenKind.Hex => new BytesLiteral((byte[])t.Value!, Hex: true, t.Offset),
            TokenKind.Timestamp => new TimestampLiteral((StixTimestamp)t.Value!, t.Offset),
            // Already reported by the lexer; any tree holding it is discarded, since the pattern has errors.
            TokenKind.BrokenLiteral => new StringLiteral(t.Text, t.Offset),
            _ => null,
        };
        if (literal is null)
        {
            throw Fail(PatternMessages.Constant);
        }
        Advance();
        return literal;
    }
}
