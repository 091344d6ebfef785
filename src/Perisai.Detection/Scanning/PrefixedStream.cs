namespace Perisai.Detection.Scanning;

/// <summary>
/// Bytes already read (to look at a stream's first bytes: a gzip signature, the start of JSON), then the rest of the
/// stream: a pipe cannot be rewound, so what was peeked is handed back this way.
/// </summary>
internal sealed class PrefixedStream(byte[] head, Stream tail, bool ownsTail = true) : Stream
{
    private int _head;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_head < head.Length && buffer.Length > 0)
        {
            int n = Math.Min(buffer.Length, head.Length - _head);
            head.AsSpan(_head, n).CopyTo(buffer);
            _head += n;
            return n;
        }
        return tail.Read(buffer);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsTail)
        {
            tail.Dispose();
        }
        base.Dispose(disposing);
    }
}
