namespace PingAnTong.Edge.Core.Events
{
    /// <summary>The <c>state</c> values of events in the contract.</summary>
    public static class EventState
    {
        public const string Raised = "raised";
        public const string Cleared = "cleared";
        public const string Acknowledged = "acknowledged";
        public const string CancelRequested = "cancel_requested";
        public const string Closed = "closed";
        public const string Read = "read";
        public const string Applied = "applied";
        public const string Started = "started";
        public const string Away = "away";
        public const string Home = "home";
        public const string Prompted = "prompted";
        public const string Cancelled = "cancelled";
        public const string Rejected = "rejected";
    }
}
