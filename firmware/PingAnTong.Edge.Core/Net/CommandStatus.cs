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

        /// <summary>Nothing to do, it was done before: an <c>ack</c> of an alarm already acknowledged, a
        /// <c>close</c> of an alarm already closed. A success: stop re-sending.</summary>
        public const int AlreadyDone = 7;

        /// <summary>The command was not carried out and must not be: a retained command (it would run again at
        /// every connect), or too many test alarms open.</summary>
        public const int Refused = 8;
    }
}
