using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Perisai.Detection.Indicators;

/// <summary>
/// Listed domain names, compact: each name's length and ASCII bytes one after another in one array (a name is known by
/// where its record starts), runs of records listed by one indicator (a plain list is one run), an open-addressing
/// table of records with a fingerprint of each hash, and a Bloom filter in front of it. A million names of twenty
/// characters cost about 36 MB here (1.6 times the list file), against some 150 MB as .NET strings in a dictionary,
/// and a lookup hashes and compares the log's bytes in place, without making a string.
/// </summary>
internal sealed class DomainTable
{
    /// <summary>The longest name (RFC 1035 §2.3.4: 255 octets on the wire, so 253 characters written out).</summary>
    public const int MaxName = 253;

    /// <summary>
    /// Room a name's buffer needs beyond its last byte: a label's last word is read whole (8 bytes) and masked, which
    /// is much faster than assembling it byte by byte.
    /// </summary>
    public const int Padding = 8;

    private byte[] _bytes = new byte[1 << 16];
    private int _used;
    private readonly List<(int Start, int Indicator)> _runs = [];
    private readonly Dictionary<int, List<int>> _shared = [];
    private int _added;
    private bool _sealed;

    // Slots: the hash's low 32 bits (a fingerprint) above the record's start + 1 (0 is empty). A probe that meets
    // another name is told by the fingerprint, without reading the name: each read of the names was one more wait for
    // memory.
    private ulong[] _table = [];
    private ulong[] _filter = [];
    private ulong _filterWords;

    /// <summary>Distinct names (known once sealed; before, the names added).</summary>
    public int Count { get; private set; }

    /// <summary>Adds a canonical (ASCII, lowercase) name listed by <paramref name="indicator"/>.</summary>
    public void Add(ReadOnlySpan<char> name, int indicator)
    {
        if (_sealed)
        {
            throw new InvalidOperationException("the table is sealed");
        }
        if (name.Length is 0 or > MaxName || !System.Text.Ascii.IsValid(name))
        {
            return;
        }
        if (_used + name.Length + 1 > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + name.Length + 1));
        }
        if (_runs.Count == 0 || _runs[^1].Indicator != indicator)
        {
            _runs.Add((_used, indicator));
        }
        _bytes[_used] = (byte)name.Length;
        System.Text.Ascii.ToLower(name, _bytes.AsSpan(_used + 1), out _);
        _used += name.Length + 1;
        _added++;
        Count = _added;
    }

    /// <summary>The indicator whose run holds the record at <paramref name="start"/>.</summary>
    private int IndicatorAt(int start)
    {
        int lo = 0, hi = _runs.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (_runs[mid].Start <= start)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return _runs[lo].Indicator;
    }

    /// <summary>
    /// The hash of a whole name (the first <paramref name="length"/> bytes of <paramref name="buffer"/>, lowercase,
    /// followed by <see cref="Padding"/> readable bytes), as <see cref="Match(ReadOnlySpan{byte}, int, List{IndicatorHit})"/> computes it for each suffix.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong Hash(ReadOnlySpan<byte> buffer, int length)
    {
        ulong h = Seed;
        int end = length;
        while (true)
        {
            int dot = buffer[..end].LastIndexOf((byte)'.');
            h = Extend(h, buffer, dot + 1, end);
            if (dot < 0)
            {
                return Finish(h);
            }
            end = dot;
        }
    }

    // The hash of a suffix extends the hash of the suffix one label shorter, so a name's parents hash on the way right
    // to left, a word of eight bytes at a time: a multiply per byte (FNV) was a chain of dependent multiplications
    // that cost more than the lookups. Seeded per process: the names come from other organizations, and a list made to
    // collide in a known hash would make every lookup walk a long run of the table.
    internal static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1; // seeded from the system, without loading the crypto library (5 MB)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Extend(ulong h, ReadOnlySpan<byte> buffer, int start, int end)
    {
        int i = start;
        for (; i + 8 <= end; i += 8)
        {
            h = Mix(h ^ BinaryPrimitives.ReadUInt64LittleEndian(buffer[i..]));
        }
        if (i < end)
        {
            // The label's last bytes, read as a whole word from the padded buffer and the bytes beyond it masked off.
            ulong word = BinaryPrimitives.ReadUInt64LittleEndian(buffer[i..]) & (ulong.MaxValue >> (64 - (8 * (end - i))));
            h = Mix(h ^ word);
        }
        // The label's length ends it, so that "ab.c" and "a.bc" differ.
        return Mix(h ^ (0x2E00UL | (uint)(end - start)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong x) => BitOperations.RotateLeft(x * 0x9E3779B97F4A7C15, 27);

    // MurmurHash3's finalizer: every bit of the result depends on every bit of the running hash, so the table's and
    // the filter's bits can be taken from anywhere in it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCD;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53;
        return h ^ (h >> 33);
    }

    /// <summary>
    /// Whether <paramref name="buffer"/>'s first <paramref name="length"/> bytes (a lowercase ASCII name without a
    /// trailing dot, followed by <see cref="Padding"/> readable bytes) or one of its parents is listed; with
    /// <paramref name="hits"/>, each listing indicator is added to it. The last label alone is never looked up: a
    /// listed domain has at least two (IocNormalizer.Domain).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Match(ReadOnlySpan<byte> buffer, int length, List<IndicatorHit>? hits)
    {
        bool found = false;
        ulong h = Seed;
        int end = length, labels = 0;
        while (end > 0)
        {
            int dot = buffer[..end].LastIndexOf((byte)'.');
            h = Extend(h, buffer, dot + 1, end);
            if (++labels >= 2)
            {
                ulong f = Finish(h);
                if (MayHold(f) && Find(buffer[(dot + 1)..length], f) is int start and >= 0)
                {
                    found = true;
                    if (hits is null)
                    {
                        return true;
                    }
                    AddHits(start, hits);
                }
            }
            end = dot;
        }
        return found;
    }

    /// <summary>
    /// Looks up every suffix of <paramref name="probes"/> and sets <paramref name="hit"/>[tag] for each name that is
    /// listed or has a listed parent. The filter is read first for all of them, in a loop of independent loads that
    /// the processor overlaps (one at a time, each waited for memory); the table then only for the few that pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Match(DomainProbes probes, Span<bool> hit)
    {
        var hashes = probes.Hashes;
        var pass = probes.Pass;
        for (int j = 0; j < hashes.Length; j++)
        {
            pass[j] = MayHold(hashes[j]);
        }
        var names = probes.Names;
        for (int j = 0; j < hashes.Length; j++)
        {
            if (pass[j])
            {
                var (start, length, tag) = probes.Suffix(j);
                if (!hit[tag] && Find(names.Slice(start, length), hashes[j]) >= 0)
                {
                    hit[tag] = true;
                }
            }
        }
    }

    /// <summary>Where the record of <paramref name="name"/> (whose hash is <paramref name="hash"/>) starts, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Find(ReadOnlySpan<byte> name, ulong hash)
    {
        uint fingerprint = (uint)hash;
        for (int i = Slot(hash); ; i = i + 1 == _table.Length ? 0 : i + 1)
        {
            ulong slot = _table[i];
            if ((uint)slot == 0)
            {
                return -1;
            }
            int start = (int)(uint)slot - 1;
            if ((uint)(slot >> 32) == fingerprint && Same(start, name))
            {
                return start;
            }
        }
    }

    private bool Same(int start, ReadOnlySpan<byte> name) => _bytes[start] == name.Length && _bytes.AsSpan(start + 1, name.Length).SequenceEqual(name);

    // The slot from the hash's high 32 bits, scaled to the table's length (Lemire's multiply-shift), so the table is
    // sized to its names rather than to a power of two: up to half of it empty otherwise.
    private int Slot(ulong hash) => (int)(((hash >> 32) * (ulong)_table.Length) >> 32);

    /// <summary>The listed name whose record starts at <paramref name="start"/>.</summary>
    public string Name(int start) => System.Text.Encoding.ASCII.GetString(_bytes, start + 1, _bytes[start]);

    /// <summary>The indicators that list the name whose record starts at <paramref name="start"/>.</summary>
    private void AddHits(int start, List<IndicatorHit> hits)
    {
        string name = Name(start);
        if (_shared.TryGetValue(start, out var several))
        {
            foreach (int i in several)
            {
                hits.Add(new IndicatorHit(i, name));
            }
            return;
        }
        hits.Add(new IndicatorHit(IndicatorAt(start), name));
    }

    /// <summary>
    /// Room for names totalling <paramref name="bytes"/> (a list file's length bounds them, a newline standing for the
    /// length byte): the array is then made once, not doubled and copied while a large list loads, which would hold
    /// two copies at the peak.
    /// </summary>
    public void Reserve(long bytes)
    {
        if (bytes > _bytes.Length && bytes < int.MaxValue)
        {
            Array.Resize(ref _bytes, (int)bytes + 1);
        }
    }

    // A blocked Bloom filter of the listed names, about 16 bits each, a key's three bits in one 64-bit word: most
    // names in a log are not listed, and a miss then costs one access to a bitmap of a few megabytes instead of a probe
    // of the table (the filter is larger than the core's cache; a second access was a second miss). Three bits rather
    // than two: about 0.5% of misses pass instead of 1.5%, and each that passes costs a probe of the table.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bits(ulong h) => (1UL << (int)(h & 63)) | (1UL << (int)((h >> 6) & 63)) | (1UL << (int)(h >> 58));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Word(ulong h) => (int)((h >> 12) & (_filterWords - 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MayHold(ulong h)
    {
        ulong bits = Bits(h);
        return (_filter[Word(h)] & bits) == bits;
    }

    /// <summary>
    /// Builds the table and the Bloom filter once every name is in (sized to them; a name listed twice becomes one record
    /// listing each indicator that listed it). <see cref="Match(ReadOnlySpan{byte}, int, List{IndicatorHit})"/> needs it,
    /// and no name may follow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Seal()
    {
        if (_sealed)
        {
            return;
        }
        _sealed = true;
        // Load factor at most 3/4: probes stay short (the Bloom filter already spares most misses a probe).
        _table = new ulong[Math.Max(4, (int)Math.Min(int.MaxValue - 64, (long)_added * 4 / 3 + 1))];
        long bits = Math.Min(1L << 31, Math.Max(1L << 12, (long)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, _added)) * 16));
        _filter = new ulong[bits / 64];
        _filterWords = (ulong)_filter.Length;
        Span<byte> buffer = stackalloc byte[MaxName + Padding];
        int distinct = 0;
        for (int start = 0; start < _used; start += _bytes[start] + 1)
        {
            int length = _bytes[start];
            var name = _bytes.AsSpan(start + 1, length);
            name.CopyTo(buffer);
            ulong hash = Hash(buffer, length);
            int i = Slot(hash), same = -1;
            for (; _table[i] != 0; i = i + 1 == _table.Length ? 0 : i + 1)
            {
                if ((uint)(_table[i] >> 32) == (uint)hash && Same((int)(uint)_table[i] - 1, name))
                {
                    same = (int)(uint)_table[i] - 1;
                    break;
                }
            }
            if (same >= 0)
            {
                Merge(same, IndicatorAt(start));
                continue;
            }
            _table[i] = ((ulong)(uint)hash << 32) | (uint)(start + 1);
            _filter[Word(hash)] |= Bits(hash);
            distinct++;
        }
        Count = distinct;
    }

    /// <summary>Adds <paramref name="indicator"/> to those that list the name whose record starts at <paramref name="start"/>.</summary>
    private void Merge(int start, int indicator)
    {
        if (_shared.TryGetValue(start, out var several))
        {
            if (!several.Contains(indicator))
            {
                several.Add(indicator);
            }
            return;
        }
        int first = IndicatorAt(start);
        if (first != indicator)
        {
            _shared[start] = [first, indicator];
        }
    }

    /// <summary>Lowercases an ASCII name into a padded buffer for <see cref="Match(ReadOnlySpan{byte}, int, List{IndicatorHit})"/>; false when it is not ASCII.</summary>
    public static bool TryLower(ReadOnlySpan<byte> name, Span<byte> buffer, out int length) =>
        System.Text.Ascii.ToLower(name, buffer, out length) == OperationStatus.Done;
}
