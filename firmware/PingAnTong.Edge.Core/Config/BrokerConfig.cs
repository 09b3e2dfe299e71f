namespace PingAnTong.Edge.Core.Config
{
    /// <summary>Where the hub publishes. Secrets are never here: only references to files on the device.</summary>
    public sealed class BrokerConfig
    {
        public string Host;
        public int Port;
        public bool Tls;

        /// <summary>Required with <see cref="Tls"/> false (a lab or simulator broker only); the hub then warns at every boot.</summary>
        public bool InsecureForTesting;

        /// <summary>File (on the device's storage) holding the CA certificate, when TLS is on.</summary>
        public string CaFile;
        public string Username;

        /// <summary>File holding the password; the password itself is never in the config or logs.</summary>
        public string PasswordFile;
        public int KeepAliveSeconds;
    }
}
