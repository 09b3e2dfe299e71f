namespace PingAnTong.Edge.Core.Net
{
    /// <summary>
    /// The one path by which every transport (M2Mqtt on the device, MQTTnet in the simulator, the test
    /// doubles) tells the hub what happened to the link. Thread-safe: call it from any callback.
    /// Each connect attempt carries a generation (<see cref="ConnectRequest.Generation"/>); the
    /// transport passes it back with every outcome of that attempt and of publishes made on that
    /// connection, so the hub can ignore a late "connected" or "lost" of an attempt it has already
    /// given up on (a stale "connected" once left the hub believing in a link that no longer existed).
    /// A transport must report <see cref="Lost"/> whenever a connection it reported as connected ends,
    /// however it ends (broker gone, socket closed, keepalive expired, a publish that failed).
    /// </summary>
    public sealed class LinkEvents
    {
        private readonly HubQueue _queue;

        public LinkEvents(HubQueue queue)
        {
            _queue = queue;
        }

        /// <summary>The connection of attempt <paramref name="generation"/> is up and subscribed to the command topic.</summary>
        public void Connected(int generation)
        {
            _queue.Post(HubInput.Connected, generation, 0, 0, null, null, true);
        }

        /// <summary>Attempt <paramref name="generation"/> did not connect.</summary>
        public void ConnectFailed(int generation, string reason)
        {
            _queue.Post(HubInput.ConnectFailed, generation, 0, 0, reason, null, true);
        }

        /// <summary>The connection of attempt <paramref name="generation"/> ended.</summary>
        public void Lost(int generation, string reason)
        {
            _queue.Post(HubInput.Disconnected, generation, 0, 0, reason, null, true);
        }

        /// <summary>The broker acknowledged the publish <paramref name="token"/> made on connection <paramref name="generation"/>.</summary>
        public void PublishAcked(int generation, int token)
        {
            if (token == 0) return;
            _queue.Post(HubInput.PublishAcked, generation, token, 0, null, null, true);
        }

        /// <summary>A message arrived on a subscribed topic. Returns false when the command share of the queue is full (counted).</summary>
        public bool Message(string topic, byte[] payload, bool retained)
        {
            return _queue.Post(HubInput.Message, retained ? 1 : 0, 0, 0, topic, payload, false);
        }
    }
}
