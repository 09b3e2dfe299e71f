using System.Text;

namespace PingAnTong.Edge.Simulator.Adapters;

/// <summary>
/// Splits a console byte stream into lines with the device's bound: at most
/// <see cref="MaxLineBytes"/> bytes are kept (SerialConsole.MaxLine on the ESP32). A longer line is
/// read on to its end and discarded, reported as <see cref="ConsoleLine.TooLong"/>, so one client
/// sending an endless line cannot grow the simulator's memory (StreamReader.ReadLine buffered a
/// 300 MB line whole: 1.1 GB resident). CR, LF and CR LF end a line, as on the device.
/// </summary>
public sealed class ConsoleLineReader
{
    /// <summary>The device's console line buffer (firmware/PingAnTong.Edge.Esp32/Adapters/SerialConsole.cs).</summary>
    public const int MaxLineBytes = 256;

    private readonly Stream _stream;
    private readonly byte[] _chunk = new byte[4096];
    private int _chunkAt;
    private int _chunkLength;
    private readonly byte[] _line = new byte[MaxLineBytes];
    private int _lineLength;
    private long _discarded;
    private bool _lastWasCr;

    public ConsoleLineReader(Stream stream) => _stream = stream;

    /// <summary>The next line, or null when the stream ends (a last line without a newline is returned first).</summary>
    public async Task<ConsoleLine> ReadLineAsync(CancellationToken cancel)
    {
        while (true)
        {
            if (_chunkAt == _chunkLength)
            {
                _chunkLength = await _stream.ReadAsync(_chunk.AsMemory(), cancel);
                _chunkAt = 0;
                if (_chunkLength == 0) return _lineLength > 0 || _discarded > 0 ? TakeLine() : null;
            }
            byte b = _chunk[_chunkAt++];
            bool lfOfCrLf = b == (byte)'\n' && _lastWasCr;
            _lastWasCr = b == (byte)'\r';
            if (lfOfCrLf) continue;
            if (b == (byte)'\r' || b == (byte)'\n') return TakeLine();
            if (_discarded > 0) _discarded++;
            else if (_lineLength < MaxLineBytes) _line[_lineLength++] = b;
            else _discarded = _lineLength + 1;
        }
    }

    private ConsoleLine TakeLine()
    {
        var line = _discarded > 0 ? new ConsoleLine(null, _discarded) : new ConsoleLine(Encoding.UTF8.GetString(_line, 0, _lineLength), _lineLength);
        _lineLength = 0;
        _discarded = 0;
        return line;
    }
}

/// <summary>A console line: its text, or null when it was longer than <see cref="ConsoleLineReader.MaxLineBytes"/> and discarded.</summary>
public sealed record ConsoleLine(string Text, long Bytes)
{
    public bool TooLong => Text == null;
}
