using System.Collections.Frozen;
using Perisai.Patterning;

namespace Perisai.Detection.Indicators;

/// <summary>How the indicators given to <see cref="IndicatorSet.Build"/> were used.</summary>
/// <param name="Loaded">Indicators given.</param>
/// <param name="Active">Those valid now and not revoked.</param>
/// <param name="Inactive">Revoked, expired or not yet valid: they never match.</param>
/// <param name="NeedEngine">Active, but their patterns are not plain lookups (several objects, FOLLOWEDBY, WITHIN…).</param>
/// <param name="Lookups">Distinct values looked up.</param>
/// <param name="Suppressed">Lookups dropped because the value is on the allow list and the indicator is not forced.</param>
public sealed record IndicatorSetStats(int Loaded, int Active, int Inactive, int NeedEngine, int Lookups, int Suppressed);

/// <summary>
/// The compiled lookups of a set of indicators, built once and immutable: exact values in frozen dictionaries, domains
/// by each of their parent suffixes, addresses by the prefix lengths present (one masked lookup per length). A value
/// from a log is matched in a few dictionary probes, whatever the number of indicators.
/// </summary>
public sealed class IndicatorSet
{
    private readonly DetectionIndicator[] _indicators;
    private readonly FrozenDictionary<string, int[]> _domains;
    private readonly FrozenDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _domainSpans;
    private readonly FrozenDictionary<(IocKind, string), int[]> _exact;
    private readonly (int Prefix, FrozenDictionary<uint, int[]> ByNetwork)[] _v4;
    private readonly (int Prefix, FrozenDictionary<UInt128, int[]> ByNetwork)[] _v6;

    private IndicatorSet(DetectionIndicator[] indicators, Dictionary<string, List<int>> domains, Dictionary<(IocKind, string), List<int>> exact,
        Dictionary<(bool V6, int Prefix, UInt128 Start), List<int>> networks, IndicatorSetStats stats)
    {
        _indicators = indicators;
        _domains = domains.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.Distinct().ToArray(), StringComparer.Ordinal);
        _domainSpans = _domains.GetAlternateLookup<ReadOnlySpan<char>>();
        _exact = exact.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.Distinct().ToArray());
        _v4 = [.. networks.Where(kv => !kv.Key.V6).GroupBy(kv => kv.Key.Prefix).OrderByDescending(g => g.Key)
            .Select(g => (g.Key, g.ToFrozenDictionary(kv => (uint)kv.Key.Start, kv => kv.Value.Distinct().ToArray())))];
        _v6 = [.. networks.Where(kv => kv.Key.V6).GroupBy(kv => kv.Key.Prefix).OrderByDescending(g => g.Key)
            .Select(g => (g.Key, g.ToFrozenDictionary(kv => kv.Key.Start, kv => kv.Value.Distinct().ToArray())))];
        Stats = stats;
    }

    /// <summary>What the build kept and dropped.</summary>
    public IndicatorSetStats Stats { get; }

    /// <summary>The indicators, by the index hits carry.</summary>
    public IReadOnlyList<DetectionIndicator> Indicators => _indicators;

    /// <summary>Whether any lookup of this kind exists (a reader can skip fields of kinds nobody looks for).</summary>
    public bool Wants(IocKind kind) => kind switch
    {
        IocKind.Domain => _domains.Count > 0,
        IocKind.Address => _v4.Length > 0 || _v6.Length > 0,
        _ => _exact.Keys.Any(k => k.Item1 == kind),
    };

    /// <summary>
    /// Compiles the indicators active at <paramref name="now"/>. A lookup whose value <paramref name="allow"/> lists is
    /// dropped unless its indicator is forced, so a shared indicator for a public resolver cannot flood every member.
    /// </summary>
    public static IndicatorSet Build(IEnumerable<DetectionIndicator> indicators, DateTimeOffset now, AllowList? allow = null)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        allow ??= AllowList.Default;
        var all = indicators.ToArray();
        var domains = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var exact = new Dictionary<(IocKind, string), List<int>>();
        var networks = new Dictionary<(bool, int, UInt128), List<int>>();
        int active = 0, inactive = 0, engine = 0, suppressed = 0;
        for (int i = 0; i < all.Length; i++)
        {
            var indicator = all[i];
            if (!indicator.IsActive(now))
            {
                inactive++;
                continue;
            }
            active++;
            if (indicator.Lookups.Count == 0)
            {
                engine++;
                continue;
            }
            foreach (var lookup in indicator.Lookups)
            {
                if (!indicator.Forced && allow.Contains(lookup))
                {
                    suppressed++;
                    continue;
                }
                switch (lookup.Kind)
                {
                    case IocKind.Domain:
                        Add(domains, lookup.Value, i);
                        break;
                    case IocKind.Address:
                        var set = AddressKey.Parse(lookup.Value);
                        Add(networks, (set.IsV6, set.Prefix, set.Start), i);
                        break;
                    default:
                        Add(exact, (lookup.Kind, lookup.Value), i);
                        break;
                }
            }
        }
        var stats = new IndicatorSetStats(all.Length, active, inactive, engine, domains.Count + exact.Count + networks.Count, suppressed);
        return new IndicatorSet(all, domains, exact, networks, stats);
    }

    private static void Add<TKey>(Dictionary<TKey, List<int>> d, TKey key, int i) where TKey : notnull
    {
        if (!d.TryGetValue(key, out var list))
        {
            d[key] = list = [];
        }
        list.Add(i);
    }

    /// <summary>
    /// The indicators a log value hits. Domains match themselves and every parent ('a.evil.com' hits 'evil.com', but
    /// 'notevil.com' does not); addresses match the blocks that contain them. <paramref name="value"/> is the raw log
    /// text, normalized here.
    /// </summary>
    public void Match(IocKind kind, ReadOnlySpan<char> value, List<int> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        switch (kind)
        {
            case IocKind.Domain:
                MatchDomain(value, hits);
                break;
            case IocKind.Address:
                MatchAddress(value, hits);
                break;
            default:
                if (_exact.Count > 0 && IocNormalizer.Normalize(kind, value.ToString()) is { } canonical && _exact.TryGetValue((kind, canonical), out var list))
                {
                    hits.AddRange(list);
                }
                break;
        }
    }

    private void MatchDomain(ReadOnlySpan<char> value, List<int> hits)
    {
        if (_domains.Count == 0 || value.Length is 0 or > 253)
        {
            return;
        }
        Span<char> lower = stackalloc char[value.Length];
        int n = value.ToLowerInvariant(lower);
        var name = lower[..n];
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }
        if (!System.Text.Ascii.IsValid(name))
        {
            // An internationalized name in a log: compare its ASCII (punycode) form, as the indicators were stored.
            if (IocNormalizer.Domain(name.ToString()) is { } ascii)
            {
                MatchDomain(ascii, hits);
            }
            return;
        }
        while (true)
        {
            if (_domainSpans.TryGetValue(name, out var list))
            {
                hits.AddRange(list);
            }
            int dot = name.IndexOf('.');
            if (dot < 0)
            {
                return;
            }
            name = name[(dot + 1)..];
        }
    }

    private void MatchAddress(ReadOnlySpan<char> value, List<int> hits)
    {
        if (_v4.Length == 0 && _v6.Length == 0)
        {
            return;
        }
        if (!IpSet.TryParse(value, out var set))
        {
            return;
        }
        if (!set.IsV6)
        {
            uint a = (uint)set.Start;
            foreach (var (prefix, byNetwork) in _v4)
            {
                if (prefix <= set.Prefix && byNetwork.TryGetValue(prefix == 0 ? 0 : a & (uint.MaxValue << (32 - prefix)), out var list))
                {
                    hits.AddRange(list);
                }
            }
            return;
        }
        foreach (var (prefix, byNetwork) in _v6)
        {
            var mask = prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefix);
            if (prefix <= set.Prefix && byNetwork.TryGetValue(set.Start & mask, out var list))
            {
                hits.AddRange(list);
            }
        }
    }

    /// <summary>Reads back the key <see cref="IpSet.Key"/> wrote.</summary>
    private static class AddressKey
    {
        public static (bool IsV6, int Prefix, UInt128 Start) Parse(string key)
        {
            int slash = key.IndexOf('/', StringComparison.Ordinal);
            return (key[0] == '6', int.Parse(key.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture),
                UInt128.Parse(key.AsSpan(1, slash - 1), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>
/// Known-benign values that must not alert unless an indicator is forced: public DNS resolvers and the most visited
/// domains. A shared indicator naming one would otherwise fire on every member's every log.
/// </summary>
public sealed class AllowList
{
    private readonly HashSet<IocLookup> _values;

    /// <summary>An allow list of exactly these values (normalized).</summary>
    public AllowList(IEnumerable<IocLookup> values) => _values = [.. values];

    /// <summary>
    /// Public resolvers (Google, Cloudflare, Quad9, OpenDNS, in IPv4 and IPv6) and a short list of the most visited
    /// domains and the hosts of common operating-system and browser update services.
    /// </summary>
    public static AllowList Default { get; } = new(
        new[]
        {
            "8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112", "208.67.222.222", "208.67.220.220",
            "2001:4860:4860::8888", "2001:4860:4860::8844", "2606:4700:4700::1111", "2606:4700:4700::1001", "2620:fe::fe",
        }.Select(a => new IocLookup(IocKind.Address, IocNormalizer.Normalize(IocKind.Address, a)!))
        .Concat(new[]
        {
            "google.com", "youtube.com", "facebook.com", "microsoft.com", "windows.com", "windowsupdate.com", "apple.com",
            "amazon.com", "amazonaws.com", "cloudflare.com", "akamai.net", "akamaiedge.net", "wikipedia.org", "github.com",
            "office.com", "live.com", "bing.com", "gstatic.com", "googleapis.com", "ubuntu.com", "debian.org", "mozilla.org",
            "com", "net", "org",
        }.Select(d => new IocLookup(IocKind.Domain, d))));

    /// <summary>Whether the value is known to be benign.</summary>
    public bool Contains(IocLookup lookup) => _values.Contains(lookup);

    /// <summary>The default list plus the values of <paramref name="lines"/> (one per line, '#' comments), classified as plain-list values are.</summary>
    public static AllowList WithExtra(IEnumerable<string> lines) =>
        new(Default._values.Concat(lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => IndicatorSource.Classify(IndicatorSource.Refang(l))).OfType<IocLookup>()));
}
