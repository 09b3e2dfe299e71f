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

        /// <summary>A config that moves the hub to another broker (or key) runs on trial until the centre reaches it there.</summary>
        public const string Trial = "trial";

        /// <summary>A trial config was not confirmed in time (or the hub restarted during it): back on the last good one.</summary>
        public const string RolledBack = "rolled_back";

        /// <summary>Away by command ended after 24 h without renewal: inactivity detection runs again.</summary>
        public const string Expired = "expired";
    }
}
