using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Perisai.Detection.Indicators;

/// <summary>
/// Names from many log lines, to be looked up together (<see cref="IndicatorSet.Match(DomainProbes, Span{bool})"/>):
/// each is lowercased and hashed, with each of its parents, as it is added, and the lookups then run in one pass whose
/// memory accesses overlap. Each name carries a tag (its line in a batch) under which a hit is reported.
/// </summary>
public sealed class DomainProbes
{
    private byte[] _names = new byte[1 << 14];
    private int _used;
    private ulong[] _hashes = new ulong[256];
    private bool[] _pass = new bool[256];
    private (int Start, int Length, int Tag)[] _suffixes = new (int, int, int)[256];
    private int _count;

    internal ReadOnlySpan<ulong> Hashes => _hashes.AsSpan(0, _count);

    internal Span<bool> Pass => _pass.AsSpan(0, _count);

    internal ReadOnlySpan<byte> Names => _names.AsSpan(0, _used);

    internal (int Start, int Length, int Tag) Suffix(int j) => _suffixes[j];

    /// <summary>Forgets every name added.</summary>
    public void Clear()
    {
        _used = 0;
        _count = 0;
    }

    /// <summary>
    /// Adds a name from a log (ASCII bytes, any case, a trailing dot allowed) under <paramref name="tag"/>; false when
    /// it cannot be looked up from its bytes (not ASCII, or longer than a name can be), for the caller to decide exactly.
    /// </summary>
    public bool Add(ReadOnlySpan<byte> name, int tag) => Add(name, 0, name.Length, tag);

    /// <summary>
    /// <see cref="Add(ReadOnlySpan{byte}, int)"/> for the name at <paramref name="offset"/> in <paramref name="source"/>
    /// (a log's line buffer): a short name is then read in place, in vectors that may reach past it, not copied first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Add(ReadOnlySpan<byte> source, int offset, int length, int tag)
    {
        if (length == 0 || length > DomainTable.MaxName + 1)
        {
            return length == 0;
        }
        if (_used + length + Padding > _names.Length)
        {
            Array.Resize(ref _names, Math.Max(_names.Length * 2, _used + length + Padding));
        }
        var buffer = _names.AsSpan(_used);
        ulong dots = 0;
        bool masked = length <= 64 && Vector256.IsHardwareAccelerated;
        if (masked)
        {
            if (offset + 64 > source.Length)
            {
                source.Slice(offset, length).CopyTo(buffer);
                source = buffer;
                offset = 0;
            }
            if (!LowerShort(source.Slice(offset, 64), buffer, length, out dots))
            {
                return false;
            }
        }
        else if (!DomainTable.TryLower(source.Slice(offset, length), buffer, out length))
        {
            return false;
        }
        if (buffer[length - 1] == '.')
        {
            length--;
            dots &= ~(1UL << length);
        }
        // The name and each parent, right to left; the last label alone is never listed (see DomainTable.Match).
        ulong h = DomainTable.Seed;
        int end = length, labels = 0;
        while (end > 0)
        {
            int dot = masked ? (dots == 0 ? -1 : 63 - BitOperations.LeadingZeroCount(dots)) : buffer[..end].LastIndexOf((byte)'.');
            h = DomainTable.Extend(h, buffer, dot + 1, end);
            if (++labels >= 2)
            {
                if (_count == _hashes.Length)
                {
                    Array.Resize(ref _hashes, _count * 2);
                    Array.Resize(ref _pass, _count * 2);
                    Array.Resize(ref _suffixes, _count * 2);
                }
                _hashes[_count] = DomainTable.Finish(h);
                _suffixes[_count] = (_used + dot + 1, length - dot - 1, tag);
                _count++;
            }
            if (dot >= 0)
            {
                dots &= ~(1UL << dot);
            }
            end = dot;
        }
        _used += length;
        return true;
    }

    /// <summary>Room after a name: two vectors' worth are read in place for a name of up to 64 bytes.</summary>
    private const int Padding = 64;

    /// <summary>
    /// Lowercases a name of at most 64 bytes (the start of <paramref name="source"/>, which has 64 readable bytes) into
    /// <paramref name="buffer"/> and finds its dots, in 32-byte vectors: one pass instead of a call to lowercase it and
    /// one more per label to find the dots. False when a byte is not ASCII.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool LowerShort(ReadOnlySpan<byte> source, Span<byte> buffer, int length, out ulong dots)
    {
        ulong valid = length == 64 ? ulong.MaxValue : (1UL << length) - 1;
        var lo = Lower(source[..32], out uint loHigh, out uint loDots);
        uint hiHigh = 0, hiDots = 0;
        if (length > 32)
        {
            Lower(source.Slice(32, 32), out hiHigh, out hiDots).CopyTo(buffer.Slice(32, 32));
        }
        dots = (loDots | ((ulong)hiDots << 32)) & valid;
        lo.CopyTo(buffer[..32]);
        return ((loHigh | ((ulong)hiHigh << 32)) & valid) == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Lower(ReadOnlySpan<byte> bytes, out uint high, out uint dots)
    {
        var v = Vector256.Create(bytes);
        high = v.ExtractMostSignificantBits();
        var upper = Vector256.LessThan(v - Vector256.Create((byte)'A'), Vector256.Create((byte)26));
        var lower = v | (upper & Vector256.Create((byte)0x20));
        dots = Vector256.Equals(lower, Vector256.Create((byte)'.')).ExtractMostSignificantBits();
        return lower;
    }
}
