namespace Perisai.Detection.Scanning;

/// <summary>
/// Splits a stream into lines of bytes without decoding them: one large buffer refilled in place, '\n' found with a
/// vectorized search, a trailing '\r' and a leading UTF-8 byte order mark dropped. A line is valid until the next call.
/// In <c>follow</c> mode the end of the stream is not final: a later call reads what was appended since.
/// </summary>
internal sealed class LineReader(Stream stream, bool follow = false)
{
    /// <summary>Buffer size: large enough that the per-read cost vanishes, small enough for the caches to help.</summary>
    private const int BufferSize = 1 << 20;

    /// <summary>A longer line is cut here (and reported by its parser as malformed): logs have no legitimate 16 MiB line.</summary>
    public const int MaxLine = 16 << 20;

    private byte[] _buffer = new byte[BufferSize];
    private int _start, _end;
    private bool _eof, _first = true;

    /// <summary>The current line.</summary>
    public ReadOnlySpan<byte> Current => _buffer.AsSpan(_lineStart, _lineLength);

    private int _lineStart, _lineLength;

    /// <summary>Moves to the next line; false at the end of the stream.</summary>
    public bool MoveNext()
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            int nl = pending.IndexOf((byte)'\n');
            if (nl >= 0 || (_eof && !follow && pending.Length > 0) || pending.Length >= MaxLine)
            {
                int length = nl >= 0 ? nl : Math.Min(pending.Length, MaxLine);
                _lineStart = _start;
                _lineLength = length > 0 && _buffer[_start + length - 1] == '\r' ? length - 1 : length;
                _start += nl >= 0 ? nl + 1 : length;
                if (_first)
                {
                    _first = false;
                    if (Current.StartsWith("\uFEFF"u8))
                    {
                        _lineStart += 3;
                        _lineLength -= 3;
                    }
                }
                return true;
            }
            if (_eof)
            {
                // Following a growing file: the end is for now only; a partial last line waits for the rest.
                _eof = !follow;
                return false;
            }
            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLine + BufferSize));
        }
        int n = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
        {
            _eof = true;
        }
        _end += n;
    }
}
