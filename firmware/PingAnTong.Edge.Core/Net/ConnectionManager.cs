namespace PingAnTong.Edge.Core.Net
{
    /// <summary>
    /// Decides when to connect. Exponential backoff from 5 s to 4 min with ±20 % jitter after each
    /// failure or loss, never more than 6 connect attempts in any 60 s, and a connect that does not
    /// complete within 30 s counts as failed. M2Mqtt does not reconnect by itself; this does.
    /// Every attempt has a new <see cref="Generation"/>; outcomes of older attempts are ignored, so a
    /// connect that completes after it timed out cannot leave the hub "connected" to nothing.
    /// </summary>
    public sealed class ConnectionManager
    {
        public const int Disconnected = 0;
        public const int Connecting = 1;
        public const int Connected = 2;

        public const long InitialBackoffMs = 5000;
        /// <summary>The backoff ceiling: with +20 % jitter a reconnect comes at most 288 s after the broker is
        /// back, so an alarm waits at most 300 s after a fault clears (plus the 30 s it may take to find a
        /// dead link). 50,000 hubs still spread their reconnects over ±48 s.</summary>
        public const long MaxBackoffMs = 240000;
        public const long ConnectTimeoutMs = 30000;
        public const int MaxConnectsPerMinute = 6;

        private readonly IMessageTransport _transport;
        private readonly XorShiftRandom _random;
        private readonly long[] _recentAttempts = new long[MaxConnectsPerMinute];
        private int _attemptIndex;
        private long _backoffMs = InitialBackoffMs;
        private long _nextAttemptMs;
        private long _attemptStartedMs;

        public ConnectionManager(IMessageTransport transport, XorShiftRandom random)
        {
            _transport = transport;
            _random = random;
            LastLostMs = -1;
            for (int i = 0; i < _recentAttempts.Length; i++) _recentAttempts[i] = long.MinValue / 2;
        }

        public int State { get; private set; }

        public long ConnectedSinceMs { get; private set; }

        /// <summary>Uptime when the link was last lost, or -1 if it never was in this boot.</summary>
        public long LastLostMs { get; private set; }

        public int Attempts { get; private set; }

        public string LastError { get; private set; }

        public long NextAttemptMs { get { return _nextAttemptMs; } }

        /// <summary>The generation of the current (or last) connect attempt; see <see cref="LinkEvents"/>.</summary>
        public int Generation { get; private set; }

        /// <summary>Links the hub itself declared dead (no publish ack in time, publishes refused), since start.</summary>
        public int DeadLinks { get; private set; }

        /// <summary>True when an outcome reported for <paramref name="generation"/> belongs to the current attempt.</summary>
        public bool IsCurrent(int generation)
        {
            return generation == Generation;
        }

        public static string StateName(int state)
        {
            return state == Connected ? "connected" : state == Connecting ? "connecting" : "disconnected";
        }

        /// <summary>Starts a connect when one is due and allowed; returns true when it did.</summary>
        public bool Tick(long nowMs, ConnectRequest request)
        {
            if (State == Connecting && nowMs - _attemptStartedMs >= ConnectTimeoutMs)
            {
                _transport.Disconnect();
                OnFailed(nowMs, "connect timed out after 30 s");
            }
            if (State != Disconnected || nowMs < _nextAttemptMs) return false;
            long oldest = _recentAttempts[_attemptIndex];
            if (nowMs - oldest < 60000)
            {
                _nextAttemptMs = oldest + 60000;
                return false;
            }
            _recentAttempts[_attemptIndex] = nowMs;
            _attemptIndex = (_attemptIndex + 1) % _recentAttempts.Length;
            State = Connecting;
            _attemptStartedMs = nowMs;
            Attempts++;
            Generation++;
            request.Generation = Generation;
            _transport.Connect(request);
            return true;
        }

        public void OnConnected(long nowMs)
        {
            State = Connected;
            ConnectedSinceMs = nowMs;
            LastError = null;
        }

        /// <summary>
        /// A publish on this connection was acknowledged: the link works, the backoff starts again from
        /// 5 s. Not on connect alone: a link that connects but carries nothing (publishes refused or never
        /// acknowledged) must not be reconnected every few seconds.
        /// </summary>
        public void OnProvenWorking()
        {
            _backoffMs = InitialBackoffMs;
        }

        /// <summary>The current attempt failed or its connection ended; anything still reported for it is stale from now on.</summary>
        public void OnFailed(long nowMs, string reason)
        {
            Generation++;
            if (State == Connected) LastLostMs = nowMs;
            State = Disconnected;
            LastError = reason;
            long jitter = _backoffMs / 5;
            _nextAttemptMs = nowMs + _random.Between(_backoffMs - jitter, _backoffMs + jitter);
            _backoffMs = _backoffMs * 2 > MaxBackoffMs ? MaxBackoffMs : _backoffMs * 2;
        }

        /// <summary>Drops the link on purpose (e.g. a new broker config); reconnects at once.</summary>
        public void Restart(long nowMs)
        {
            _transport.Disconnect();
            Generation++;
            State = Disconnected;
            _nextAttemptMs = nowMs;
        }

        /// <summary>
        /// The hub found the link dead although the transport still calls it up (a publish not acknowledged
        /// in time, or publishes refused): closes it and reconnects after the usual jittered backoff.
        /// </summary>
        public void DeclareDead(long nowMs, string reason)
        {
            if (State == Disconnected) return;
            _transport.Disconnect();
            DeadLinks++;
            OnFailed(nowMs, reason);
        }
    }
}
