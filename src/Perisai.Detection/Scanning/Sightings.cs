using System.Text.Json;
using Perisai.Stix;

namespace Perisai.Detection.Scanning;

/// <summary>
/// Aggregates hits into STIX 2.1 sightings (§5.2), one per indicator: how many times, first and last seen, and where
/// (the scanning organization's identity). Indicators without a STIX id (plain lists, MISP attributes) have nothing
/// to refer to and get no sighting.
/// </summary>
public sealed class SightingAggregator
{
    private readonly Dictionary<string, (long Count, DateTimeOffset First, DateTimeOffset Last)> _byIndicator = new(StringComparer.Ordinal);

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
    }

    /// <summary>Indicators sighted so far.</summary>
    public int Count => _byIndicator.Count;

    /// <summary>
    /// One sighting per indicator sighted, as JSON, <paramref name="whereSighted"/> being the identity id of the
    /// scanning organization. <paramref name="newId"/> supplies the UUIDv4 of each.
    /// </summary>
    public IReadOnlyList<(string Indicator, string Json)> ToSightings(string whereSighted, DateTimeOffset now, Func<Guid> newId)
    {
        ArgumentNullException.ThrowIfNull(newId);
        string stamp = StixTimestamp.Format(now, 3);
        var list = new List<(string, string)>();
        foreach (var (indicator, s) in _byIndicator.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("type", "sighting");
                w.WriteString("spec_version", "2.1");
                w.WriteString("id", $"sighting--{newId()}");
                w.WriteString("created", stamp);
                w.WriteString("modified", stamp);
                w.WriteString("sighting_of_ref", indicator);
                // §5.2: count is an integer from 0 to 999,999,999.
                w.WriteNumber("count", Math.Min(s.Count, 999_999_999));
                w.WriteString("first_seen", StixTimestamp.Format(s.First, 3));
                w.WriteString("last_seen", StixTimestamp.Format(s.Last, 3));
                w.WriteStartArray("where_sighted_refs");
                w.WriteStringValue(whereSighted);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            list.Add((indicator, System.Text.Encoding.UTF8.GetString(buffer.ToArray())));
        }
        return list;
    }

    /// <summary>The sightings of <see cref="ToSightings"/> as one STIX bundle.</summary>
    public string ToBundle(string whereSighted, DateTimeOffset now, Func<Guid> newId)
    {
        ArgumentNullException.ThrowIfNull(newId);
        var sightings = ToSightings(whereSighted, now, newId);
        return $"{{\"type\":\"bundle\",\"id\":\"bundle--{newId()}\",\"objects\":[{string.Join(",", sightings.Select(x => x.Json))}]}}";
    }
}
