using Perisai.Patterning.Syntax;

namespace Perisai.Patterning.Matching;

/// <summary>What matching a pattern against observations found.</summary>
/// <param name="Matched">Whether some set of the observations satisfies the pattern (§9.4).</param>
/// <param name="Observations">
/// Every observation that takes part in a satisfying binding found, in input order: the evidence a sighting cites.
/// </param>
/// <param name="Complete">
/// False when the search budget ran out first: <paramref name="Matched"/> is still exact when true, but a false may
/// be a match not found in time, and the observation list may be partial.
/// </param>
public sealed record MatchResult(bool Matched, IReadOnlyList<Observation> Observations, bool Complete);

/// <summary>
/// A valid pattern compiled for evaluation: sealed nodes for each observation and comparison expression, literals
/// typed and regular expressions built once, and a type mask per observation expression that rejects an
/// observation of other object types with one AND. Immutable and safe to share between threads.
/// </summary>
public sealed class PatternMatcher
{
    /// <summary>
    /// Instances of one observed-data a binding may use (REPEATS 1000000 TIMES is the most a pattern can ask within
    /// budget): caps the enumeration of <c>number_observed</c>, which may be up to 999,999,999.
    /// </summary>
    internal const long MaxSlots = 1_000_000;

    /// <summary>
    /// Default search budget in steps (one step per binding considered, per instance copied): about a second of work
    /// for the worst patterns (REPEATS and AND over many matching observations), far beyond any ordinary one.
    /// </summary>
    public const long DefaultBudget = 20_000_000;

    private readonly ObservationNode _root;
    private readonly ObservationTestNode[] _tests;
    private readonly int _slots;

    private PatternMatcher(Pattern pattern, ObservationNode root, ObservationTestNode[] tests)
    {
        Pattern = pattern;
        _root = root;
        _tests = tests;
        _slots = (int)Math.Min(root.Size, MaxSlots);
    }

    /// <summary>The pattern compiled.</summary>
    public Pattern Pattern { get; }

    /// <summary>
    /// True when the pattern is one observation expression with no qualifier but START/STOP, or an OR of those: then
    /// each observation matches or not on its own, which lets a caller test observations one at a time.
    /// </summary>
    public bool IsSingleObservation => Flat(Pattern.Root);

    /// <summary>Compiles a pattern that <see cref="StixPattern.TryParse(string, out Syntax.Pattern?, out IReadOnlyList{PatternError})"/> accepted.</summary>
    public static PatternMatcher Compile(Pattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var tests = new List<ObservationTestNode>();
        var root = Build(pattern.Root, tests);
        return new PatternMatcher(pattern, root, [.. tests]);
    }

    /// <summary>Parses, checks and compiles <paramref name="text"/>; false with every error when it is invalid (§9.4: an invalid pattern matches nothing).</summary>
    public static bool TryCompile(string text, out PatternMatcher? matcher, out IReadOnlyList<PatternError> errors)
    {
        matcher = null;
        if (!StixPattern.TryParse(text, out var pattern, out errors))
        {
            return false;
        }
        matcher = Compile(pattern!);
        return true;
    }

    /// <summary>
    /// Evaluates the pattern against <paramref name="observations"/> (§9.4: true when one or more of them match).
    /// <paramref name="budget"/> bounds the search for patterns that combine observations.
    /// </summary>
    public MatchResult Match(IReadOnlyList<Observation> observations, long budget = DefaultBudget)
    {
        ArgumentNullException.ThrowIfNull(observations);
        return Match(new ObservationSet(observations), budget);
    }

    /// <summary>
    /// Evaluates the pattern against a prepared set; the way to match many patterns against the same observations, whose
    /// indexes are then built once.
    /// </summary>
    public MatchResult Match(ObservationSet set, long budget = DefaultBudget)
    {
        ArgumentNullException.ThrowIfNull(set);
        var observations = set.Observations;
        var context = new MatchContext(set, _slots, _tests.Length, budget);
        if (_root is ObservationTestNode single)
        {
            // One observation expression without qualifiers: the observations satisfying it are the answer, with no
            // binding to build (the common indicator).
            int[] hits = context.MatchesOf(single);
            return new MatchResult(hits.Length > 0, [.. hits.Select(i => observations[i])], Complete: true);
        }
        var used = new HashSet<int>();
        bool matched = false;
        foreach (var binding in _root.Bindings(context))
        {
            matched = true;
            foreach (long instance in binding.Instances)
            {
                used.Add((int)(instance / _slots));
            }
            if (used.Count == observations.Count)
            {
                break;
            }
        }
        return new MatchResult(matched, [.. used.Order().Select(i => observations[i])], !context.Exhausted);
    }

    private static bool Flat(ObservationExpression e) => e switch
    {
        ObservationTest => true,
        ObservationGroup { Operator: ObservationOperator.Or } g => g.Operands.All(Flat),
        QualifiedObservation q => q.Qualifiers.All(x => x is StartStopQualifier) && Flat(q.Inner),
        _ => false,
    };

    private static ObservationNode Build(ObservationExpression e, List<ObservationTestNode> tests)
    {
        switch (e)
        {
            case ObservationTest t:
            {
                var node = new ObservationTestNode(Condition.Compile(t.Comparison), tests.Count);
                tests.Add(node);
                return node;
            }
            case ObservationGroup g:
            {
                var operands = g.Operands.Select(o => Build(o, tests)).ToArray();
                return g.Operator == ObservationOperator.Or ? new AnyObservationNode(operands) : new JoinNode(operands, g.Operator == ObservationOperator.FollowedBy);
            }
            case QualifiedObservation q:
            {
                // Qualifiers apply in the order written, each to what the previous produced (§9.5.1).
                var node = Build(q.Inner, tests);
                foreach (var qualifier in q.Qualifiers)
                {
                    node = qualifier switch
                    {
                        WithinQualifier w => new WithinNode(node, w.Seconds),
                        RepeatsQualifier r => new RepeatsNode(node, r.Times),
                        StartStopQualifier s => new StartStopNode(node, s.Start.Instant.UtcTicks, s.Stop.Instant.UtcTicks),
                        _ => throw new ArgumentException($"unknown qualifier {qualifier.GetType().Name}", nameof(e)),
                    };
                }
                return node;
            }
            default:
                throw new ArgumentException($"unknown observation expression {e.GetType().Name}", nameof(e));
        }
    }
}
