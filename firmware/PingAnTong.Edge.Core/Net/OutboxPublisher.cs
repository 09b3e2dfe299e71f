using PingAnTong.Edge.Core.Json;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core.Net
{
    /// <summary>
    /// Sends outbox entries, most important first, with a few in flight. Each payload is the stored
    /// body plus the delivery members only known now: <c>attempt</c>, <c>escalated</c> and
    /// <c>historical</c> (created before an outage or a reboot, and sent after it).
    /// It also watches the link from the sending side, because a transport can fail quietly: a
    /// publish not acknowledged within <see cref="AckTimeoutMs"/>, or <see cref="MaxRefusals"/>
    /// publishes in a row refused, means the link is dead (<see cref="Stalled"/>). A refused publish
    /// is retried no sooner than <see cref="RefusedRetryMs"/> later, so no path spins.
    /// </summary>
    public sealed class OutboxPublisher
    {
        public const int MaxInFlight = 4;

        /// <summary>A QoS 1 publish whose PUBACK has not come within this time means the link is dead. The
        /// broker answers within a round trip; 30 s is the connect timeout too, and well under the keepalive
        /// expiry (1.5 × 60 s) that would otherwise be the only sign of a half-open link.</summary>
        public const long AckTimeoutMs = 30000;

        /// <summary>After a refused publish, the next try waits this long.</summary>
        public const long RefusedRetryMs = 1000;

        /// <summary>Refused publishes in a row (while the link is up) that mean the link is dead.</summary>
        public const int MaxRefusals = 3;

        private readonly OutboxEntry[] _inFlight = new OutboxEntry[MaxInFlight];
        private readonly int[] _tokens = new int[MaxInFlight];
        private readonly long[] _sentMs = new long[MaxInFlight];
        private readonly JsonWriter _json = new JsonWriter(512);
        private byte[] _body = new byte[512];
        private int _nextToken = 1;
        private int _refusals;
        private long _retryAtMs;

        public int InFlightCount
        {
            get
            {
                int n = 0;
                for (int i = 0; i < MaxInFlight; i++) if (_inFlight[i] != null) n++;
                return n;
            }
        }

        public long Published { get; private set; }

        /// <summary>Publishes the transport refused, since start.</summary>
        public long Refused { get; private set; }

        /// <summary>Fills free in-flight slots from the outbox while connected.</summary>
        public void Pump(Outbox outbox, IMessageTransport transport, Topics topics, ConnectionManager link, long nowMs)
        {
            if (link.State != ConnectionManager.Connected || nowMs < _retryAtMs) return;
            for (int slot = 0; slot < MaxInFlight; slot++)
            {
                if (_inFlight[slot] != null) continue;
                OutboxEntry e = NextReadable(outbox);
                if (e == null) return;
                bool historical = e.FromPreviousBoot || (link.LastLostMs >= 0 && e.CreatedUptimeMs < link.ConnectedSinceMs);
                _json.ContinueObject(_body, _bodyLength);
                _json.Property("attempt", e.Attempts + 1);
                _json.Property("escalated", e.Escalated);
                _json.Property("historical", historical);
                _json.EndObject();
                int token = _nextToken++;
                if (!transport.Publish(topics.For(e.Channel), _json.Buffer, _json.Length, false, token))
                {
                    _refusals++;
                    Refused++;
                    _retryAtMs = nowMs + RefusedRetryMs;
                    return;
                }
                _refusals = 0;
                e.Attempts++;
                e.InFlight = true;
                e.ResendDue = false;
                _inFlight[slot] = e;
                _tokens[slot] = token;
                _sentMs[slot] = nowMs;
                Published++;
            }
        }

        private int _bodyLength;

        /// <summary>
        /// The next entry to send, its body in <see cref="_body"/>. A record that no longer reads back (a
        /// flipped bit) does not stop delivery: the outbox rebuilds an alarm from memory; anything else
        /// is dropped (counted by the outbox and reported by the hub).
        /// </summary>
        private OutboxEntry NextReadable(Outbox outbox)
        {
            while (true)
            {
                OutboxEntry e = outbox.NextToSend();
                if (e == null) return null;
                try
                {
                    _bodyLength = outbox.ReadBody(e, ref _body);
                    return e;
                }
                catch (StorageException)
                {
                    outbox.SetState(e, OutboxState.Removed);
                }
            }
        }

        /// <summary>Why the link looks dead from the sending side, or null while it looks alive.</summary>
        public string Stalled(long nowMs)
        {
            if (_refusals >= MaxRefusals) return _refusals.ToString() + " publishes refused in a row";
            for (int i = 0; i < MaxInFlight; i++)
            {
                if (_inFlight[i] != null && nowMs - _sentMs[i] >= AckTimeoutMs) return "no publish acknowledgement within 30 s";
            }
            return null;
        }

        /// <summary>The broker acknowledged a publish; returns its entry, or null for a stale token.</summary>
        public OutboxEntry OnAcked(int token)
        {
            for (int i = 0; i < MaxInFlight; i++)
            {
                if (_inFlight[i] != null && _tokens[i] == token)
                {
                    OutboxEntry e = _inFlight[i];
                    _inFlight[i] = null;
                    e.InFlight = false;
                    return e;
                }
            }
            return null;
        }

        /// <summary>The link dropped: everything in flight is sent again after reconnecting.</summary>
        public void OnLinkLost()
        {
            _refusals = 0;
            _retryAtMs = 0;
            for (int i = 0; i < MaxInFlight; i++)
            {
                if (_inFlight[i] == null) continue;
                _inFlight[i].InFlight = false;
                if (_inFlight[i].State == OutboxState.Delivered) _inFlight[i].ResendDue = true;
                _inFlight[i] = null;
            }
        }
    }
}
