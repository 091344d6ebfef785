using Perisai.Patterning;
using Perisai.Patterning.Matching;
using System.Runtime.CompilerServices;

namespace Perisai.Detection.Indicators;

/// <summary>
/// Builds an <see cref="IndicatorSet"/> as indicators arrive, so that a list of a million values goes straight into
/// the compact tables without a million strings in between (<see cref="IndicatorSource.ReadInto"/>).
/// </summary>
public sealed class IndicatorSetBuilder(DateTimeOffset now, AllowList? allow = null)
{
    private readonly AllowList _allow = allow ?? AllowList.Default;
    private readonly List<DetectionIndicator> _all = [];
    private readonly DomainTable _domains = new();
    private readonly IndicatorSet.ValueTable<(IocKind, string)> _exact = new(null);
    private readonly Dictionary<int, IndicatorSet.ValueTable<uint>> _v4 = [];
    private readonly Dictionary<int, IndicatorSet.ValueTable<UInt128>> _v6 = [];
    private readonly List<(int, PatternMatcher)> _engine = [];
    private int _active, _inactive, _engineCount, _suppressed;

    /// <summary>Adds an indicator with its lookups.</summary>
    public void Add(DetectionIndicator indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        int i = _all.Count;
        _all.Add(indicator);
        if (!indicator.IsActive(now))
        {
            _inactive++;
            return;
        }
        _active++;
        if (indicator.Lookups.Count == 0)
        {
            _engineCount++;
            if (indicator.Parsed is { } parsed)
            {
                _engine.Add((i, PatternMatcher.Compile(parsed)));
            }
            else if (PatternMatcher.TryCompile(indicator.Pattern, out var matcher, out _))
            {
                _engine.Add((i, matcher!));
            }
            return;
        }
        foreach (var lookup in indicator.Lookups)
        {
            AddLookup(i, indicator.Forced, lookup.Kind, lookup.Value);
        }
    }

    /// <summary>Adds an indicator whose lookups follow one by one (<see cref="AddLookup"/>); returns its index.</summary>
    internal int AddStreamed(DetectionIndicator indicator)
    {
        _all.Add(indicator);
        _active++;
        return _all.Count - 1;
    }

    /// <summary>Room for domain names totalling <paramref name="bytes"/>, before a large list streams in.</summary>
    internal void ReserveDomains(long bytes) => _domains.Reserve(bytes);

    /// <summary>Adds one canonical value of the indicator at <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddLookup(int index, bool forced, IocKind kind, ReadOnlySpan<char> value)
    {
        if (!forced && _allow.Contains(kind, value))
        {
            _suppressed++;
            return;
        }
        switch (kind)
        {
            case IocKind.Domain:
                _domains.Add(value, index);
                break;
            case IocKind.Address:
                var network = IpSet.FromKey(value.ToString());
                // IPv4 blocks keyed by 32 bits, not 128: a list of a million addresses in a quarter of the room.
                if (network.IsV6)
                {
                    Table(_v6, network.Prefix).Add(network.Start, index);
                }
                else
                {
                    Table(_v4, network.Prefix).Add((uint)network.Start, index);
                }
                break;
            default:
                _exact.Add((kind, value.ToString()), index);
                break;
        }
    }

    private static IndicatorSet.ValueTable<TKey> Table<TKey>(Dictionary<int, IndicatorSet.ValueTable<TKey>> tables, int prefix) where TKey : notnull
    {
        if (!tables.TryGetValue(prefix, out var table))
        {
            tables[prefix] = table = new IndicatorSet.ValueTable<TKey>(null);
        }
        return table;
    }

    /// <summary>The set, compiled.</summary>
    public IndicatorSet Build()
    {
        _domains.Seal();
        var stats = new IndicatorSetStats(_all.Count, _active, _inactive, _engineCount, _domains.Count + _exact.Map.Count + _v4.Values.Sum(t => t.Map.Count) + _v6.Values.Sum(t => t.Map.Count), _suppressed);
        return IndicatorSet.Create([.. _all], _domains, _exact, _v4, _v6, stats, _engine);
    }
}
