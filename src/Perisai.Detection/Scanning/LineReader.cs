using System.Runtime.CompilerServices;

namespace Perisai.Detection.Scanning;

/// <summary>
/// Splits a stream into lines of bytes without decoding them: one large buffer refilled in place, '\n' found with a
/// vectorized search, a trailing '\r' and a leading UTF-8 byte order mark dropped. A line is valid until the next call.
/// In <c>follow</c> mode the end of the stream is not final: a later call reads what was appended since.
/// </summary>
internal sealed class LineReader(Stream stream, bool follow = false)
{
    /// <summary>
    /// Buffer size: large enough that the per-read cost vanishes, small enough to stay in the core's cache (a 1 MiB
    /// buffer, refilled, pushed the indicators' Bloom filter out of it).
    /// </summary>
    private const int BufferSize = 1 << 17;

    /// <summary>A longer line is cut here (and reported by its parser as malformed): logs have no legitimate 16 MiB line.</summary>
    public const int MaxLine = 16 << 20;

    private byte[] _buffer = new byte[BufferSize];
    private int _start, _end;
    private bool _eof, _first = true;

    /// <summary>The current line.</summary>
    public ReadOnlySpan<byte> Current => _buffer.AsSpan(_lineStart, _lineLength);

    private int _lineStart, _lineLength;

    /// <summary>Moves to the next line; false at the end of the stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool MoveNext()
    {
        while (!TakeBuffered())
        {
            if (_eof)
            {
                // Following a growing file: the end is for now only; a partial last line waits for the rest.
                _eof = !follow;
                return false;
            }
            Fill();
        }
        return true;
    }

    /// <summary>
    /// Moves over as many of the next lines as <paramref name="lines"/> holds, as long as they are in the buffer
    /// together, and notes where each is in <see cref="Buffer"/> (valid until the next call); 0 at the end of the
    /// stream. Lines taken together can be looked at together: a prefilter then overlaps their lookups.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int MoveNext(Span<Range> lines)
    {
        if (lines.IsEmpty || !MoveNext())
        {
            return 0;
        }
        int n = 0;
        do
        {
            lines[n++] = new Range(_lineStart, _lineStart + _lineLength);
        }
        while (n < lines.Length && TakeBuffered());
        return n;
    }

    /// <summary>Where the current line is in <see cref="Buffer"/>.</summary>
    public Range CurrentRange => new(_lineStart, _lineStart + _lineLength);

    /// <summary>The buffer the ranges of <see cref="MoveNext(Span{Range})"/> refer to.</summary>
    public ReadOnlySpan<byte> Buffer => _buffer;

    /// <summary>Takes the next line if it is whole in the buffer (or the last of a stream that ended), without reading.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TakeBuffered()
    {
        var pending = _buffer.AsSpan(_start, _end - _start);
        int nl = ByteSearch.IndexOf(pending, (byte)'\n');
        if (nl < 0 && !(_eof && !follow && pending.Length > 0) && pending.Length < MaxLine)
        {
            return false;
        }
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

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
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
