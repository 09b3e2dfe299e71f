using PingAnTong.Edge.Core.Json;

namespace PingAnTong.Edge.Core.Telemetry
{
    /// <summary>
    /// The retained status topic: <c>online</c> (birth, published on every connect), <c>lost</c>
    /// (the last will, published by the broker when the hub vanishes) and <c>offline</c> (a clean
    /// shutdown: the host publishes it just before it disconnects on purpose), as Homie's $state and
    /// Sparkplug's birth/death with a session counter.
    /// </summary>
    public static class StatusPayload
    {
        public static byte[] Online(Hub hub)
        {
            JsonWriter w = Begin(hub, "online", hub.Counters.SessionCount);
            w.Property("firmware", hub.Host.FirmwareVersion);
            w.Property("resetReason", hub.Host.ResetReason);
            w.Property("configVersion", hub.Config.Version);
            w.Property("configSource", hub.ConfigSource);
            w.TimestampProperty("ts", hub.Clock.UtcMs);
            w.Property("uptimeMs", hub.Clock.UptimeMs);
            w.EndObject();
            return w.ToArray();
        }

        /// <summary>The will, for the session the next connect will open.</summary>
        public static byte[] Lost(Hub hub)
        {
            JsonWriter w = Begin(hub, "lost", hub.Counters.SessionCount + 1);
            w.EndObject();
            return w.ToArray();
        }

        /// <summary>
        /// The clean shutdown, for the session that ends: the host publishes it (retained) and then
        /// disconnects with DISCONNECT, so the broker discards the will and <c>offline</c> stays.
        /// </summary>
        public static byte[] Offline(Hub hub)
        {
            JsonWriter w = Begin(hub, "offline", hub.Counters.SessionCount);
            w.TimestampProperty("ts", hub.Clock.UtcMs);
            w.Property("uptimeMs", hub.Clock.UptimeMs);
            w.EndObject();
            return w.ToArray();
        }

        private static JsonWriter Begin(Hub hub, string state, int session)
        {
            JsonWriter w = new JsonWriter(256);
            w.BeginObject();
            w.Property("state", state);
            w.Property("hubId", hub.Config.HubId);
            w.Property("bootCount", hub.Counters.BootCount);
            w.Property("session", session);
            return w;
        }
    }
}
