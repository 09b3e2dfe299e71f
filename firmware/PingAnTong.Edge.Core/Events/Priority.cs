namespace PingAnTong.Edge.Core.Events
{
    /// <summary>Delivery priority, 0 (most urgent) to 9. Smoke, gas and SOS share the top, as
    /// EN 50134 / BS 8521 rank life-safety triggers above everything (help button cannot be silenced).</summary>
    public static class Priority
    {
        public const byte LifeSafety = 0;
        public const byte Wellbeing = 2;
        public const byte Test = 3;
        public const byte Fault = 4;
        public const byte Information = 6;
        public const byte Reply = 5;
        public const byte AlivePing = 5;
        public const byte Heartbeat = 8;
    }
}
