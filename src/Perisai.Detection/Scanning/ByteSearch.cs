using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Perisai.Detection.Scanning;

/// <summary>
/// The byte searches of the line-rate paths, compiled fully optimized from the first call. The runtime's own
/// (MemoryExtensions.IndexOf) are as fast once optimized, but tiered PGO runs them instrumented for much of a scan of a
/// few seconds, and the calls are many and short (a few per line).
/// </summary>
internal static class ByteSearch
{
    /// <summary>The index of the first <paramref name="value"/> in <paramref name="span"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int IndexOf(ReadOnlySpan<byte> span, byte value)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated && span.Length >= Vector128<byte>.Count)
        {
            if (Vector256.IsHardwareAccelerated)
            {
                var target = Vector256.Create(value);
                for (; i + Vector256<byte>.Count <= span.Length; i += Vector256<byte>.Count)
                {
                    uint mask = Vector256.Equals(Vector256.Create(span.Slice(i, Vector256<byte>.Count)), target).ExtractMostSignificantBits();
                    if (mask != 0)
                    {
                        return i + BitOperations.TrailingZeroCount(mask);
                    }
                }
            }
            var small = Vector128.Create(value);
            for (; i + Vector128<byte>.Count <= span.Length; i += Vector128<byte>.Count)
            {
                uint mask = Vector128.Equals(Vector128.Create(span.Slice(i, Vector128<byte>.Count)), small).ExtractMostSignificantBits();
                if (mask != 0)
                {
                    return i + BitOperations.TrailingZeroCount(mask);
                }
            }
            if (i < span.Length)
            {
                // The last bytes in one more vector that overlaps what was already searched (values are short: most
                // searches would otherwise end in a loop of a byte at a time).
                int last = span.Length - Vector128<byte>.Count;
                uint mask = Vector128.Equals(Vector128.Create(span.Slice(last, Vector128<byte>.Count)), small).ExtractMostSignificantBits() >> (i - last);
                return mask != 0 ? i + BitOperations.TrailingZeroCount(mask) : -1;
            }
            return -1;
        }
        for (; i < span.Length; i++)
        {
            if (span[i] == value)
            {
                return i;
            }
        }
        return -1;
    }
}
