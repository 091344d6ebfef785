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
