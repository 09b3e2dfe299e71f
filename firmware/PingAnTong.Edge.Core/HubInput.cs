namespace PingAnTong.Edge.Core
{
    /// <summary>Kinds of items that callbacks post to the <see cref="HubQueue"/>.</summary>
    public static class HubInput
    {
        /// <summary>A = input index, B = level (0/1), Time = uptime of the edge.</summary>
        public const int PinEdge = 1;
        public const int Connected = 2;

        /// <summary>Obj = reason text.</summary>
        public const int ConnectFailed = 3;

        /// <summary>Obj = reason text.</summary>
        public const int Disconnected = 4;

        /// <summary>A = publish token.</summary>
        public const int PublishAcked = 5;

        /// <summary>Obj = topic (string), Obj2 = payload (byte[]).</summary>
        public const int Message = 6;

        /// <summary>Wall clock became known (SNTP).</summary>
        public const int ClockSynced = 7;

        /// <summary>Obj = console line (string), Obj2 = where the reply goes (Field.IConsoleOutput).</summary>
        public const int ConsoleLine = 8;
    }
}
