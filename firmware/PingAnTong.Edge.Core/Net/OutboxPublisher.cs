using PingAnTong.Edge.Core.Json;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.Core.Net
{
    /// <summary>
    /// Sends outbox entries, most important first, with a few in flight. Each payload is the stored
    /// body plus the delivery members only known now: <c>attempt</c>, <c>escalated</c> and
    /// <c>historical</c> (created before an outage or a reboot, and sent after it).
    /// </summary>
    public sealed class OutboxPublisher
    {
        public const int MaxInFlight = 4;

        private readonly OutboxEntry[] _inFlight = new OutboxEntry[MaxInFlight];
        private readonly int[] _tokens = new int[MaxInFlight];
        private readonly JsonWriter _json = new JsonWriter(512);
        private byte[] _body = new byte[512];
        private int _nextToken = 1;

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

        /// <summary>Fills free in-flight slots from the outbox while connected.</summary>
        public void Pump(Outbox outbox, IMessageTransport transport, Topics topics, ConnectionManager link)
        {
            if (link.State != ConnectionManager.Connected) return;
            for (int slot = 0; slot < MaxInFlight; slot++)
            {
                if (_inFlight[slot] != null) continue;
                OutboxEntry e = outbox.NextToSend();
                if (e == null) return;
                int bodyLength = outbox.ReadBody(e, ref _body);
                e.Attempts++;
                bool historical = e.FromPreviousBoot || (link.LastLostMs >= 0 && e.CreatedUptimeMs < link.ConnectedSinceMs);
                _json.ContinueObject(_body, bodyLength);
                _json.Property("attempt", e.Attempts);
                _json.Property("escalated", e.Escalated);
                _json.Property("historical", historical);
                _json.EndObject();
                int token = _nextToken++;
                if (!transport.Publish(topics.For(e.Channel), _json.Buffer, _json.Length, false, token)) return;
                e.InFlight = true;
                e.ResendDue = false;
                _inFlight[slot] = e;
                _tokens[slot] = token;
                Published++;
            }
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
