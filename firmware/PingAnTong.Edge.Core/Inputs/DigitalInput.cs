using PingAnTong.Edge.Core.Config;

namespace PingAnTong.Edge.Core.Inputs
{
    /// <summary>
    /// One debounced digital input. Raw edges arrive from the host (GPIO callback via the queue);
    /// <see cref="Tick"/> reports a change only after the raw level has been stable for the debounce
    /// time. Too many raw edges in the chatter window mark the input faulty (a loose wire or a
    /// failing PIR must become a fault, not a stream of alarms); it recovers after a quiet window.
    /// Debounce works on the edges' own timestamps, not on when the loop looks: a level that held for
    /// the debounce time before the next edge counts, even when both edges reach the loop in the same
    /// pass (a quick SOS press while the loop was busy writing flash). Settled changes wait in a small
    /// queue until the hub takes them (<see cref="Tick"/>, then <see cref="NextChange"/>).
    /// </summary>
    public sealed class DigitalInput
    {
        public const int NoChange = 0;
        public const int BecameActive = 1;
        public const int BecameInactive = 2;

        private bool _rawLevel;
        private long _rawChangedAtMs;
        private bool _pending;
        private int _edgesInWindow;
        private long _windowStartMs;
        private long _lastEdgeMs;
        private const int MaxQueuedChanges = 8;
        private readonly int[] _changes = new int[MaxQueuedChanges];
        private int _changeHead;
        private int _changeCount;

        public DigitalInput(InputConfig config, bool initialRawLevel, long nowMs)
        {
            Config = config;
            _rawLevel = initialRawLevel;
            IsActive = initialRawLevel != config.ActiveLow;
            ActiveSinceMs = nowMs;
            _windowStartMs = nowMs;
            _lastEdgeMs = nowMs;
            LastActivityMs = nowMs;
        }

        public InputConfig Config { get; private set; }

        /// <summary>A new config for the same pin and polarity: state, pending edges and queued changes are kept.</summary>
        public void Reconfigure(InputConfig config)
        {
            Config = config;
        }

        /// <summary>Debounced state: true while the input is active (button held, door open, motion, smoke).</summary>
        public bool IsActive { get; private set; }

        /// <summary>Uptime at which the debounced state last changed.</summary>
        public long ActiveSinceMs { get; private set; }

        /// <summary>Uptime of the last debounced activation, for supervision of silent sensors.</summary>
        public long LastActivityMs { get; private set; }

        public bool IsChattering { get; private set; }

        /// <summary>True when supervision found the sensor silent for too long.</summary>
        public bool IsSilent { get; set; }

        public bool IsHealthy { get { return !IsChattering && !IsSilent; } }

        /// <summary>Set by <see cref="Tick"/> when the chatter state changed since the previous tick.</summary>
        public bool ChatterChanged { get; private set; }

        /// <summary>Set by the hub once a long press of this button has been reported, until release.</summary>
        public bool LongPressReported { get; set; }

        public void OnRawLevel(bool level, long nowMs)
        {
            if (level == _rawLevel) return;
            // The level before this edge held long enough: it is a real change even if no tick saw it.
            if (_pending && nowMs - _rawChangedAtMs >= Config.DebounceMs) Settle(_rawChangedAtMs + Config.DebounceMs);
            _rawLevel = level;
            _rawChangedAtMs = nowMs;
            _pending = true;
            _lastEdgeMs = nowMs;
            if (nowMs - _windowStartMs > Config.ChatterWindowMs)
            {
                _windowStartMs = nowMs;
                _edgesInWindow = 0;
            }
            _edgesInWindow++;
        }

        /// <summary>Advances debounce and chatter detection; returns <see cref="BecameActive"/>, <see cref="BecameInactive"/> or <see cref="NoChange"/>.</summary>
        public int Tick(long nowMs)
        {
            ChatterChanged = false;
            if (!IsChattering && _edgesInWindow > Config.ChatterEdges)
            {
                IsChattering = true;
                ChatterChanged = true;
            }
            else if (IsChattering && nowMs - _lastEdgeMs >= Config.ChatterWindowMs)
            {
                IsChattering = false;
                ChatterChanged = true;
                _edgesInWindow = 0;
                _windowStartMs = nowMs;
            }
            if (_pending && nowMs - _rawChangedAtMs >= Config.DebounceMs) Settle(nowMs);
            return NextChange();
        }

        /// <summary>The next settled change not yet taken (<see cref="BecameActive"/>, <see cref="BecameInactive"/>), or <see cref="NoChange"/>.</summary>
        public int NextChange()
        {
            if (_changeCount == 0) return NoChange;
            int change = _changes[_changeHead];
            _changeHead = (_changeHead + 1) % MaxQueuedChanges;
            _changeCount--;
            return change;
        }

        private void Settle(long atMs)
        {
            _pending = false;
            bool active = _rawLevel != Config.ActiveLow;
            if (active == IsActive) return;
            IsActive = active;
            ActiveSinceMs = _rawChangedAtMs;
            if (active) LastActivityMs = atMs;
            if (IsChattering || _edgesInWindow > Config.ChatterEdges) return;
            int change = active ? BecameActive : BecameInactive;
            if (_changeCount == MaxQueuedChanges)
            {
                // Full (the loop stalled through many presses): changes alternate, so dropping the newest
                // together with the one before it keeps the reported state right and merges one release
                // and re-press into a longer press; the first presses are already queued.
                _changeCount--;
                return;
            }
            _changes[(_changeHead + _changeCount) % MaxQueuedChanges] = change;
            _changeCount++;
        }

        /// <summary>Uptime at which the pending raw change will have settled, or -1 when nothing is pending.</summary>
        public long SettlesAtMs
        {
            get { return _pending ? _rawChangedAtMs + Config.DebounceMs : -1; }
        }
    }
}
