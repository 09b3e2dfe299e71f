using System.Threading;

namespace PingAnTong.Edge.Core
{
    /// <summary>
    /// The bounded, locked queue between callbacks (GPIO, MQTT, timers) and the one loop that owns
    /// all hub state. Items keep their order, but each kind has its own share of the slots, and the
    /// shares add up to the capacity, so no kind can take another's room:
    /// <list type="bullet">
    /// <item>alarm edges (SOS, smoke, gas inputs): <see cref="AlarmSlots"/>;</item>
    /// <item>link events (connected, failed, lost, publish acks, clock): <see cref="LinkSlots"/> — a
    /// dropped publish ack would hold a send slot until the link drops;</item>
    /// <item>other input edges (motion, door, ...): <see cref="InputSlots"/>;</item>
    /// <item>bulk text (downlink commands, console lines): the rest. A flood of commands fills only
    /// this share; the drops are counted (<see cref="DroppedCommands"/>) and answered by the hub.</item>
    /// </list>
    /// Overflow is counted and reported in the heartbeat, never silent.
    /// </summary>
    public sealed class HubQueue
    {
        public const int AlarmSlots = 16;
        public const int LinkSlots = 16;
        public const int InputSlots = 16;

        private const int LaneAlarm = 0;
        private const int LaneLink = 1;
        private const int LaneInput = 2;
        private const int LaneBulk = 3;

        private readonly object _lock = new object();
        private readonly int[] _type;
        private readonly int[] _a;
        private readonly int[] _b;
        private readonly long[] _time;
        private readonly object[] _obj;
        private readonly object[] _obj2;
        private readonly byte[] _lane;
        private readonly int[] _laneCount = new int[4];
        private readonly int[] _laneLimit = new int[4];
        private readonly AutoResetEvent _signal = new AutoResetEvent(false);
        private int _head;
        private int _count;
        private int _droppedCommands;

        public HubQueue(int capacity)
        {
            if (capacity < AlarmSlots + LinkSlots + InputSlots + 8) capacity = AlarmSlots + LinkSlots + InputSlots + 8;
            _type = new int[capacity];
            _a = new int[capacity];
            _b = new int[capacity];
            _time = new long[capacity];
            _obj = new object[capacity];
            _obj2 = new object[capacity];
            _lane = new byte[capacity];
            _laneLimit[LaneAlarm] = AlarmSlots;
            _laneLimit[LaneLink] = LinkSlots;
            _laneLimit[LaneInput] = InputSlots;
            _laneLimit[LaneBulk] = capacity - AlarmSlots - LinkSlots - InputSlots;
        }

        public int Capacity { get { return _type.Length; } }

        public int Count { get { lock (_lock) { return _count; } } }

        /// <summary>Items refused because their share of the queue was full (reported in the heartbeat).</summary>
        public int Overflows { get; private set; }

        /// <summary>Downlink commands refused because the command share was full, since start.</summary>
        public int DroppedCommands { get { lock (_lock) { return _droppedCommands; } } }

        /// <summary>Signalled whenever an item is posted, so the loop can sleep until there is work.</summary>
        public WaitHandle Signal { get { return _signal; } }

        /// <summary>
        /// Posts an item. The share it takes follows from <paramref name="type"/>; <paramref name="urgent"/>
        /// only matters for pin edges (true for the edges of SOS, smoke and gas inputs).
        /// </summary>
        public bool Post(int type, int a, int b, long time, object obj, object obj2, bool urgent)
        {
            int lane = LaneOf(type, urgent);
            lock (_lock)
            {
                if (_laneCount[lane] >= _laneLimit[lane] || _count >= _type.Length)
                {
                    Overflows++;
                    if (type == HubInput.Message) _droppedCommands++;
                    return false;
                }
                int i = (_head + _count) % _type.Length;
                _type[i] = type;
                _a[i] = a;
                _b[i] = b;
                _time[i] = time;
                _obj[i] = obj;
                _obj2[i] = obj2;
                _lane[i] = (byte)lane;
                _laneCount[lane]++;
                _count++;
            }
            _signal.Set();
            return true;
        }

        private static int LaneOf(int type, bool urgent)
        {
            switch (type)
            {
                case HubInput.PinEdge: return urgent ? LaneAlarm : LaneInput;
                case HubInput.Message:
                case HubInput.ConsoleLine: return LaneBulk;
                default: return LaneLink;
            }
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
                _laneCount[_lane[_head]]--;
                _head = (_head + 1) % _type.Length;
                _count--;
                return true;
            }
        }
    }
}
