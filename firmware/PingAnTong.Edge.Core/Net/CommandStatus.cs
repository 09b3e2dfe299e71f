namespace PingAnTong.Edge.Core.Net
{
    /// <summary>Numeric status of a command reply (the contract lists the same codes).</summary>
    public static class CommandStatus
    {
        public const int Ok = 0;
        public const int Malformed = 1;
        public const int UnknownCommand = 2;
        public const int InvalidValue = 3;
        public const int Busy = 4;
        public const int NotFound = 5;
        public const int Failed = 6;
    }
}
