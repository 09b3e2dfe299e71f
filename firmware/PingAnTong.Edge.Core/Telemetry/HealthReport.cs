using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Inputs;
using PingAnTong.Edge.Core.Json;
using PingAnTong.Edge.Core.Net;

namespace PingAnTong.Edge.Core.Telemetry
{
    /// <summary>The health heartbeat (path supervision, default every 5 min, 1-60 by command). Kept in
    /// RAM only and replaced by the next one while unsent: it reports the present, not the past.</summary>
    public static class HealthReport
    {
        public static void Send(Hub hub)
        {
            long seq;
            JsonWriter w = hub.Events.BeginTelemetry(out seq);
            w.Property("bootCount", hub.Counters.BootCount);
            w.Property("session", hub.Counters.SessionCount);
            w.Property("heartbeatMinutes", hub.HeartbeatMinutes);
            w.Property("outboxDepth", hub.Outbox.Count);
            w.Property("outboxPending", hub.Outbox.CountPending());
            w.Property("outboxEvicted", hub.Outbox.EvictedCount);
            w.Property("queueOverflows", hub.Queue.Overflows);
            w.Property("commandsDropped", hub.Queue.DroppedCommands);
            w.Property("commandsRefused", hub.Commands.Unauthenticated);
            w.Property("deadLinks", hub.Link.DeadLinks);
            w.Property("publishesRefused", hub.Publisher.Refused);
            w.Property("storageBytesWritten", hub.StorageBytesWritten);
            w.Property("storageFault", hub.StorageFault);
            w.Property("activeAlarms", hub.Alarms.ActiveCount);
            w.Property("connects", hub.Link.Attempts);
            w.Property("mains", LineState(hub, InputKind.Mains, "on", "off"));
            w.Property("battery", LineState(hub, InputKind.BatteryLow, "low", "ok"));
            w.Name("inputs");
            w.BeginArray();
            for (int i = 0; i < hub.Inputs.Length; i++)
            {
                DigitalInput input = hub.Inputs[i];
                w.BeginObject();
                w.Property("id", input.Config.Id);
                w.Property("kind", InputKind.Name(input.Config.Kind));
                w.Property("health", input.IsChattering ? "chatter" : input.IsSilent ? "silent" : "ok");
                w.Property("active", input.IsActive);
                w.EndObject();
            }
            w.EndArray();
            w.Name("sensors");
            w.BeginArray();
            for (int i = 0; i < hub.Sensors.Length; i++)
            {
                AnalogSensor s = hub.Sensors[i];
                w.BeginObject();
                w.Property("id", s.Config.Id);
                w.Property("kind", s.Config.Kind);
                w.Property("health", s.IsFaulty ? "fault" : s.IsWarmingUp ? "warming_up" : "ok");
                w.Name("value");
                if (s.HasValue) w.Fixed(s.Value, s.IsGas ? 0 : 1); else w.Null();
                w.Property("status", SensorStatus.Name(s.LastStatus));
                w.EndObject();
            }
            w.EndArray();
            w.Property("freeMemoryBytes", hub.Host.FreeMemoryBytes);
            w.Property("wifiRssi", hub.Host.WifiRssi);
            hub.Events.CommitVolatile(Channel.Health, Priority.Heartbeat, seq);
        }

        private static string LineState(Hub hub, byte kind, string whenActive, string whenInactive)
        {
            int i = hub.FindInput(kind);
            if (i < 0) return "absent";
            return hub.Inputs[i].IsActive ? whenActive : whenInactive;
        }
    }
}
