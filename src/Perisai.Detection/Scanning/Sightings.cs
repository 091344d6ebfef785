using System.Text.Json;
using Perisai.Stix;

namespace Perisai.Detection.Scanning;

/// <summary>
/// Aggregates hits into STIX 2.1 sightings (§5.2), one per indicator: how many times, first and last seen, where (the
/// scanning organization's identity), and what was seen (an observed-data of the values). Indicators without a STIX id
/// (plain lists, MISP attributes) have nothing to refer to and get no sighting.
/// </summary>
public sealed class SightingAggregator
{
    /// <summary>Distinct values kept per indicator as the evidence of its sighting: enough to show what was seen, bounded.</summary>
    public const int MaxEvidence = 100;

    private readonly Dictionary<string, (long Count, DateTimeOffset First, DateTimeOffset Last)> _byIndicator = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(Indicators.IocKind, string)>> _evidence = new(StringComparer.Ordinal);

    /// <summary>Counts one hit.</summary>
    public void Add(Hit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        string id = hit.Indicator.Id;
        if (!id.StartsWith("indicator--", StringComparison.Ordinal))
        {
            return;
        }
        _byIndicator[id] = _byIndicator.TryGetValue(id, out var s)
            ? (s.Count + 1, hit.Time < s.First ? hit.Time : s.First, hit.Time > s.Last ? hit.Time : s.Last)
            : (1, hit.Time, hit.Time);
        if (!_evidence.TryGetValue(id, out var values))
        {
            _evidence[id] = values = [];
        }
        if (values.Count < MaxEvidence && hit.Kind != Indicators.IocKind.Ja3)
        {
            values.Add((hit.Kind, hit.Value));
        }
    }

    /// <summary>Indicators sighted so far.</summary>
    public int Count => _byIndicator.Count;

    /// <summary>
    /// Per indicator sighted: the SCOs of the values seen (at most <see cref="MaxEvidence"/>, deterministic ids, §2.9),
    /// one observed-data holding them over the time they were seen (§4.13), and the sighting (§5.2) citing it in
    /// <c>observed_data_refs</c>, <paramref name="whereSighted"/> being the identity of the scanning organization. Each
    /// object is returned with the indicator it belongs to, so a caller can route them together.
    /// <paramref name="newId"/> supplies the UUIDv4s of the observed-data and sightings.
    /// </summary>
    public IReadOnlyList<(string Indicator, string Json)> ToObjects(string whereSighted, DateTimeOffset now, Func<Guid> newId)
    {
        ArgumentNullException.ThrowIfNull(newId);
        string stamp = StixTimestamp.Format(now, 3);
        var list = new List<(string, string)>();
        foreach (var (indicator, s) in _byIndicator.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var scoIds = new List<string>();
            foreach (var (kind, value) in _evidence[indicator].OrderBy(v => v.Item2, StringComparer.Ordinal))
            {
                using var sco = JsonDocument.Parse(Scos.Json(kind, value));
                if (Perisai.Stix.Identifiers.ScoIdentifier.Compute(sco.RootElement) is not { } scoId)
                {
                    continue;
                }
                scoIds.Add(scoId);
                list.Add((indicator, Write(w =>
                {
                    w.WriteString("type", sco.RootElement.GetProperty("type").GetString());
                    w.WriteString("spec_version", "2.1");
                    w.WriteString("id", scoId);
                    foreach (var p in sco.RootElement.EnumerateObject().Where(p => p.Name != "type"))
                    {
                        p.WriteTo(w);
                    }
                })));
            }
            string? observed = null;
            if (scoIds.Count > 0)
            {
                observed = $"observed-data--{newId()}";
                list.Add((indicator, Write(w =>
                {
                    Common(w, "observed-data", observed, stamp);
                    w.WriteString("first_observed", StixTimestamp.Format(s.First, 3));
                    w.WriteString("last_observed", StixTimestamp.Format(s.Last, 3));
                    // §4.13: number_observed is an integer from 1 to 999,999,999.
                    w.WriteNumber("number_observed", Math.Min(s.Count, 999_999_999));
                    w.WriteStartArray("object_refs");
                    scoIds.ForEach(w.WriteStringValue);
                    w.WriteEndArray();
                })));
            }
            list.Add((indicator, Write(w =>
            {
                Common(w, "sighting", $"sighting--{newId()}", stamp);
                w.WriteString("sighting_of_ref", indicator);
                // §5.2: count is an integer from 0 to 999,999,999.
                w.WriteNumber("count", Math.Min(s.Count, 999_999_999));
                w.WriteString("first_seen", StixTimestamp.Format(s.First, 3));
                w.WriteString("last_seen", StixTimestamp.Format(s.Last, 3));
                if (observed is not null)
                {
                    w.WriteStartArray("observed_data_refs");
                    w.WriteStringValue(observed);
                    w.WriteEndArray();
                }
                w.WriteStartArray("where_sighted_refs");
                w.WriteStringValue(whereSighted);
                w.WriteEndArray();
            })));
        }
        return list;
    }

    private static void Common(Utf8JsonWriter w, string type, string id, string stamp)
    {
        w.WriteString("type", type);
        w.WriteString("spec_version", "2.1");
        w.WriteString("id", id);
        w.WriteString("created", stamp);
        w.WriteString("modified", stamp);
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Objects of <see cref="ToObjects"/> as one STIX bundle, whose id <paramref name="newId"/> supplies.</summary>
    public static string ToBundle(IEnumerable<(string Indicator, string Json)> objects, Func<Guid> newId)
    {
        ArgumentNullException.ThrowIfNull(newId);
        return $"{{\"type\":\"bundle\",\"id\":\"bundle--{newId()}\",\"objects\":[{string.Join(",", objects.Select(x => x.Json))}]}}";
    }
}
