using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;

namespace Perisai.Patterning.Matching;

/// <summary>
/// Observations prepared for many patterns: which observations hold an SCO of each type, and, built the first time a
/// pattern asks, which hold each string value at an object path (<c>ipv4-addr:value</c>, <c>file:hashes.MD5</c>).
/// A pattern that tests equality on such a path then visits only the observations holding its values instead of
/// every one; each candidate is still checked against the whole comparison expression, so the indexes only narrow
/// the search and never decide a match. Safe to share between threads.
/// </summary>
public sealed class ObservationSet
{
    private readonly FrozenDictionary<string, int[]> _byType;
    private readonly ConcurrentDictionary<string, Lazy<FrozenDictionary<string, int[]>>> _byValue = new(StringComparer.Ordinal);

    /// <summary>Indexes <paramref name="observations"/> by object type; value indexes follow on demand.</summary>
    public ObservationSet(IReadOnlyList<Observation> observations)
        : this(observations, useIndexes: true)
    {
    }

    /// <summary>Without indexes every pattern tries every observation: the reference the tests hold the indexes to.</summary>
    internal ObservationSet(IReadOnlyList<Observation> observations, bool useIndexes)
    {
        ArgumentNullException.ThrowIfNull(observations);
        Observations = observations;
        UseIndexes = useIndexes;
        var byType = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < observations.Count; i++)
        {
            foreach (string type in observations[i].RootTypes.Distinct(StringComparer.Ordinal))
            {
                if (!byType.TryGetValue(type, out var list))
                {
                    byType[type] = list = [];
                }
                list.Add(i);
            }
        }
        _byType = byType.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The observations, in the order given.</summary>
    public IReadOnlyList<Observation> Observations { get; }

    internal bool UseIndexes { get; }

    internal int[] WithType(string type) => _byType.TryGetValue(type, out var list) ? list : [];

    internal int[] WithValue(ValueLookup lookup, string key)
    {
        var index = _byValue.GetOrAdd(lookup.PathKey, _ => new Lazy<FrozenDictionary<string, int[]>>(() => Build(lookup))).Value;
        return index.TryGetValue(key, out var list) ? list : [];
    }

    private FrozenDictionary<string, int[]> Build(ValueLookup lookup)
    {
        var values = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (int i in WithType(lookup.Type))
        {
            var o = Observations[i];
            for (int r = 0; r < o.RootTypes.Length; r++)
            {
                if (!string.Equals(o.RootTypes[r], lookup.Type, StringComparison.Ordinal))
                {
                    continue;
                }
                var current = o.Roots[r];
                foreach (string key in lookup.Keys)
                {
                    if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(key, out current))
                    {
                        current = default;
                        break;
                    }
                }
                if (current.ValueKind != JsonValueKind.String)
                {
                    continue;
                }
                string k = ValueLookup.Key(current.GetString()!, lookup.IsAddress);
                if (!values.TryGetValue(k, out var list))
                {
                    values[k] = list = [];
                }
                if (list.Count == 0 || list[^1] != i)
                {
                    list.Add(i);
                }
            }
        }
        return values.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }
}

/// <summary>
/// An equality a comparison expression needs to hold on a plain path of properties (no list index, no reference):
/// the values any match must have there. Addresses of <c>ipv4-addr</c> and <c>ipv6-addr</c> are keyed by the network
/// they denote, so '198.51.100.1/32' finds '198.51.100.1', as the comparison itself would.
/// </summary>
internal sealed class ValueLookup(string type, string[] keys, string[] values)
{
    public string Type { get; } = type;

    public string[] Keys { get; } = keys;

    public string PathKey { get; } = type + ":" + string.Join('\u0000', keys);

    /// <summary>The index keys of the literal values.</summary>
    public string[] Values { get; } = [.. values.Select(v => Key(v, IsAddressPath(type, keys)))];

    public bool IsAddress => IsAddressPath(Type, Keys);

    private static bool IsAddressPath(string type, string[] keys) => keys is ["value"] && type is "ipv4-addr" or "ipv6-addr";

    public static string Key(string value, bool address) =>
        address && IpSet.TryParse(value, out var network) ? network.Network.ToString() : value;
}
