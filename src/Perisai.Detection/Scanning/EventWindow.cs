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
/// part. Windows do not overlap, so a multi-observation pattern whose parts fall in two windows is not seen.
/// </summary>
internal sealed class EventWindow(IndicatorSet set, string file, Action<Hit> onHit, ScanSummary summary)
{
    /// <summary>
    /// Lines per window: enough for FOLLOWEDBY and WITHIN over minutes of a busy log, few enough that each evaluation
    /// stays a few milliseconds.
    /// </summary>
    public const int Size = 10_000;

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
            Flush();
        }
    }

    public void Flush()
    {
        if (_events.Count == 0 || set.Engine.Count == 0)
        {
            _events.Clear();
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
                var indicator = set.Indicators[indicatorIndex];
                summary.HitsByIndicator[indicator.Id] = summary.HitsByIndicator.GetValueOrDefault(indicator.Id) + 1;
                onHit(new Hit(file, line, "pattern", values[0].Kind, values[0].Value, indicator.Pattern, indicator, time));
            }
        }
        _events.Clear();
    }
}
