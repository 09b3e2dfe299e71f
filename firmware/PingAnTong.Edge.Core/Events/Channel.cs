namespace PingAnTong.Edge.Core.Events
{
    /// <summary>The topic channels of the contract: <c>{prefix}/{hubId}/{channel}</c>.</summary>
    public static class Channel
    {
        public const byte Event = 0;
        public const byte Alive = 1;
        public const byte Health = 2;
        public const byte Reply = 3;
        public const byte Status = 4;
        public const byte Command = 5;

        public static string Name(byte value)
        {
            switch (value)
            {
                case Event: return "event";
                case Alive: return "alive";
                case Health: return "health";
                case Reply: return "reply";
                case Status: return "status";
                default: return "cmd";
            }
        }
    }
}
