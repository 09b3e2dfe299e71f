namespace PingAnTong.Edge.Core.Events
{
    /// <summary>The <c>kind</c> values of events in the contract.</summary>
    public static class EventKind
    {
        public const string Sos = "sos";
        public const string Smoke = "smoke";
        public const string Gas = "gas";
        public const string Inactivity = "inactivity";
        public const string DoorNight = "door_night";
        public const string SensorFault = "sensor_fault";
        public const string Mains = "mains";
        public const string Battery = "battery";
        public const string Storage = "storage";
        public const string QueueOverflow = "queue_overflow";
        public const string Heat = "heat";
        public const string Cold = "cold";
        public const string Notice = "notice";
        public const string Cancel = "cancel";
        public const string Config = "config";
        public const string Boot = "boot";
        public const string Presence = "presence";
    }
}
