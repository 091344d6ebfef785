using System.Globalization;
using System.Text;
using System.Text.Json;
using Perisai.Detection.Indicators;
using Perisai.Patterning.Matching;
using Perisai.Stix;

namespace Perisai.Detection.Scanning;

/// <summary>
/// Runs the indicators that are not plain lookups: each log line becomes one observation (an observed-data whose SCOs
/// are the line's values, at the line's time), and every <see cref="Size"/> lines, and at the end of each file, the
/// pattern engine evaluates those indicators over the window. A hit is reported on every line whose observation took
/// part, once. Consecutive windows overlap by half (<see cref="Overlap"/>), so a sequence whose parts are at most that
/// many events apart is always seen whole in some window.
/// </summary>
internal sealed class EventWindow(IndicatorSet set, string file, Action<Hit> onHit, ScanSummary summary)
{
    /// <summary>
    /// Lines per window: enough for FOLLOWEDBY and WITHIN over minutes of a busy log, few enough that each evaluation
    /// stays a few milliseconds.
    /// </summary>
    public const int Size = 10_000;

    /// <summary>Events a window keeps from the one before.</summary>
    public const int Overlap = Size / 2;

    private readonly HashSet<(int Indicator, long Line)> _reported = [];

    private readonly List<(long Line, DateTimeOffset Time, List<(IocKind Kind, string Value)> Values)> _events = [];
    private List<(IocKind, string)>? _current;

    public void BeginLine(long line)
    {
        _current = [];
        _events.Add((line, default, _current));
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
            // Slide: keep the newer half, and forget what was reported on lines that are gone.
            _events.RemoveRange(0, _events.Count - Overlap);
            long oldest = _events[0].Line;
            _reported.RemoveWhere(r => r.Line < oldest);
        }
    }

    /// <summary>Evaluates what is left (the end of a file, or a followed file gone quiet) and starts afresh.</summary>
    public void Flush()
    {
        Run();
        _events.Clear();
        _reported.Clear();
    }

    /// <summary>Evaluates the window as it is and keeps it (a followed file gone quiet: more lines may come).</summary>
    public void Evaluate() => Run();

    private void Run()
    {
        if (_events.Count == 0 || set.Engine.Count == 0)
        {
            return;
        }
        var json = new StringBuilder("[");
        for (int i = 0; i < _events.Count; i++)
        {
            var (_, time, values) = _events[i];
            string t = StixTimestamp.Format(time, 3);
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"type":"observed-data","id":"observed-data--{{i}}","first_observed":"{{t}}","last_observed":"{{t}}","number_observed":1,"objects":{""");
            for (int k = 0; k < values.Count; k++)
            {
                json.Append(k == 0 ? "" : ",").Append('"').Append(k).Append("\":").Append(Scos.Json(values[k].Kind, values[k].Value));
            }
            json.Append("}}");
        }
        using var doc = JsonDocument.Parse(json.Append(']').ToString());
        var observations = new ObservationSet(ObservationReader.Read(doc.RootElement, out _));
        var index = observations.Observations.Select((o, i) => (o.Id, i)).ToDictionary(x => x.Id!, x => x.i, StringComparer.Ordinal);
        foreach (var (indicatorIndex, matcher) in set.Engine)
        {
            var result = matcher.Match(observations);
            foreach (var o in result.Observations)
            {
                var (line, time, values) = _events[index[o.Id!]];
                if (!_reported.Add((indicatorIndex, line)))
                {
                    continue; // reported by the window before, which held this line too
                }
                var indicator = set.Indicators[indicatorIndex];
                summary.HitsByIndicator[indicator.Id] = summary.HitsByIndicator.GetValueOrDefault(indicator.Id) + 1;
                onHit(new Hit(file, line, "pattern", values[0].Kind, values[0].Value, indicator.Pattern, indicator, time));
            }
        }
    }
}
