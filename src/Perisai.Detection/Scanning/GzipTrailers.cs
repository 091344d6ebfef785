using System.Buffers.Binary;

namespace Perisai.Detection.Scanning;

/// <summary>
/// Watches a gzip file's compressed bytes on their way to the decompressor, to tell at the end whether the stream was
/// whole. .NET's GZipStream takes a stream cut short for a normal end, so the trailers are checked: RFC 1952 §2.3.1
/// ends each member with ISIZE, its uncompressed length modulo 2^32, and a file may hold several members one after
/// another (§2.2; <c>cat a.gz b.gz</c>, bgzip). Member starts are found by their header (ID1 ID2 CM=8, reserved flag
/// bits clear, XFL 0, 2 or 4, a known OS), the four bytes before each are the ISIZE of the member before it; the stream
/// was whole when those and the last four bytes add up to what was decompressed. A cut stream ends in compressed data
/// instead, which adds up by chance once in four billion; a header's ten bytes occur by chance about once in 200 GB of
/// compressed data. Reads from a pipe as well as from a file: nothing is sought.
/// </summary>
internal sealed class GzipTrailers(Stream inner) : ReadOnlyStream(inner)
{
    /// <summary>Bytes kept from before each read: a member's header (10 bytes) and the ISIZE before it (4) may straddle reads.</summary>
    private const int Keep = 16;

    private readonly byte[] _history = new byte[Keep];
    private int _kept;
    private uint _sizes;

    /// <summary>Compressed bytes read: where a cut stream ended.</summary>
    public long Count { get; private set; }

    /// <summary>Whether the stream read so far ends a whole gzip stream that decompressed to <paramref name="decompressed"/> bytes.</summary>
    public bool Intact(long decompressed) =>
        Count >= 18 && _kept >= 4 && (uint)(_sizes + BinaryPrimitives.ReadUInt32LittleEndian(_history.AsSpan(_kept - 4))) == (uint)decompressed;

    public override int Read(Span<byte> buffer)
    {
        int n = Inner.Read(buffer);
        if (n > 0)
        {
            Watch(buffer[..n]);
        }
        return n;
    }

    private void Watch(ReadOnlySpan<byte> chunk)
    {
        // Starts whose header reaches into this chunk from the bytes kept: checked in the kept bytes and the chunk's
        // first ones, joined.
        Span<byte> joined = stackalloc byte[Keep * 2];
        int head = Math.Min(chunk.Length, Keep);
        _history.AsSpan(0, _kept).CopyTo(joined);
        chunk[..head].CopyTo(joined[_kept..]);
        int length = _kept + head;
        for (int q = Math.Max(4, _kept - 9); q + 10 <= length; q++)
        {
            Consider(joined, q, Count - _kept + q);
        }
        // Starts wholly inside the chunk, past those: found by their first byte.
        for (int i = Math.Max(4, head - 9); i + 10 <= chunk.Length;)
        {
            int next = chunk[i..(chunk.Length - 9)].IndexOf((byte)0x1F);
            if (next < 0)
            {
                break;
            }
            i += next;
            Consider(chunk, i, Count + i);
            i++;
        }
        // Keep the last bytes read for the next chunk.
        if (chunk.Length >= Keep)
        {
            chunk[^Keep..].CopyTo(_history);
            _kept = Keep;
        }
        else
        {
            int total = _kept + chunk.Length, drop = Math.Max(0, total - Keep);
            joined.Slice(drop, total - drop).CopyTo(_history);
            _kept = total - drop;
        }
        Count += chunk.Length;
    }

    /// <summary>A member starting at <paramref name="at"/> in <paramref name="bytes"/> (global offset <paramref name="offset"/>) adds the ISIZE before it.</summary>
    private void Consider(ReadOnlySpan<byte> bytes, int at, long offset)
    {
        if (offset >= 18 && bytes[at] == 0x1F && bytes[at + 1] == 0x8B && bytes[at + 2] == 8 && (bytes[at + 3] & 0xE0) == 0
            && bytes[at + 8] is 0 or 2 or 4 && bytes[at + 9] is <= 13 or 255)
        {
            _sizes += BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at - 4)..at]);
        }
    }
}
