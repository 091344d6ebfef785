using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;

namespace Perisai.Patterning.Matching;

/// <summary>
/// Observations prepared for many patterns: which observations hold an SCO of each type, and, built the first time a
/// pattern asks, which hold each string value at an object path (<c>ipv4-addr:value</c>, <c>file:hashes.MD5</c>,
/// <c>network-traffic:dst_ref.value</c>) and which hold addresses in each range. A pattern that tests equality or
/// ISSUBSET on such a path then visits only the observations that can satisfy it instead of every one; each candidate
/// is still checked against the whole comparison expression, so the indexes narrow the search and never decide a
/// match. Safe to share between threads.
/// </summary>
public sealed class ObservationSet
{
    private readonly FrozenDictionary<string, int[]> _byType;
    private readonly ConcurrentDictionary<string, Lazy<ValueIndex>> _byValue = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<AddressRange[]>> _byAddress = new(StringComparer.Ordinal);

    /// <summary>Indexes <paramref name="observations"/> by object type; value and address indexes follow on demand.</summary>
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

    /// <summary>The strings found at the path, each with the observations holding it (ascending), built once.</summary>
    internal ValueIndex Values(IndexPath path) =>
        _byValue.GetOrAdd(path.Text, _ => new Lazy<ValueIndex>(() => BuildValues(path))).Value;

    /// <summary>The observations holding, at the path, an address set that starts inside <paramref name="network"/>: every subset of it, and some others.</summary>
    internal IEnumerable<int> WithAddressIn(IndexPath path, IpSet network)
    {
        var ranges = _byAddress.GetOrAdd(path.Text, _ => new Lazy<AddressRange[]>(() => BuildRanges(path))).Value;
        var low = new AddressRange(network.IsV6, network.Start, 0);
        int i = Array.BinarySearch(ranges, low);
        for (i = i < 0 ? ~i : i; i < ranges.Length && ranges[i].IsV6 == network.IsV6 && ranges[i].Start <= network.End; i++)
        {
            yield return ranges[i].Observation;
        }
    }

    private ValueIndex BuildValues(IndexPath path)
    {
        var raw = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var addresses = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var (i, text) in Strings(path))
        {
            Add(raw, text, i);
            if (IpSet.TryParse(text, out var set))
            {
                Add(addresses, set.Key, i);
            }
        }
        return new ValueIndex(Freeze(raw), Freeze(addresses));

        static void Add(Dictionary<string, List<int>> d, string key, int i)
        {
            if (!d.TryGetValue(key, out var list))
            {
                d[key] = list = [];
            }
            if (list.Count == 0 || list[^1] != i)
            {
                list.Add(i);
            }
        }

        static FrozenDictionary<string, int[]> Freeze(Dictionary<string, List<int>> d) =>
            d.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    private AddressRange[] BuildRanges(IndexPath path)
    {
        var ranges = new List<AddressRange>();
        foreach (var (i, text) in Strings(path))
        {
            if (IpSet.TryParse(text, out var set))
            {
                ranges.Add(new AddressRange(set.IsV6, set.Start, i));
            }
        }
        ranges.Sort();
        return [.. ranges];
    }

    /// <summary>Every string reached by the path from an SCO of its type, with the observation holding it.</summary>
    private IEnumerable<(int Observation, string Text)> Strings(IndexPath path)
    {
        foreach (int i in WithType(path.Type))
        {
            var o = Observations[i];
            for (int r = 0; r < o.RootTypes.Length; r++)
            {
                if (string.Equals(o.RootTypes[r], path.Type, StringComparison.Ordinal) && path.TryWalk(o.Roots[r], o, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    yield return (i, value.GetString()!);
                }
            }
        }
    }

    private readonly record struct AddressRange(bool IsV6, UInt128 Start, int Observation) : IComparable<AddressRange>
    {
        public int CompareTo(AddressRange other) =>
            IsV6 != other.IsV6 ? IsV6.CompareTo(other.IsV6) : Start != other.Start ? Start.CompareTo(other.Start) : Observation.CompareTo(other.Observation);
    }
}

/// <summary>
/// An object path of plain keys, where a key after a <c>*_ref</c> key is read on the object referred to (§9.7.4): the
/// paths the indexes of <see cref="ObservationSet"/> cover. Lists and binary properties (compared as decoded octets,
/// §9.6.4) are not indexed.
/// </summary>
internal sealed class IndexPath
{
    private IndexPath(string type, string[] keys)
    {
        Type = type;
        Keys = keys;
        Text = type + ":" + string.Join('\u0000', keys);
    }

    public string Type { get; }

    public string[] Keys { get; }

    public string Text { get; }

    public static IndexPath? From(Syntax.ObjectPath path)
    {
        if (path.Steps.Count == 0 || !path.Steps.All(s => s is Syntax.KeyStep))
        {
            return null;
        }
        string[] keys = [.. path.Steps.Select(s => ((Syntax.KeyStep)s).Name)];
        if (keys[^1].EndsWith("_bin", StringComparison.Ordinal) || keys[^1].EndsWith("_hex", StringComparison.Ordinal))
        {
            return null;
        }
        return new IndexPath(path.ObjectType, keys);
    }

    public bool TryWalk(JsonElement root, Observation observation, out JsonElement value)
    {
        value = root;
        for (int i = 0; i < Keys.Length; i++)
        {
            if (i > 0 && Keys[i - 1].EndsWith("_ref", StringComparison.Ordinal)
                && (value.ValueKind != JsonValueKind.String || !observation.TryResolve(value.GetString()!, out value)))
            {
                return false;
            }
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(Keys[i], out value))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>Where a comparison's candidates can be found: a value at a path, or addresses inside a network.</summary>
internal abstract record IndexProbe(IndexPath Path)
{
    public abstract IEnumerable<int> Candidates(ObservationSet set);
}

/// <summary>
/// The strings at one path: by exact text, and, for those that read as addresses, by the address set, so that
/// '198.51.100.1/32' finds '198.51.100.1' as the matcher's address rule would.
/// </summary>
internal sealed class ValueIndex(FrozenDictionary<string, int[]> raw, FrozenDictionary<string, int[]> addresses)
{
    public FrozenDictionary<string, int[]> Raw { get; } = raw;

    public FrozenDictionary<string, int[]> Addresses { get; } = addresses;
}

/// <summary>Observations holding <paramref name="Value"/> at the path, as text or as the same address set.</summary>
internal sealed record ValueProbe(IndexPath Path, string Value) : IndexProbe(Path)
{
    private readonly string? _address = IpSet.TryParse(Value, out var set) ? set.Key : null;

    public override IEnumerable<int> Candidates(ObservationSet set)
    {
        var index = set.Values(Path);
        var exact = index.Raw.TryGetValue(Value, out var a) ? a : [];
        return _address is not null && index.Addresses.TryGetValue(_address, out var b) ? exact.Concat(b) : exact;
    }
}

/// <summary>
/// Observations holding, at the path, a string that <paramref name="Accepts"/> (LIKE, MATCHES): each distinct string
/// is tested once, however many observations hold it.
/// </summary>
internal sealed record TextProbe(IndexPath Path, Func<string, bool> Accepts) : IndexProbe(Path)
{
    public override IEnumerable<int> Candidates(ObservationSet set)
    {
        foreach (var (text, observations) in set.Values(Path).Raw)
        {
            if (Accepts(text))
            {
                foreach (int i in observations)
                {
                    yield return i;
                }
            }
        }
    }
}

/// <summary>Observations holding, at the path, an address set inside <paramref name="Network"/>.</summary>
internal sealed record SubsetProbe(IndexPath Path, IpSet Network) : IndexProbe(Path)
{
    public override IEnumerable<int> Candidates(ObservationSet set) => set.WithAddressIn(Path, Network);
}
