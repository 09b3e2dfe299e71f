using System;
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
    /// tagged with the attempt's generation: Connected, ConnectFailed(reason), Lost(reason),
    /// PublishAcked(token) and Message(topic, payload, retained).
    /// TLS trusts only the CA file on the device's storage and waits for SNTP (certificate dates).
    /// The password is read from its file at connect time and never logged.
    /// </summary>
    public sealed class M2MqttTransport : IMessageTransport
    {
        private const int Slots = 64;
        private readonly DeviceClock _clock;
        private readonly WifiLink _wifi;
        private readonly object _lock = new object();
        private readonly AutoResetEvent _work = new AutoResetEvent(false);
        private readonly ushort[] _messageIds = new ushort[Slots];
        private readonly int[] _tokens = new int[Slots];
        private readonly int[] _slotGenerations = new int[Slots];
        private int _nextSlot;
        private ConnectRequest _pending;
        private bool _disconnect;
        private MqttClient _client;
        private int _clientGeneration;
        private int _attemptGeneration;
        private Thread _thread;

        public M2MqttTransport(DeviceClock clock, WifiLink wifi)
        {
            _clock = clock;
            _wifi = wifi;
        }

        /// <summary>Set before the hub starts.</summary>
        public LinkEvents Link { get; set; }

        /// <summary>Uptime of the worker's last sign of life, for the watchdog.</summary>
        public long LastBeatMs { get; private set; }

        public bool IsConnected { get { MqttClient c = _client; return c != null && c.IsConnected; } }

        public void Start()
        {
            LastBeatMs = _clock.UptimeMs;
            _thread = new Thread(Work);
            _thread.Start();
        }

        public void Connect(ConnectRequest request)
        {
            lock (_lock) { _pending = request; _disconnect = false; }
            _work.Set();
        }

        public void Disconnect()
        {
            lock (_lock) { _pending = null; _disconnect = true; }
            _work.Set();
        }

        public bool Publish(string topic, byte[] payload, int length, bool retain, int token)
        {
            MqttClient client = _client;
            if (client == null || !client.IsConnected) return false;
            byte[] copy = new byte[length];
            Array.Copy(payload, copy, length);
            try
            {
                lock (_lock)
                {
                    ushort id = client.Publish(topic, copy, null, null, MqttQoSLevel.AtLeastOnce, retain);
                    _messageIds[_nextSlot] = id;
                    _tokens[_nextSlot] = token;
                    _slotGenerations[_nextSlot] = _clientGeneration;
                    _nextSlot = (_nextSlot + 1) % Slots;
                }
                return true;
            }
            catch (Exception)
            {
                return false; // inflight queue full or connection gone: the core retries
            }
        }

        private void Work()
        {
            while (true)
            {
                _work.WaitOne(5000, false);
                LastBeatMs = _clock.UptimeMs;
                ConnectRequest request;
                bool disconnect;
                lock (_lock)
                {
                    request = _pending;
                    disconnect = _disconnect;
                    _pending = null;
                    _disconnect = false;
                }
                if (disconnect) CloseClient(true);
                if (request != null) Open(request);
                LastBeatMs = _clock.UptimeMs;
            }
        }

        private void Open(ConnectRequest r)
        {
            CloseClient(false);
            _attemptGeneration = r.Generation;
            if (!_wifi.Ensure())
            {
                Fail(_wifi.LastProblem);
                return;
            }
            if (r.Tls && !_clock.IsSynced)
            {
                Fail("clock not synced: TLS needs the date to check the broker's certificate (waiting for SNTP)");
                return;
            }
            MqttClient client = null;
            try
            {
                X509Certificate ca = null;
                if (r.Tls)
                {
                    if (r.CaFile == null || !File.Exists(r.CaFile))
                    {
                        Fail("TLS is on but the CA file " + (r.CaFile == null ? "(broker.caFile not set)" : r.CaFile) + " is missing; deploy it with nanoff --filedeployment");
                        return;
                    }
                    ca = new X509Certificate(File.ReadAllBytes(r.CaFile));
                }
                string password = null;
                if (r.PasswordFile != null)
                {
                    if (!File.Exists(r.PasswordFile))
                    {
                        Fail("password file " + r.PasswordFile + " is missing; deploy it with nanoff --filedeployment");
                        return;
                    }
                    byte[] secret = File.ReadAllBytes(r.PasswordFile);
                    password = Encoding.UTF8.GetString(secret, 0, secret.Length).Trim();
                }
                client = new MqttClient(r.Host, r.Port, r.Tls, ca, null, r.Tls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
                client.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
                client.MqttMsgPublishReceived += OnMessage;
                client.MqttMsgPublished += OnPublished;
                client.ConnectionClosed += OnClosed;
                string will = Encoding.UTF8.GetString(r.WillPayload, 0, r.WillPayload.Length);
                MqttReasonCode code = client.Connect(r.ClientId, r.Username, password, true, MqttQoSLevel.AtLeastOnce, true,
                    r.WillTopic, will, r.CleanSession, (ushort)r.KeepAliveSeconds);
                if (code != MqttReasonCode.Success)
                {
                    client.Dispose();
                    Fail("broker " + r.Host + ":" + r.Port.ToString() + " refused the connection: " + ReasonName(code));
                    return;
                }
                client.Subscribe(new string[] { r.CommandTopic }, new MqttQoSLevel[] { MqttQoSLevel.AtLeastOnce });
                _clientGeneration = r.Generation;
                _client = client;
                Link.Connected(r.Generation);
            }
            catch (Exception e)
            {
                if (client != null) DisposeQuietly(client);
                Fail("connect to " + r.Host + ":" + r.Port.ToString() + " failed: " + e.Message);
            }
        }

        private void Fail(string reason)
        {
            Link.ConnectFailed(_attemptGeneration, reason);
        }

        private void OnMessage(object sender, MqttMsgPublishEventArgs e)
        {
            Link.Message(e.Topic, e.Message, e.Retain);
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            if (!e.IsPublished) return;
            int token = 0;
            int generation = 0;
            lock (_lock)
            {
                for (int i = 0; i < Slots; i++)
                {
                    if (_messageIds[i] == e.MessageId && _tokens[i] != 0 && _slotGenerations[i] == _clientGeneration)
                    {
                        token = _tokens[i];
                        generation = _slotGenerations[i];
                        _tokens[i] = 0;
                        break;
                    }
                }
            }
            if (token != 0) Link.PublishAcked(generation, token);
        }

        private void OnClosed(object sender, EventArgs e)
        {
            // A client closed on purpose was taken out of _client first; the hub has moved past its generation.
            if (sender != _client) return;
            _client = null;
            Link.Lost(_clientGeneration, "connection to the broker closed");
        }

        private void CloseClient(bool polite)
        {
            MqttClient c = _client;
            _client = null;
            if (c == null) return;
            try
            {
                if (polite && c.IsConnected) c.Disconnect();
            }
            catch (Exception)
            {
            }
            DisposeQuietly(c);
        }

        private static void DisposeQuietly(MqttClient c)
        {
            try { c.Dispose(); } catch (Exception) { }
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
