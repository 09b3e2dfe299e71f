using System;
using System.Collections;
using System.IO;
using System.Text;
using System.Threading;
using System.Security.Cryptography.X509Certificates;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Net;

namespace PingAnTong.Edge.Esp32.Adapters
{
    /// <summary>
    /// The core's transport on nanoFramework.M2Mqtt. M2Mqtt's Connect blocks (DNS, TCP, TLS) and it does
    /// not reconnect by itself, so a network worker thread performs the connects the core's
    /// ConnectionManager asks for and reports every outcome through the hub's <see cref="LinkEvents"/>,
    /// tagged with the attempt's generation: Connected (once the broker has acknowledged the command
    /// subscription), ConnectFailed(reason), Lost(reason) exactly once for a connection reported up,
    /// PublishAcked(token) and Message(topic, payload, retained).
    /// Each connection is a <see cref="Session"/>: its client, generation, what was reported and its
    /// publishes awaiting a PUBACK. M2Mqtt raises its events on its own dispatch thread; every change of
    /// session state and every report happens under one lock, so a late event of an old client can never
    /// be reported against a newer generation, and Connected is never posted after Lost.
    /// A publish M2Mqtt gives up on (no PUBACK after its 3 tries, 1 s apart) ends the connection: the
    /// transport reports it lost at once instead of waiting for the hub's 30 s ack timeout.
    /// TLS trusts only the CA file on the device's storage and waits for SNTP (certificate dates).
    /// The password is read from its file at connect time and never logged.
    /// </summary>
    public sealed class M2MqttTransport : IMessageTransport
    {
        /// <summary>Publishes awaiting their PUBACK on one connection; the core has at most 4 out (OutboxPublisher.MaxInFlight).</summary>
        private const int Slots = 16;

        /// <summary>How long a connect waits for the SUBACK of the command topic (M2Mqtt tries SUBSCRIBE 3 times, 1 s apart).</summary>
        private const int SubscribeTimeoutMs = 10000;

        private const int GrantedFailure = 0x80;

        private readonly DeviceClock _clock;
        private readonly WifiLink _wifi;
        private readonly object _lock = new object();
        private readonly AutoResetEvent _work = new AutoResetEvent(false);
        private readonly ArrayList _stale = new ArrayList();
        private ConnectRequest _pending;
        private bool _disconnect;
        private Session _session;
        private Thread _thread;

        /// <summary>One MqttClient and everything reported about it. Fields are read and written under _lock.</summary>
        private sealed class Session
        {
            public MqttClient Client;
            public int Generation;

            /// <summary>Connected was posted.</summary>
            public bool Reported;

            /// <summary>Lost or ConnectFailed was posted, or the hub moved on: nothing more is posted for it.</summary>
            public bool Ended;

            /// <summary>M2Mqtt closed it before Connected was posted.</summary>
            public bool Closed;

            public ushort SubscribeId;

            /// <summary>The CONNACK code (ConnectionOpened); -1 until it came.</summary>
            public int Connack = -1;

            /// <summary>QoS the broker granted to the command topic; -1 until the SUBACK.</summary>
            public int Granted = -1;

            public readonly AutoResetEvent Subscribed = new AutoResetEvent(false);
            public readonly ushort[] MessageIds = new ushort[Slots];

            /// <summary>The hub's token of each publish awaiting its PUBACK; 0 = free.</summary>
            public readonly int[] Tokens = new int[Slots];
        }

        public M2MqttTransport(DeviceClock clock, WifiLink wifi)
        {
            _clock = clock;
            _wifi = wifi;
        }

        /// <summary>Set before the hub starts.</summary>
        public LinkEvents Link { get; set; }

        /// <summary>Uptime of the worker's last sign of life, for the watchdog.</summary>
        public long LastBeatMs { get; private set; }

        public bool IsConnected
        {
            get
            {
                lock (_lock)
                {
                    Session s = _session;
                    return s != null && s.Reported && !s.Ended && s.Client.IsConnected;
                }
            }
        }

        public void Start()
        {
            LastBeatMs = _clock.UptimeMs;
            _thread = new Thread(Work);
            _thread.Start();
        }

        public void Connect(ConnectRequest request)
        {
            // A Disconnect not yet carried out stays pending: the worker closes the old connection politely
            // (DISCONNECT) before it opens the new one with the same client id. Dropping it raced the broker's
            // session takeover and could close the new connection.
            lock (_lock) { _pending = request; }
            _work.Set();
        }

        public void Disconnect()
        {
            lock (_lock) { _pending = null; _disconnect = true; }
            _work.Set();
        }

        public bool Publish(string topic, byte[] payload, int length, bool retain, int token)
        {
            lock (_lock)
            {
                Session s = _session;
                if (s == null || !s.Reported || s.Ended || !s.Client.IsConnected) return false;
                int slot = -1;
                for (int i = 0; i < Slots; i++)
                {
                    if (s.Tokens[i] == 0)
                    {
                        slot = i;
                        break;
                    }
                }
                if (slot < 0) return false;
                byte[] copy = new byte[length];
                Array.Copy(payload, copy, length);
                try
                {
                    // Under the lock: the PUBACK's event (M2Mqtt's dispatch thread) waits until the id is recorded.
                    s.MessageIds[slot] = s.Client.Publish(topic, copy, null, null, MqttQoSLevel.AtLeastOnce, retain);
                    s.Tokens[slot] = token;
                }
                catch (Exception)
                {
                    return false; // inflight queue full: the core retries
                }
            }
            return true;
        }

        private void Work()
        {
            while (true)
            {
                _work.WaitOne(5000, false);
                LastBeatMs = _clock.UptimeMs;
                ConnectRequest request;
                bool disconnect;
                object[] stale = null;
                lock (_lock)
                {
                    request = _pending;
                    disconnect = _disconnect;
                    _pending = null;
                    _disconnect = false;
                    if (_stale.Count > 0)
                    {
                        stale = _stale.ToArray();
                        _stale.Clear();
                    }
                }
                if (stale != null)
                {
                    for (int i = 0; i < stale.Length; i++) DisposeQuietly((MqttClient)stale[i]);
                }
                if (disconnect) CloseClient(true);
                if (request != null) Open(request);
                LastBeatMs = _clock.UptimeMs;
            }
        }

        private void Open(ConnectRequest r)
        {
            CloseClient(false);
            int generation = r.Generation;
            if (!_wifi.Ensure())
            {
                Fail(generation, _wifi.LastProblem);
                return;
            }
            if (r.Tls && !_clock.IsSynced)
            {
                Fail(generation, "clock not synced: TLS needs the date to check the broker's certificate (waiting for SNTP)");
                return;
            }
            MqttClient client = null;
            Session s = null;
            try
            {
                X509Certificate ca = null;
                if (r.Tls)
                {
                    if (r.CaFile == null || !File.Exists(r.CaFile))
                    {
                        Fail(generation, "TLS is on but the CA file " + (r.CaFile == null ? "(broker.caFile not set)" : r.CaFile) + " is missing; deploy it with nanoff --filedeployment");
                        return;
                    }
                    ca = new X509Certificate(CaBytes(File.ReadAllBytes(r.CaFile)));
                }
                string password = null;
                if (r.PasswordFile != null)
                {
                    if (!File.Exists(r.PasswordFile))
                    {
                        Fail(generation, "password file " + r.PasswordFile + " is missing; deploy it with nanoff --filedeployment");
                        return;
                    }
                    byte[] secret = File.ReadAllBytes(r.PasswordFile);
                    password = Encoding.UTF8.GetString(secret, 0, secret.Length).Trim();
                }
                client = new MqttClient(r.Host, r.Port, r.Tls, ca, null, r.Tls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
                client.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
                client.ConnectionOpened += OnOpened;
                client.MqttMsgPublishReceived += OnMessage;
                client.MqttMsgPublished += OnPublished;
                client.MqttMsgSubscribed += OnSubscribed;
                client.ConnectionClosed += OnClosed;
                // The session is current before Connect: M2Mqtt may close the connection (and raise ConnectionClosed)
                // before Connect returns or before the SUBACK; that must end this attempt, not be ignored.
                s = new Session();
                s.Client = client;
                s.Generation = generation;
                lock (_lock) { _session = s; }
                string will = Encoding.UTF8.GetString(r.WillPayload, 0, r.WillPayload.Length);
                MqttReasonCode code = client.Connect(r.ClientId, r.Username, password, true, MqttQoSLevel.AtLeastOnce, true,
                    r.WillTopic, will, r.CleanSession, (ushort)r.KeepAliveSeconds);
                if (code != MqttReasonCode.Success)
                {
                    Abandon(s);
                    Fail(generation, "broker " + r.Host + ":" + r.Port.ToString() + " refused the connection: " + ReasonName(code));
                    return;
                }
                lock (_lock)
                {
                    // Under the lock: the SUBACK's event waits until the id is recorded.
                    s.SubscribeId = client.Subscribe(new string[] { r.CommandTopic }, new MqttQoSLevel[] { MqttQoSLevel.AtLeastOnce });
                }
                s.Subscribed.WaitOne(SubscribeTimeoutMs, false);
                string problem;
                lock (_lock)
                {
                    if (s.Ended) return; // the hub moved on (not reached today: only this thread ends a session not yet reported)
                    if (s.Closed) problem = "the broker closed the connection while subscribing to " + r.CommandTopic;
                    else if (s.Granted < 0) problem = "the broker did not acknowledge the subscription to " + r.CommandTopic + " within " + (SubscribeTimeoutMs / 1000).ToString() + " s";
                    else if (s.Granted == GrantedFailure) problem = "the broker refused the subscription to " + r.CommandTopic + " (not authorized?)";
                    else
                    {
                        s.Reported = true;
                        Link.Connected(generation);
                        return;
                    }
                }
                Abandon(s);
                Fail(generation, "connect to " + r.Host + ":" + r.Port.ToString() + " failed: " + problem);
            }
            catch (Exception e)
            {
                int connack = -1;
                if (s != null)
                {
                    lock (_lock) { connack = s.Connack; }
                    Abandon(s);
                }
                else if (client != null)
                {
                    DisposeQuietly(client);
                }
                // A broker that refuses and closes at once can make Connect throw instead of returning the code.
                if (connack > 0) Fail(generation, "broker " + r.Host + ":" + r.Port.ToString() + " refused the connection: " + ReasonName((MqttReasonCode)connack));
                else Fail(generation, "connect to " + r.Host + ":" + r.Port.ToString() + " failed: " + Describe(e));
            }
        }

        /// <summary>Ends a session that was never reported up, and disposes its client.</summary>
        private void Abandon(Session s)
        {
            lock (_lock)
            {
                s.Ended = true;
                if (_session == s) _session = null;
            }
            DisposeQuietly(s.Client);
        }

        private void Fail(int generation, string reason)
        {
            Link.ConnectFailed(generation, reason);
        }

        /// <summary>Ends the current session and reports it lost; under _lock. A client still running is disposed by the worker.</summary>
        private void EndLocked(Session s, string reason, bool dispose)
        {
            s.Ended = true;
            if (_session == s) _session = null;
            if (s.Reported) Link.Lost(s.Generation, reason);
            if (dispose)
            {
                _stale.Add(s.Client);
                _work.Set();
            }
        }

        private void OnOpened(object sender, ConnectionOpenedEventArgs e)
        {
            lock (_lock)
            {
                Session s = _session;
                if (s != null && s.Client == sender) s.Connack = (int)e.Message.ReturnCode;
            }
        }

        private void OnMessage(object sender, MqttMsgPublishEventArgs e)
        {
            // Whatever client it came on: M2Mqtt has already acknowledged it to the broker.
            Link.Message(e.Topic, e.Message, e.Retain);
        }

        private void OnSubscribed(object sender, MqttMsgSubscribedEventArgs e)
        {
            lock (_lock)
            {
                Session s = _session;
                if (s == null || s.Client != sender || s.SubscribeId != e.MessageId) return;
                MqttQoSLevel[] granted = e.GrantedQoSLevels;
                s.Granted = granted != null && granted.Length > 0 ? (int)granted[0] : GrantedFailure;
                s.Subscribed.Set();
            }
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            lock (_lock)
            {
                Session s = _session;
                // An event of a client the hub has moved past (an older generation) is not reported.
                if (s == null || s.Client != sender || s.Ended) return;
                for (int i = 0; i < Slots; i++)
                {
                    if (s.Tokens[i] == 0 || s.MessageIds[i] != e.MessageId) continue;
                    int token = s.Tokens[i];
                    s.Tokens[i] = 0;
                    if (e.IsPublished)
                    {
                        Link.PublishAcked(s.Generation, token);
                    }
                    else
                    {
                        // M2Mqtt dropped the message after its retries and will not send it again; the link carries nothing.
                        EndLocked(s, "no PUBACK from the broker after " + s.Client.Settings.AttemptsOnRetry.ToString() + " tries of a publish", true);
                    }
                    return;
                }
            }
        }

        private void OnClosed(object sender, EventArgs e)
        {
            lock (_lock)
            {
                Session s = _session;
                // A client closed on purpose, or replaced, was ended first: the hub has moved past its generation.
                if (s == null || s.Client != sender || s.Ended) return;
                if (s.Reported)
                {
                    EndLocked(s, "connection to the broker closed", false);
                }
                else
                {
                    // Still connecting (Connect returning, or waiting for the SUBACK): Open reports it failed.
                    s.Closed = true;
                    s.Subscribed.Set();
                }
            }
        }

        private void CloseClient(bool polite)
        {
            Session s;
            lock (_lock)
            {
                s = _session;
                _session = null;
                if (s != null) s.Ended = true;
            }
            if (s == null) return;
            try
            {
                if (polite && s.Client.IsConnected) s.Client.Disconnect();
            }
            catch (Exception)
            {
            }
            DisposeQuietly(s.Client);
        }

        /// <summary>An exception and its inner exceptions (M2Mqtt wraps the socket's or TLS's in MqttConnectionException).</summary>
        private static string Describe(Exception e)
        {
            string text = "";
            for (Exception x = e; x != null; x = x.InnerException)
            {
                string m = x.Message;
                if (m == null || m.Length == 0) continue;
                text = text.Length == 0 ? m : text + ": " + m;
            }
            return text.Length == 0 ? "no answer from the broker" : text;
        }

        private static void DisposeQuietly(MqttClient c)
        {
            try { c.Dispose(); } catch (Exception) { }
        }

        /// <summary>
        /// mbedTLS parses a certificate buffer as PEM only when it ends in a NUL byte (mbedTLS x509_crt.c,
        /// mbedtls_x509_crt_parse), and X509Certificate(byte[]) passes the bytes as they are (System.Net
        /// X509Certificate.cs). pat provision writes ca.pem with the NUL; a CA copied by hand has none, so add it.
        /// DER (binary) is passed unchanged.
        /// </summary>
        private static byte[] CaBytes(byte[] file)
        {
            bool pem = file.Length > 10 && file[0] == (byte)'-' && file[1] == (byte)'-';
            if (!pem || file[file.Length - 1] == 0) return file;
            byte[] terminated = new byte[file.Length + 1];
            Array.Copy(file, terminated, file.Length);
            return terminated;
        }

        private static string ReasonName(MqttReasonCode code)
        {
            switch (code)
            {
                case MqttReasonCode.ConnectionRefusedBadUserNameOrPassword:
                case MqttReasonCode.BadUserNameOrPassword: return "bad user name or password";
                case MqttReasonCode.ConnectionRefusedNotAuthorized:
                case MqttReasonCode.NotAuthorized: return "not authorized";
                case MqttReasonCode.ConnectionRefusedIdentifierRejected: return "client id rejected";
                case MqttReasonCode.ConnectionRefusedServerUnavailable:
                case MqttReasonCode.ServerUnavailable: return "server unavailable";
                default: return "reason code " + ((int)code).ToString();
            }
        }
    }
}
