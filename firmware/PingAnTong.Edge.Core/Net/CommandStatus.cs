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
        /// every connect), too many test alarms open, or a config carrying a secret.</summary>
        public const int Refused = 8;

        /// <summary>Not signed: no <c>sig</c> or no integer <c>issuedAt</c>. Not remembered.</summary>
        public const int Unsigned = 9;

        /// <summary>The signature does not match this hub's command key (or the hub has no usable key). Not remembered.</summary>
        public const int BadSignature = 10;

        /// <summary>Issued more than 10 min from the hub's clock, or the clock is not synced and the command needs it. Sign again. Not remembered.</summary>
        public const int Stale = 11;

        /// <summary>Issued at or before the newest command the hub has forgotten or took before a reboot: a copy. Sign again. Not remembered.</summary>
        public const int Replayed = 12;

        /// <summary>A <c>close</c> of an alarm nobody acknowledged: <c>ack</c> first, then the same close succeeds. Not remembered.</summary>
        public const int NotAcknowledged = 13;
    }
}
