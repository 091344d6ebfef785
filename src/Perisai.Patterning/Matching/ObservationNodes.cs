using Perisai.Patterning.Syntax;

namespace Perisai.Patterning.Matching;

/// <summary>
/// A set of observations bound to the observation expressions of a pattern, with the bounds of their time intervals.
/// An observed-data object with <c>number_observed</c> n stands for n observations (instances), each bound at most
/// once; instance ids are <c>observation index × slots + k</c>.
/// </summary>
internal sealed class Binding
{
    public Binding(long instance, Observation o)
    {
        Instances = [instance];
        MinFirst = MaxFirst = o.First;
        MinLast = MaxLast = o.Last;
    }

    private Binding(long[] instances, long minFirst, long maxFirst, long minLast, long maxLast)
    {
        Instances = instances;
        MinFirst = minFirst;
        MaxFirst = maxFirst;
        MinLast = minLast;
        MaxLast = maxLast;
    }

    /// <summary>Sorted, distinct.</summary>
    public long[] Instances { get; }

    public long MinFirst { get; }

    public long MaxFirst { get; }

    public long MinLast { get; }

    public long MaxLast { get; }

    /// <summary>Both bindings together, or null when they share an instance (§9.5.2: "different Observations").</summary>
    public Binding? Join(Binding other)
    {
        var a = Instances;
        var b = other.Instances;
        var merged = new long[a.Length + b.Length];
        int i = 0, j = 0, k = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                return null;
            }
            merged[k++] = a[i] < b[j] ? a[i++] : b[j++];
        }
        while (i < a.Length)
        {
            merged[k++] = a[i++];
        }
        while (j < b.Length)
        {
            merged[k++] = b[j++];
        }
        return new Binding(merged, Math.Min(MinFirst, other.MinFirst), Math.Max(MaxFirst, other.MaxFirst), Math.Min(MinLast, other.MinLast), Math.Max(MaxLast, other.MaxLast));
    }
}

/// <summary>The state of one match: the observations, the per-test results, and the search budget.</summary>
internal sealed class MatchContext(ObservationSet set, int slots, int tests, long budget)
{
    private readonly int[]?[] _matches = new int[tests][];
    private long _budget = budget;

    public ObservationSet Set { get; } = set;

    public IReadOnlyList<Observation> Observations { get; } = set.Observations;

    /// <summary>How many instances of one observed-data a binding can ever need: more are never enumerated.</summary>
    public int Slots { get; } = slots;

    public bool Exhausted { get; private set; }

    /// <summary>Counts <paramref name="units"/> of search work; false once the budget is spent.</summary>
    public bool Spend(long units = 1)
    {
        _budget -= units;
        if (_budget >= 0)
        {
            return true;
        }
        Exhausted = true;
        return false;
    }

    public int[] MatchesOf(ObservationTestNode test)
    {
        return _matches[test.Slot] ??= test.Scan(Set);
    }
}

/// <summary>A compiled observation expression: the bindings that satisfy it, produced lazily (§9.5).</summary>
internal abstract class ObservationNode
{
    /// <summary>The most instances one binding of this node holds; bounds the instances worth enumerating.</summary>
    public abstract long Size { get; }

    public abstract IEnumerable<Binding> Bindings(MatchContext context);
}

/// <summary><c>[ … ]</c>: each instance of each observation that has an SCO satisfying the comparison expression.</summary>
internal sealed class ObservationTestNode(Condition condition, int slot) : ObservationNode
{
    private readonly ulong _mask = condition.TypeMask;
    private readonly string[] _types = [.. condition.Types];

    public int Slot { get; } = slot;

    public override long Size => 1;

    public bool Matches(Observation o)
    {
        if ((o.TypeMask & _mask) == 0)
        {
            return false;
        }
        var roots = o.Roots;
        var types = o.RootTypes;
        for (int i = 0; i < types.Length; i++)
        {
            if (condition.Test(roots[i], types[i], o))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The observations satisfying the expression, ascending: only those holding one of its lookup values, or else
    /// those holding an SCO of one of its types, are tried.
    /// </summary>
    public int[] Scan(ObservationSet set)
    {
        IEnumerable<int> candidates = !set.UseIndexes ? Enumerable.Range(0, set.Observations.Count)
            : condition.Lookups is { } probes
            ? probes.SelectMany(p => p.Candidates(set)).Order().Distinct()
            : _types.Length == 1 ? set.WithType(_types[0]) // ascending and distinct already
            : _types.SelectMany(set.WithType).Order().Distinct();
        var hits = new List<int>();
        foreach (int i in candidates)
        {
            if (Matches(set.Observations[i]))
            {
                hits.Add(i);
            }
        }
        return [.. hits];
    }

    public override IEnumerable<Binding> Bindings(MatchContext context)
    {
        foreach (int i in context.MatchesOf(this))
        {
            var o = context.Observations[i];
            int n = Math.Min(o.NumberObserved, context.Slots);
            for (int k = 0; k < n; k++)
            {
                if (!context.Spend())
                {
                    yield break;
                }
                yield return new Binding(((long)i * context.Slots) + k, o);
            }
        }
    }
}

/// <summary><c>a OR b</c>: the bindings of a, then those of b (§9.5.2).</summary>
internal sealed class AnyObservationNode(ObservationNode[] operands) : ObservationNode
{
    public override long Size => operands.Max(o => o.Size);

    public override IEnumerable<Binding> Bindings(MatchContext context) => operands.SelectMany(o => o.Bindings(context));
}

/// <summary>
/// <c>a AND b</c> and <c>a FOLLOWEDBY b</c>: one binding of each operand, on different observations; for FOLLOWEDBY
/// each operand must be able to lie at or after everything bound before it (left to right, §9.5.2). An observation
/// spans [first_observed, last_observed]; b can follow a when b's latest possible time is not before a's earliest
/// possible latest time, i.e. every first_observed so far ≤ every last_observed of b.
/// </summary>
internal sealed class JoinNode(ObservationNode[] operands, bool ordered) : ObservationNode
{
    public override long Size => Math.Min(operands.Sum(o => o.Size), PatternMatcher.MaxSlots);

    // Depth-first over the operands without recursion: a chain of thousands of operands must not deepen the stack.
    public override IEnumerable<Binding> Bindings(MatchContext context)
    {
        int n = operands.Length;
        var cursors = new IEnumerator<Binding>[n];
        var sofar = new Binding?[n];
        int depth = 0;
        cursors[0] = operands[0].Bindings(context).GetEnumerator();
        try
        {
            while (depth >= 0)
            {
                if (!cursors[depth].MoveNext())
                {
                    cursors[depth].Dispose();
                    depth--;
                    continue;
                }
                var b = cursors[depth].Current;
                var before = sofar[depth];
                if (!context.Spend(b.Instances.Length + (before?.Instances.Length ?? 0)))
                {
                    yield break;
                }
                if (before is not null && ordered && before.MaxFirst > b.MinLast)
                {
                    continue;
                }
                var joined = before is null ? b : before.Join(b);
                if (joined is null)
                {
                    continue;
                }
                if (depth == n - 1)
                {
                    yield return joined;
                    continue;
                }
                depth++;
                sofar[depth] = joined;
                cursors[depth] = operands[depth].Bindings(context).GetEnumerator();
            }
        }
        finally
        {
            for (int i = 0; i <= Math.Min(depth, n - 1); i++)
            {
                cursors[i]?.Dispose();
            }
        }
    }
}

/// <summary>
/// <c>a WITHIN x SECONDS</c> (§9.5.1): a time can be chosen in every bound observation's interval so that the latest is
/// less than the earliest plus x: the latest first_observed is before the earliest last_observed plus x.
/// </summary>
internal sealed class WithinNode(ObservationNode inner, double seconds) : ObservationNode
{
    // Ticks of 100 ns; a window beyond DateTimeOffset's range holds everything.
    private readonly long _ticks = seconds >= TimeSpan.MaxValue.TotalSeconds ? long.MaxValue : (long)Math.Ceiling(seconds * TimeSpan.TicksPerSecond);

    public override long Size => inner.Size;

    public override IEnumerable<Binding> Bindings(MatchContext context) =>
        inner.Bindings(context).Where(b => b.MaxFirst <= b.MinLast || b.MaxFirst - b.MinLast < _ticks);
}

/// <summary>
/// <c>a START x STOP y</c> (§9.5.1): every bound observation lies in [x, y): first_observed ≥ x and last_observed &lt; y.
/// </summary>
internal sealed class StartStopNode(ObservationNode inner, long start, long stop) : ObservationNode
{
    public override long Size => inner.Size;

    public override IEnumerable<Binding> Bindings(MatchContext context) =>
        inner.Bindings(context).Where(b => b.MinFirst >= start && b.MaxLast < stop);
}

/// <summary>
/// <c>a REPEATS n TIMES</c> (§9.5.1): n bindings of a on pairwise different observations, the same as
/// "a AND a AND …". Combinations are tried in order of a's bindings, so each set is produced once.
/// </summary>
internal sealed class RepeatsNode(ObservationNode inner, long times) : ObservationNode
{
    public override long Size => Math.Min(inner.Size * Math.Min(times, PatternMatcher.MaxSlots), PatternMatcher.MaxSlots);

    public override IEnumerable<Binding> Bindings(MatchContext context)
    {
        var candidates = new List<Binding>();
        foreach (var b in inner.Bindings(context))
        {
            candidates.Add(b);
        }
        if (times > candidates.Count)
        {
            return [];
        }
        return Choose(context, candidates, (int)times);
    }

    // Combinations of `times` candidates in increasing index order, depth-first without recursion.
    private static IEnumerable<Binding> Choose(MatchContext context, List<Binding> candidates, int times)
    {
        var next = new int[times];
        var sofar = new Binding?[times + 1];
        int depth = 0;
        while (depth >= 0)
        {
            int i = next[depth];
            if (candidates.Count - i < times - depth)
            {
                depth--;
                if (depth >= 0)
                {
                    next[depth]++;
                }
                continue;
            }
            var before = sofar[depth];
            if (!context.Spend(candidates[i].Instances.Length + (before?.Instances.Length ?? 0)))
            {
                yield break;
            }
            var joined = before is null ? candidates[i] : before.Join(candidates[i]);
            if (joined is null)
            {
                next[depth]++;
                continue;
            }
            if (depth == times - 1)
            {
                yield return joined;
                next[depth]++;
                continue;
            }
            sofar[depth + 1] = joined;
            depth++;
            next[depth] = i + 1;
        }
    }
}
