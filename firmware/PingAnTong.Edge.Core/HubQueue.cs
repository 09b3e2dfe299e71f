using System.Threading;

namespace PingAnTong.Edge.Core
{
    /// <summary>
    /// The bounded, locked queue between callbacks (GPIO, MQTT, timers) and the one loop that owns
    /// all hub state. The last <see cref="ReservedForUrgent"/> slots take only urgent items (edges of
    /// SOS and smoke inputs), so a flood of motion edges can never crowd out an alarm. Overflow is
    /// counted and reported in the heartbeat, never silent.
    /// </summary>
    public sealed class HubQueue
    {
        public const int ReservedForUrgent = 8;

        private readonly object _lock = new object();
        private readonly int[] _type;
        private readonly int[] _a;
        private readonly int[] _b;
        private readonly long[] _time;
        private readonly object[] _obj;
        private readonly object[] _obj2;
        private readonly AutoResetEvent _signal = new AutoResetEvent(false);
        private int _head;
        private int _count;

        public HubQueue(int capacity)
        {
            _type = new int[capacity];
            _a = new int[capacity];
            _b = new int[capacity];
            _time = new long[capacity];
            _obj = new object[capacity];
            _obj2 = new object[capacity];
        }

        public int Capacity { get { return _type.Length; } }

        public int Count { get { lock (_lock) { return _count; } } }

        /// <summary>Items refused because the queue was full (reported in the heartbeat).</summary>
        public int Overflows { get; private set; }

        /// <summary>Signalled whenever an item is posted, so the loop can sleep until there is work.</summary>
        public WaitHandle Signal { get { return _signal; } }

        public bool Post(int type, int a, int b, long time, object obj, object obj2, bool urgent)
        {
            lock (_lock)
            {
                int limit = urgent ? _type.Length : _type.Length - ReservedForUrgent;
                if (_count >= limit)
                {
                    Overflows++;
                    return false;
                }
                int i = (_head + _count) % _type.Length;
                _type[i] = type;
                _a[i] = a;
                _b[i] = b;
                _time[i] = time;
                _obj[i] = obj;
                _obj2[i] = obj2;
                _count++;
            }
            _signal.Set();
            return true;
        }

        /// <summary>Takes the oldest item; returns false when empty. The loop thread only.</summary>
        public bool TryTake(out int type, out int a, out int b, out long time, out object obj, out object obj2)
        {
            lock (_lock)
            {
                if (_count == 0)
                {
                    type = 0; a = 0; b = 0; time = 0; obj = null; obj2 = null;
                    return false;
                }
                type = _type[_head];
                a = _a[_head];
                b = _b[_head];
                time = _time[_head];
                obj = _obj[_head];
                obj2 = _obj2[_head];
                _obj[_head] = null;
                _obj2[_head] = null;
                _head = (_head + 1) % _type.Length;
                _count--;
                return true;
            }
        }
    }
}
