namespace Perisai.Detection.Scanning;

/// <summary>
/// Bytes already read (to look at a stream's first bytes: a gzip signature, the start of JSON), then the rest of the
/// stream: a pipe cannot be rewound, so what was peeked is handed back this way.
/// </summary>
internal sealed class PrefixedStream(byte[] head, Stream tail, bool ownsTail = true) : ReadOnlyStream(tail, ownsTail)
{
    private int _head;

    public override int Read(Span<byte> buffer)
    {
        if (_head < head.Length && buffer.Length > 0)
        {
            int n = Math.Min(buffer.Length, head.Length - _head);
            head.AsSpan(_head, n).CopyTo(buffer);
            _head += n;
            return n;
        }
        return Inner.Read(buffer);
    }
}
