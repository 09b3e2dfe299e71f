namespace PingAnTong.Edge.Core.Net
{
    /// <summary>Everything a transport needs to open a session. The password is not here: the host
    /// reads <see cref="PasswordFile"/> itself, so the secret never passes through the core or its logs.</summary>
    public sealed class ConnectRequest
    {
        public string ClientId;
        public string Host;
        public int Port;
        public bool Tls;
        public string CaFile;
        public string Username;
        public string PasswordFile;
        public int KeepAliveSeconds;
        public bool CleanSession;
        public string WillTopic;
        public byte[] WillPayload;
        public string CommandTopic;

        /// <summary>Set by <see cref="ConnectionManager"/> for each attempt; the transport reports every outcome
        /// of this attempt and of publishes on its connection with it (see <see cref="LinkEvents"/>).</summary>
        public int Generation;
    }
}
