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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Add(ReadOnlySpan<byte> name, int tag)
    {
        if (name.IsEmpty || name.Length > DomainTable.MaxName + 1)
        {
            return name.IsEmpty;
        }
        if (_used + name.Length + Padding > _names.Length)
        {
            Array.Resize(ref _names, Math.Max(_names.Length * 2, _used + name.Length + Padding));
        }
        var buffer = _names.AsSpan(_used);
        int length = name.Length;
        ulong dots = 0;
        bool masked = length <= 64 && Vector256.IsHardwareAccelerated;
        if (masked)
        {
            name.CopyTo(buffer);
            if (!LowerShort(buffer, length, out dots))
            {
                return false;
            }
        }
        else if (!DomainTable.TryLower(name, buffer, out length))
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
    /// Lowercases a name of at most 64 bytes in place and finds its dots, in two 32-byte vectors: one pass instead of a
    /// call to lowercase it and one more per label to find the dots. False when a byte is not ASCII.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool LowerShort(Span<byte> buffer, int length, out ulong dots)
    {
        ulong valid = length == 64 ? ulong.MaxValue : (1UL << length) - 1;
        var lo = Lower(buffer[..32], out uint loHigh, out uint loDots);
        var hi = Lower(buffer.Slice(32, 32), out uint hiHigh, out uint hiDots);
        dots = (loDots | ((ulong)hiDots << 32)) & valid;
        if (((loHigh | ((ulong)hiHigh << 32)) & valid) != 0)
        {
            return false;
        }
        lo.CopyTo(buffer[..32]);
        hi.CopyTo(buffer.Slice(32, 32));
        return true;
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
