using System.Numerics;

namespace Perisai.Detection.Indicators;

/// <summary>
/// Listed domain names, compact: the names' ASCII bytes one after another in one array, an entry per name (where its
/// bytes start, how many, which indicator lists it) and an open-addressing table of entry numbers. A million names of
/// twenty characters cost about 30 MB here, against some 150 MB as .NET strings in a dictionary, and a lookup compares
/// bytes in place, from a name given as characters, without making a string.
/// </summary>
internal sealed class DomainTable
{
    private byte[] _bytes = new byte[1 << 16];
    private int _used;
    private int[] _start = new int[1024];
    private byte[] _length = new byte[1024];
    private int[] _value = new int[1024];
    private int[] _table = new int[2048]; // entry number + 1; 0 is empty
    private readonly List<List<int>> _shared = [];

    public int Count { get; private set; }

    /// <summary>FNV-1a over the characters from last to first, so that a name's suffixes hash on the way.</summary>
    public const ulong Seed = 14695981039346656037;

    public static ulong Step(ulong hash, char c) => (hash ^ c) * 1099511628211;

    public static ulong Hash(ReadOnlySpan<char> name)
    {
        ulong h = Seed;
        for (int i = name.Length - 1; i >= 0; i--)
        {
            h = Step(h, name[i]);
        }
        return h;
    }

    /// <summary>Adds a canonical (ASCII, lowercase) name listed by <paramref name="indicator"/>.</summary>
    public void Add(ReadOnlySpan<char> name, int indicator)
    {
        if (name.Length is 0 or > 253)
        {
            return;
        }
        ulong hash = Hash(name);
        int entry = Find(name, hash);
        if (entry >= 0)
        {
            ref int slot = ref _value[entry];
            if (slot >= 0 && slot != indicator)
            {
                _shared.Add([slot, indicator]);
                slot = -_shared.Count;
            }
            else if (slot < 0 && !_shared[-slot - 1].Contains(indicator))
            {
                _shared[-slot - 1].Add(indicator);
            }
            return;
        }
        // Load factor at most 3/4: probes stay short (the Bloom filter already spares most misses a probe).
        if ((Count + 1) * 4 > _table.Length * 3)
        {
            Grow();
        }
        if (Count == _start.Length)
        {
            Array.Resize(ref _start, Count * 2);
            Array.Resize(ref _length, Count * 2);
            Array.Resize(ref _value, Count * 2);
        }
        if (_used + name.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + name.Length));
        }
        for (int i = 0; i < name.Length; i++)
        {
            _bytes[_used + i] = (byte)name[i];
        }
        _start[Count] = _used;
        _length[Count] = (byte)name.Length;
        _value[Count] = indicator;
        _used += name.Length;
        Insert(Count, hash);
        Count++;
    }

    /// <summary>The entry of <paramref name="name"/> (whose <see cref="Hash"/> is <paramref name="hash"/>), or -1.</summary>
    public int Find(ReadOnlySpan<char> name, ulong hash)
    {
        int mask = _table.Length - 1;
        for (int i = (int)(hash & (ulong)mask); ; i = (i + 1) & mask)
        {
            int e = _table[i] - 1;
            if (e < 0)
            {
                return -1;
            }
            if (_length[e] == name.Length && Same(e, name))
            {
                return e;
            }
        }
    }

    private bool Same(int entry, ReadOnlySpan<char> name)
    {
        var bytes = _bytes.AsSpan(_start[entry], _length[entry]);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != name[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The listed name of an entry.</summary>
    public string Name(int entry) => System.Text.Encoding.ASCII.GetString(_bytes, _start[entry], _length[entry]);

    /// <summary>The indicators that list an entry.</summary>
    public void AddHits(int entry, List<IndicatorHit> hits)
    {
        int slot = _value[entry];
        string name = Name(entry);
        if (slot >= 0)
        {
            hits.Add(new IndicatorHit(slot, name));
            return;
        }
        foreach (int i in _shared[-slot - 1])
        {
            hits.Add(new IndicatorHit(i, name));
        }
    }

    /// <summary>
    /// Room for names totalling <paramref name="bytes"/> (a list file's length bounds them): the arrays are then made
    /// once, not doubled and copied while a large list loads, which would hold two copies at the peak.
    /// </summary>
    public void Reserve(long bytes)
    {
        if (bytes <= _bytes.Length || bytes >= int.MaxValue)
        {
            return;
        }
        Array.Resize(ref _bytes, (int)bytes);
        // Entries: a listed name and its newline take some twenty bytes; more names than that only means one doubling.
        int entries = (int)Math.Min(bytes / 20, int.MaxValue / 2);
        if (entries > _start.Length)
        {
            Array.Resize(ref _start, entries);
            Array.Resize(ref _length, entries);
            Array.Resize(ref _value, entries);
            int slots = (int)BitOperations.RoundUpToPowerOf2((uint)(entries * 4 / 3 + 1));
            if (slots > _table.Length && Count == 0)
            {
                _table = new int[slots];
            }
        }
    }

    /// <summary>The hash of each name, for the Bloom filter in front of the table.</summary>
    public IEnumerable<ulong> Hashes()
    {
        for (int e = 0; e < Count; e++)
        {
            yield return HashOf(e);
        }
    }

    private ulong HashOf(int entry)
    {
        ulong h = Seed;
        var bytes = _bytes.AsSpan(_start[entry], _length[entry]);
        for (int i = bytes.Length - 1; i >= 0; i--)
        {
            h = Step(h, (char)bytes[i]);
        }
        return h;
    }

    private void Insert(int entry, ulong hash)
    {
        int mask = _table.Length - 1;
        int i = (int)(hash & (ulong)mask);
        while (_table[i] != 0)
        {
            i = (i + 1) & mask;
        }
        _table[i] = entry + 1;
    }

    private void Grow()
    {
        _table = new int[_table.Length * 2];
        for (int e = 0; e < Count; e++)
        {
            Insert(e, HashOf(e));
        }
    }
}
