using System.Globalization;
using System.Text;
using System.Text.Json;
using Perisai.Detection.Indicators;
using Perisai.Patterning.Matching;
using Perisai.Patterning.Syntax;
using Perisai.Stix;

namespace Perisai.Detection.Scanning;

/// <summary>
/// Runs the indicators that are not plain lookups. Each log line becomes one observation (an observed-data whose SCOs
/// are the line's values, at the line's time). Every <see cref="Size"/> lines, and at the end of each file, the new
/// observations are sorted per indicator: those that satisfy one of its observation expressions' comparisons join its
/// history of the latest <see cref="History"/> such observations, the others can take part in none of its matches and
/// are let go (STIX 2.1 §9.4: an observation expression is satisfied by the observations its comparison holds for;
/// qualifiers and operators only combine those). The pattern engine then evaluates the indicator over its history. So
/// the parts of a sequence can be any number of lines apart, as long as fewer than <see cref="History"/> observations
/// that could take part come between, in the same file or across the files of one scan; a hit is reported on every line
/// that took part, once.
/// </summary>
internal sealed class EventWindow
{
    /// <summary>
    /// Lines read before the new ones are sorted and the indicators evaluated: few enough that the observations built
    /// for them stay a few megabytes, enough that the engine runs seldom.
    /// </summary>
    public const int Size = 10_000;

    /// <summary>
    /// Observations an indicator keeps that could take part in its matches: a bound on the memory (a pattern with a
    /// comparison that most lines satisfy keeps the latest ones) and on the engine's work per evaluation.
    /// </summary>
    public const int History = 10_000;

    private readonly IndicatorSet _set;
    private readonly Action<Hit> _onHit;
    private readonly ScanSummary _summary;
    private readonly List<Event> _events = [];
    private List<(IocKind, string)>? _current;

    // Per engine indicator: its observation expressions' comparisons alone (does an observation concern it at all?),
    // its history, and the lines already reported that are still in it.
    private readonly PatternMatcher[][] _leaves;
    private readonly List<Event>[] _history;
    private readonly HashSet<(string File, long Line)>[] _reported;

    public EventWindow(IndicatorSet set, Action<Hit> onHit, ScanSummary summary)
    {
        _set = set;
        _onHit = onHit;
        _summary = summary;
        _leaves = [.. set.Engine.Select(e => Leaves(e.Matcher.Pattern).ToArray())];
        _history = [.. set.Engine.Select(_ => new List<Event>())];
        _reported = [.. set.Engine.Select(_ => new HashSet<(string, long)>())];
        var types = set.Engine.SelectMany(e => ObjectTypes(e.Matcher.Pattern)).ToHashSet(StringComparer.Ordinal);
        _fed = [.. Enum.GetValues<IocKind>().Select(k => TypesOf(k).Any(types.Contains))];
    }

    private readonly bool[] _fed;

    /// <summary>
    /// Whether a value of <paramref name="kind"/> becomes an object of a type some engine indicator refers to. A line
    /// without one can satisfy none of their observation expressions (a comparison holds only for an object of its
    /// type, STIX 2.1 §9.4), so the prefilters may skip it as for lookups alone.
    /// </summary>
    public bool Feeds(IocKind kind) => _fed[(int)kind];

    /// <summary>The object types a value of this kind becomes in an observation (<see cref="Scos.Json"/>).</summary>
    private static string[] TypesOf(IocKind kind) => kind switch
    {
        IocKind.Address => ["ipv4-addr", "ipv6-addr"],
        IocKind.Domain => ["domain-name"],
        IocKind.Url => ["url"],
        IocKind.Email => ["email-addr"],
        IocKind.FileHash => ["file"],
        IocKind.CertificateFingerprint => ["x509-certificate"],
        IocKind.UserAgent => ["network-traffic"],
        _ => ["x-ja3"],
    };

    /// <summary>The object types a pattern's comparisons refer to.</summary>
    private static IEnumerable<string> ObjectTypes(Pattern pattern)
    {
        foreach (var test in Tests(pattern))
        {
            var stack = new Stack<ComparisonExpression>([test.Comparison]);
            while (stack.TryPop(out var c))
            {
                switch (c)
                {
                    case ComparisonGroup g:
                        foreach (var o in g.Operands)
                        {
                            stack.Push(o);
                        }
                        break;
                    case PropertyComparison p:
                        yield return p.Path.ObjectType;
                        break;
                    case SetComparison sc:
                        yield return sc.Path.ObjectType;
                        break;
                    case ExistsComparison x:
                        yield return x.Path.ObjectType;
                        break;
                }
            }
        }
    }

    /// <summary>A pattern's observation expressions (the bracketed tests), whatever combines and qualifies them.</summary>
    private static IEnumerable<ObservationTest> Tests(Pattern pattern)
    {
        var stack = new Stack<ObservationExpression>([pattern.Root]);
        while (stack.TryPop(out var e))
        {
            switch (e)
            {
                case ObservationTest t:
                    yield return t;
                    break;
                case ObservationGroup g:
                    foreach (var o in g.Operands)
                    {
                        stack.Push(o);
                    }
                    break;
                case QualifiedObservation q:
                    stack.Push(q.Inner);
                    break;
            }
        }
    }

    /// <summary>The file whose lines follow.</summary>
    public string File { get; set; } = "-";

    private sealed record Event(string File, long Line, DateTimeOffset Time, List<(IocKind Kind, string Value)> Values);

    /// <summary>Each observation expression's comparison as a pattern of its own.</summary>
    private static IEnumerable<PatternMatcher> Leaves(Pattern pattern) =>
        Tests(pattern).Select(t => PatternMatcher.Compile(new Pattern(t, pattern.Text)));

    public void BeginLine(long line)
    {
        _current = [];
        _events.Add(new Event(File, line, default, _current));
    }

    public void Value(IocKind kind, string value) => _current?.Add((kind, value));

    /// <summary>Closes the line: its time is known once it is parsed.</summary>
    public void EndLine(DateTimeOffset time)
    {
        if (_events.Count > 0 && _events[^1].Values.Count == 0)
        {
            _events.RemoveAt(_events.Count - 1);
        }
        else if (_events.Count > 0)
        {
            _events[^1] = _events[^1] with { Time = time };
        }
        _current = null;
        if (_events.Count >= Size)
        {
            Run();
        }
    }

    /// <summary>Evaluates the lines read so far (the end of a file, or a followed file gone quiet: more lines may come).</summary>
    public void Evaluate() => Run();

    private void Run()
    {
        if (_events.Count == 0 || _set.Engine.Count == 0)
        {
            _events.Clear();
            return;
        }
        var fresh = Observations(_events);
        using var freshDocument = fresh.Document;
        for (int k = 0; k < _set.Engine.Count; k++)
        {
            var relevant = new SortedSet<int>();
            foreach (var leaf in _leaves[k])
            {
                foreach (var o in leaf.Match(fresh.Set).Observations)
                {
                    relevant.Add(fresh.Index[o.Id!]);
                }
            }
            if (relevant.Count == 0)
            {
                continue;
            }
            var history = _history[k];
            history.AddRange(relevant.Select(i => _events[i]));
            if (history.Count > History)
            {
                history.RemoveRange(0, history.Count - History);
                var kept = history.Select(e => (e.File, e.Line)).ToHashSet();
                _reported[k].IntersectWith(kept);
            }
            Evaluate(k, history);
            if (_set.Engine[k].Matcher.IsSingleObservation)
            {
                // Each observation matches or not on its own (LIKE, MATCHES, AND of one object's properties): nothing
                // to keep for later lines.
                history.Clear();
                _reported[k].Clear();
            }
        }
        _events.Clear();
    }

    private void Evaluate(int k, List<Event> history)
    {
        var (indicatorIndex, matcher) = _set.Engine[k];
        var observations = Observations(history);
        using var document = observations.Document;
        foreach (var o in matcher.Match(observations.Set).Observations)
        {
            var (file, line, time, values) = history[observations.Index[o.Id!]];
            if (!_reported[k].Add((file, line)))
            {
                continue; // reported by an earlier evaluation, whose history held this line too
            }
            var indicator = _set.Indicators[indicatorIndex];
            _summary.HitsByIndicator[indicator.Id] = _summary.HitsByIndicator.GetValueOrDefault(indicator.Id) + 1;
            _onHit(new Hit(file, line, "pattern", values[0].Kind, values[0].Value, indicator.Pattern, indicator, time));
        }
    }

    /// <summary>
    /// The events as observed-data (STIX 2.1 §4.13), one per line, and each one's position by its id; the document they
    /// are read from is to be disposed once they are matched (the set reads it lazily).
    /// </summary>
    private static (ObservationSet Set, Dictionary<string, int> Index, JsonDocument Document) Observations(List<Event> events)
    {
        var json = new StringBuilder("[");
        for (int i = 0; i < events.Count; i++)
        {
            var (_, _, time, values) = events[i];
            string t = StixTimestamp.Format(time, 3);
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"type":"observed-data","id":"observed-data--{{i}}","first_observed":"{{t}}","last_observed":"{{t}}","number_observed":1,"objects":{""");
            for (int k = 0; k < values.Count; k++)
            {
                json.Append(k == 0 ? "" : ",").Append('"').Append(k).Append("\":").Append(Scos.Json(values[k].Kind, values[k].Value));
            }
            json.Append("}}");
        }
        var doc = JsonDocument.Parse(json.Append(']').ToString());
        var set = new ObservationSet(ObservationReader.Read(doc.RootElement, out _));
        return (set, set.Observations.Select((o, i) => (o.Id!, i)).ToDictionary(x => x.Item1, x => x.i, StringComparer.Ordinal), doc);
    }
}
