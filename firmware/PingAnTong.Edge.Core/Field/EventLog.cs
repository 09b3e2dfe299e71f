using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core.Field
{
    /// <summary>
    /// The local event log the technician reads with <c>events [n]</c>: one short line per event the
    /// hub emitted, kept across reboots in two generation files of <see cref="PerFile"/> records each,
    /// so between 1,000 and 2,000 of the newest entries are always there (fewer on a small
    /// <c>I:\</c>: 250 per file on a 4 MB module). Records are CRC-framed;
    /// a damaged file is read up to the damage and the next entries go to the other file.
    /// </summary>
    public sealed class EventLog
    {
        public const int PerFile = 1000;
        public const int MaxTextLength = 120;

        private readonly IDurableStore _store;
        private readonly string[] _names = new string[2];
        private readonly int[] _counts = new int[2];
        private byte[] _buffer = new byte[20 + 1 + 2 * MaxTextLength + 8];
        private readonly byte[] _frame = new byte[20 + 1 + 2 * MaxTextLength + RecordFile.Overhead];
        private int _current;
        private readonly int _perFile;
        private uint _nextSeq = 1;

        public EventLog(IDurableStore store, string baseName) : this(store, baseName, PerFile)
        {
        }

        /// <param name="perFile">Records per generation file (the board's flash decides: <see cref="Device.BoardProfile.EventLogPerFile"/>); at most <see cref="PerFile"/>.</param>
        public EventLog(IDurableStore store, string baseName, int perFile)
        {
            _perFile = perFile > PerFile ? PerFile : (perFile < 1 ? 1 : perFile);
            _store = store;
            _names[0] = baseName + ".0";
            _names[1] = baseName + ".1";
        }

        public bool FoundDamage { get; private set; }
        public int WriteFailures { get; private set; }
        public int Count { get { return _counts[0] + _counts[1]; } }

        /// <summary>Reads both files at boot to find the current one and the next sequence number.</summary>
        public void Open()
        {
            uint[] first = new uint[2];
            uint[] last = new uint[2];
            bool[] damaged = new bool[2];
            for (int f = 0; f < 2; f++)
            {
                int length = _store.GetLength(_names[f]);
                int position = 0;
                int count = 0;
                while (length > 0 && position < length)
                {
                    int n = RecordFile.ReadAt(_store, _names[f], position, length, ref _buffer);
                    if (n < 4) { damaged[f] = true; break; }
                    uint seq = ByteCodec.GetUInt32(_buffer, 0);
                    if (count == 0) first[f] = seq;
                    last[f] = seq;
                    count++;
                    position += n + RecordFile.Overhead;
                }
                _counts[f] = count;
            }
            _current = _counts[1] > 0 && (_counts[0] == 0 || first[1] > first[0]) ? 1 : 0;
            uint newest = last[0] > last[1] ? last[0] : last[1];
            _nextSeq = newest + 1;
            if (damaged[0] || damaged[1])
            {
                FoundDamage = true;
                // Never append behind damage: continue in the other file.
                if (damaged[_current]) StartOther();
            }
        }

        /// <summary>Adds one entry; storage trouble is counted, never thrown (the log must not stop the hub).</summary>
        public void Add(long uptimeMs, long utcMs, string text)
        {
            if (text.Length > MaxTextLength) text = text.Substring(0, MaxTextLength);
            try
            {
                if (_counts[_current] >= _perFile) StartOther();
                ByteCodec.PutUInt32(_buffer, 0, _nextSeq);
                ByteCodec.PutInt64(_buffer, 4, uptimeMs);
                ByteCodec.PutInt64(_buffer, 12, utcMs);
                int n = ByteCodec.PutString(_buffer, 20, text);
                int frameLength = RecordFile.Frame(_buffer, 0, n, _frame);
                _store.Append(_names[_current], _frame, 0, frameLength);
                _counts[_current]++;
                _nextSeq++;
            }
            catch (StorageException)
            {
                WriteFailures++;
            }
        }

        /// <summary>Writes the newest <paramref name="n"/> entries, oldest first, one line each.</summary>
        public void WriteLast(int n, IConsoleOutput output)
        {
            int total = Count;
            int skip = total > n ? total - n : 0;
            int older = 1 - _current;
            skip = WriteFile(older, skip, output);
            WriteFile(_current, skip, output);
        }

        private int WriteFile(int f, int skip, IConsoleOutput output)
        {
            int length = _store.GetLength(_names[f]);
            int position = 0;
            int index = 0;
            while (length > 0 && position < length && index < _counts[f])
            {
                int n = RecordFile.ReadAt(_store, _names[f], position, length, ref _buffer);
                if (n < 20) break;
                position += n + RecordFile.Overhead;
                index++;
                if (skip > 0) { skip--; continue; }
                uint seq = ByteCodec.GetUInt32(_buffer, 0);
                long uptime = ByteCodec.GetInt64(_buffer, 4);
                long utc = ByteCodec.GetInt64(_buffer, 12);
                int at = 20;
                string text = ByteCodec.GetString(_buffer, ref at);
                output.WriteLine("#" + seq.ToString() + " " + ConsoleFormat.Time(utc) + " up " + ConsoleFormat.Duration(uptime) + "  " + text);
            }
            return skip;
        }

        private void StartOther()
        {
            _current = 1 - _current;
            _store.Delete(_names[_current]);
            _counts[_current] = 0;
        }
    }
}
