using System.Numerics;
using Perisai.Patterning;
using System.Runtime.CompilerServices;

namespace Perisai.Detection.Indicators;

/// <summary>How the indicators given to <see cref="IndicatorSet.Build"/> were used.</summary>
/// <param name="Loaded">Indicators given.</param>
/// <param name="Active">Those valid now and not revoked.</param>
/// <param name="Inactive">Revoked, expired or not yet valid: they never match.</param>
/// <param name="NeedEngine">Active, with patterns that are not plain lookups (several objects, FOLLOWEDBY, WITHIN…): run by the pattern engine.</param>
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
    private readonly DomainTable _domains;
    private readonly ValueTable<(IocKind, string)> _exact;
    private readonly (int Prefix, ValueTable<uint> ByNetwork)[] _v4;
    private readonly (int Prefix, ValueTable<UInt128> ByNetwork)[] _v6;
    private readonly bool[] _kinds = new bool[Enum.GetValues<IocKind>().Length];

    private IndicatorSet(DetectionIndicator[] indicators, DomainTable domains, ValueTable<(IocKind, string)> exact,
        Dictionary<int, ValueTable<uint>> v4, Dictionary<int, ValueTable<UInt128>> v6, IndicatorSetStats stats)
    {
        _indicators = indicators;
        _domains = domains;
        _exact = exact;
        _v4 = [.. v4.OrderByDescending(kv => kv.Key).Select(kv => (kv.Key, kv.Value))];
        _v6 = [.. v6.OrderByDescending(kv => kv.Key).Select(kv => (kv.Key, kv.Value))];
        _kinds[(int)IocKind.Domain] = domains.Count > 0;
        _kinds[(int)IocKind.Address] = _v4.Length > 0 || _v6.Length > 0;
        foreach (var (kind, _) in exact.Map.Keys)
        {
            _kinds[(int)kind] = true;
        }
        domains.Seal();
        Stats = stats;
    }

    /// <summary>What the build kept and dropped.</summary>
    public IndicatorSetStats Stats { get; }

    /// <summary>
    /// Active indicators whose patterns are not plain lookups (several objects, FOLLOWEDBY, WITHIN…), compiled for the
    /// pattern engine, which runs them over windows of events.
    /// </summary>
    public IReadOnlyList<(int Indicator, Perisai.Patterning.Matching.PatternMatcher Matcher)> Engine { get; private init; } = [];

    /// <summary>The indicators, by the index hits carry.</summary>
    public IReadOnlyList<DetectionIndicator> Indicators => _indicators;

    /// <summary>Whether any lookup of this kind exists (a reader can skip fields of kinds nobody looks for).</summary>
    public bool Wants(IocKind kind) => _kinds[(int)kind];

    /// <summary>
    /// Compiles the indicators active at <paramref name="now"/>. A lookup whose value <paramref name="allow"/> lists is
    /// dropped unless its indicator is forced, so a shared indicator for a public resolver cannot flood every member.
    /// </summary>
    public static IndicatorSet Build(IEnumerable<DetectionIndicator> indicators, DateTimeOffset now, AllowList? allow = null)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        var builder = new IndicatorSetBuilder(now, allow);
        foreach (var indicator in indicators)
        {
            builder.Add(indicator);
        }
        return builder.Build();
    }

    internal static IndicatorSet Create(DetectionIndicator[] indicators, DomainTable domains, ValueTable<(IocKind, string)> exact,
        Dictionary<int, ValueTable<uint>> v4, Dictionary<int, ValueTable<UInt128>> v6, IndicatorSetStats stats,
        List<(int, Perisai.Patterning.Matching.PatternMatcher)> engine) =>
        new(indicators, domains, exact, v4, v6, stats) { Engine = engine };

    /// <summary>
    /// The indicators a log value hits, each with the listed value it hit (a domain's parent, the block of an address).
    /// Domains match themselves and every parent ('a.evil.com' hits 'evil.com', but 'notevil.com' does not);
    /// addresses match the blocks that contain them. <paramref name="value"/> is the raw log text, normalized here.
    /// </summary>
    public void Match(IocKind kind, ReadOnlySpan<char> value, List<IndicatorHit> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        if (!_kinds[(int)kind])
        {
            return;
        }
        switch (kind)
        {
            case IocKind.Domain:
                MatchDomain(value, hits);
                break;
            case IocKind.Address:
                MatchAddress(value, hits);
                break;
            default:
                if (IocNormalizer.Normalize(kind, value.ToString()) is { } canonical && _exact.Map.TryGetValue((kind, canonical), out int slot))
                {
                    _exact.AddHits(slot, canonical, hits);
                }
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MatchDomain(ReadOnlySpan<char> value, List<IndicatorHit> hits)
    {
        if (value.Length is 0 or > DomainTable.MaxName + 1)
        {
            return;
        }
        Span<byte> buffer = stackalloc byte[DomainTable.MaxName + 1 + DomainTable.Padding];
        if (System.Text.Ascii.ToLower(value, buffer, out int n) != System.Buffers.OperationStatus.Done)
        {
            // An internationalized name in a log: compare its ASCII (punycode) form, as the indicators were stored.
            if (IocNormalizer.Domain(value.ToString()) is { } ascii && ascii.Length <= DomainTable.MaxName)
            {
                MatchDomain(ascii, hits);
            }
            return;
        }
        if (buffer[n - 1] == '.')
        {
            n--;
        }
        _domains.Match(buffer, n, hits);
    }

    /// <summary>
    /// Looks up the names of <paramref name="probes"/> (and their parents) together, and sets <paramref name="hit"/>
    /// at the tag of each that is listed: the lookups of many lines overlap in memory instead of each waiting its turn.
    /// </summary>
    public void Match(DomainProbes probes, Span<bool> hit)
    {
        ArgumentNullException.ThrowIfNull(probes);
        if (_kinds[(int)IocKind.Domain])
        {
            _domains.Match(probes, hit);
        }
    }

    private void MatchAddress(ReadOnlySpan<char> value, List<IndicatorHit> hits)
    {
        if (!IpSet.TryParse(value, out var set))
        {
            return;
        }
        if (!set.IsV6)
        {
            foreach (var (prefix, table) in _v4)
            {
                if (prefix <= set.Prefix && table.Map.TryGetValue((uint)set.WithPrefix(prefix).Start, out int slot))
                {
                    table.AddHits(slot, set.WithPrefix(prefix).ToString(), hits);
                }
            }
            return;
        }
        foreach (var (prefix, table) in _v6)
        {
            if (prefix <= set.Prefix && table.Map.TryGetValue(set.WithPrefix(prefix).Start, out int slot))
            {
                table.AddHits(slot, set.WithPrefix(prefix).ToString(), hits);
            }
        }
    }

    /// <summary>
    /// Values to indicators, compact for the common case: a value listed by one indicator stores that indicator's
    /// index itself; only values listed by several point (as a negative number) into a shared list. A million list
    /// entries then cost one dictionary entry each rather than a dictionary entry and a list.
    /// </summary>
    internal sealed class ValueTable<TKey>(IEqualityComparer<TKey>? comparer) where TKey : notnull
    {
        private readonly List<List<int>> _shared = [];

        public Dictionary<TKey, int> Map { get; private init; } = new(comparer);

        public void Add(TKey key, int indicator)
        {
            ref int slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(Map, key, out bool exists);
            if (!exists)
            {
                slot = indicator;
            }
            else if (slot >= 0 && slot != indicator)
            {
                _shared.Add([slot, indicator]);
                slot = -_shared.Count;
            }
            else if (slot < 0 && !_shared[-slot - 1].Contains(indicator))
            {
                _shared[-slot - 1].Add(indicator);
            }
        }

        public void AddHits(int slot, string listed, List<IndicatorHit> hits)
        {
            if (slot >= 0)
            {
                hits.Add(new IndicatorHit(slot, listed));
                return;
            }
            foreach (int i in _shared[-slot - 1])
            {
                hits.Add(new IndicatorHit(i, listed));
            }
        }
    }
}

/// <summary>An indicator a value hit, and the listed value it hit (the parent domain, the address block).</summary>
/// <param name="Indicator">Index into <see cref="IndicatorSet.Indicators"/>.</param>
/// <param name="Listed">The indicator's value that matched, in canonical form.</param>
public readonly record struct IndicatorHit(int Indicator, string Listed);

/// <summary>
/// Known-benign values that must not alert unless an indicator is forced: public DNS resolvers and the most visited
/// domains. A shared indicator naming one would otherwise fire on every member's every log.
/// </summary>
public sealed class AllowList
{
    private readonly HashSet<IocLookup> _values;

    // The values again per kind, looked up from a span: a million-name list is checked name by name as it loads, and
    // a string made for each check was most of what the load allocated.
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>>[] _byKind;

    /// <summary>An allow list of exactly these values (normalized).</summary>
    public AllowList(IEnumerable<IocLookup> values)
    {
        _values = [.. values];
        _byKind = [.. Enum.GetValues<IocKind>().Select(k => new HashSet<string>(_values.Where(v => v.Kind == k).Select(v => v.Value), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>())];
    }

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

    /// <summary>Whether the canonical value is known to be benign, without making a string of it for the common miss.</summary>
    internal bool Contains(IocKind kind, ReadOnlySpan<char> value) => _byKind[(int)kind].Contains(value);

    /// <summary>The default list plus the values of <paramref name="lines"/> (one per line, '#' comments), classified as plain-list values are.</summary>
    public static AllowList WithExtra(IEnumerable<string> lines) =>
        new(Default._values.Concat(lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => IndicatorSource.Classify(IndicatorSource.Refang(l))).OfType<IocLookup>()));
}
