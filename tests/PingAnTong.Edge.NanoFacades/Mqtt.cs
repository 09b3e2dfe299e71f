// Model of nanoFramework.M2Mqtt 5.1.220 (assemblies nanoFramework.M2Mqtt and nanoFramework.M2Mqtt.Core): the MqttClient the
// device transport uses, with the real client's threads, queues, retries, timeouts, events and exceptions, ported from
// https://github.com/nanoframework/nanoFramework.m2mqtt at tag v5.1.220 (commit 820878720740409782046cb85329884d59ba9974).
// Each member names the file it models ("MqttClient.cs" is M2Mqtt/MqttClient.cs). The network under it is opened by the host
// through MqttClient.ChannelFactory (internal, not part of the package): tests/PingAnTong.Edge.DeviceMqtt.Tests gives it a real
// TCP socket, with TLS trusting only the CA the app passes, as M2Mqtt/Net/MqttNetworkChannel.cs does on the device.
// MQTT 3.1.1 with QoS 0 and 1 (what the device uses). Not modelled: MQTT 3.1 and 5.0 (properties, AUTH, DISCONNECT from the
// broker), QoS 2, Unsubscribe, the client-side session a reconnect of the SAME MqttClient restores (Session/MqttClientSession.cs;
// the device makes a new MqttClient per connect), the device's stored client certificate.
// Public signatures: tests/api-listings/nanoFramework.M2Mqtt.txt (checked by FacadeListingTests); only the members the device
// uses. This file compiles against the nanoFramework mscorlib (the facade assembly) and against .NET (the DeviceMqtt tests
// link it), so it uses only what both have: no generics, no Environment.TickCount64, no System.Net.
using System;
using System.Collections;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using nanoFramework.M2Mqtt.Exceptions;
using nanoFramework.M2Mqtt.Messages;
using PingAnTong.Edge.NanoFacades;

namespace nanoFramework.M2Mqtt.Messages
{
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public enum MqttQoSLevel { AtMostOnce = 0x00, AtLeastOnce = 0x01, ExactlyOnce = 0x02, GrantedFailure = 0x80 }

    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public enum MqttReasonCode
    {
        Success = 0x00,
        ConnectionRefusedUnacceptableProtocolVersion = 0x01,
        ConnectionRefusedIdentifierRejected = 0x02,
        ConnectionRefusedServerUnavailable = 0x03,
        ConnectionRefusedBadUserNameOrPassword = 0x04,
        ConnectionRefusedNotAuthorized = 0x05,
        BadUserNameOrPassword = 0x86,
        NotAuthorized = 0x87,
        ServerUnavailable = 0x88,
    }

    /// <summary>M2Mqtt/Messages/MqttMsgBase.cs (the packet classes of the model are private; only CONNACK is public, for ConnectionOpened).</summary>
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public abstract class MqttMsgBase
    {
        protected MqttMsgBase()
        {
        }
    }

    /// <summary>M2Mqtt/Messages/MqttMsgConnack.cs: the broker's answer to CONNECT.</summary>
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public class MqttMsgConnack : MqttMsgBase
    {
        public MqttMsgConnack()
        {
        }

        public MqttReasonCode ReturnCode { get; set; }
        public bool SessionPresent { get; set; }
    }

    /// <summary>M2Mqtt/Messages/ConnectionOpenedEventArgs.cs.</summary>
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public class ConnectionOpenedEventArgs : EventArgs
    {
        public ConnectionOpenedEventArgs(MqttMsgConnack connact)
        {
            Message = connact;
        }

        public MqttMsgConnack Message { get; private set; }
    }

    /// <summary>nanoFramework.M2Mqtt.Core/Messages/MqttMsgPublishEventArgs.cs.</summary>
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public class MqttMsgPublishEventArgs : EventArgs
    {
        public MqttMsgPublishEventArgs(string topic, byte[] message, bool dupFlag, MqttQoSLevel qosLevel, bool retain)
        {
            Topic = topic;
            Message = message;
            DupFlag = dupFlag;
            QosLevel = qosLevel;
            Retain = retain;
        }

        public string Topic { get; private set; }
        public byte[] Message { get; private set; }
        public bool DupFlag { get; private set; }
        public MqttQoSLevel QosLevel { get; private set; }
        public bool Retain { get; private set; }
    }

    /// <summary>nanoFramework.M2Mqtt.Core/Messages/MqttMsgPublishedEventArgs.cs.</summary>
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public class MqttMsgPublishedEventArgs : EventArgs
    {
        public MqttMsgPublishedEventArgs(ushort messageId) : this(messageId, true)
        {
        }

        public MqttMsgPublishedEventArgs(ushort messageId, bool isPublished)
        {
            MessageId = messageId;
            IsPublished = isPublished;
        }

        public ushort MessageId { get; set; }
        public bool IsPublished { get; set; }
    }

    /// <summary>nanoFramework.M2Mqtt.Core/Messages/MqttMsgSubscribedEventArgs.cs.</summary>
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public class MqttMsgSubscribedEventArgs : EventArgs
    {
        public MqttMsgSubscribedEventArgs(ushort messageId, MqttQoSLevel[] grantedQosLevels)
        {
            MessageId = messageId;
            GrantedQoSLevels = grantedQosLevels;
        }

        public ushort MessageId { get; private set; }
        public MqttQoSLevel[] GrantedQoSLevels { get; private set; }
    }
}

namespace nanoFramework.M2Mqtt.Exceptions
{
    /// <summary>M2Mqtt/Exceptions/MqttClientException.cs.</summary>
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public enum MqttClientErrorCode
    {
        WillWrong = 1,
        KeepAliveWrong,
        TopicWildcard,
        TopicLength,
        QosNotAllowed,
        TopicsEmpty,
        QosLevelsEmpty,
        TopicsQosLevelsNotMatch,
        WrongBrokerMessage,
        WrongMessageId,
        InflightQueueFull,
        InvalidFlagBits,
        InvalidConnectFlags,
        InvalidClientId,
        InvalidProtocolName,
    }

    /// <summary>M2Mqtt/Exceptions/MqttClientException.cs.</summary>
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public class MqttClientException : Exception
    {
        public MqttClientException(MqttClientErrorCode errorCode)
        {
            ErrorCode = errorCode;
        }

        public MqttClientErrorCode ErrorCode { get; set; }
    }

    /// <summary>M2Mqtt/Exceptions/MqttCommunicationException.cs: a send failed, or no answer came in time.</summary>
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public class MqttCommunicationException : Exception
    {
        public MqttCommunicationException()
        {
        }

        public MqttCommunicationException(Exception e) : base(string.Empty, e)
        {
        }
    }

    /// <summary>M2Mqtt/Exceptions/MqttConnectionException.cs: Connect could not open the socket (or TLS).</summary>
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public class MqttConnectionException : Exception
    {
        public MqttConnectionException(string message, Exception innerException) : base(message, innerException)
        {
        }
    }
}

namespace nanoFramework.M2Mqtt
{
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public enum MqttSslProtocols { None, SSLv3, TLSv1_0, TLSv1_1, TLSv1_2, TLSv1_3 }

    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public enum MqttProtocolVersion { Version_3_1 = 0x03, Version_3_1_1 = 0x04, Version_5 = 0x05 }

    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public interface IMqttClient
    {
        public delegate void MqttMsgPublishEventHandler(object sender, MqttMsgPublishEventArgs e);
        public delegate void MqttMsgPublishedEventHandler(object sender, MqttMsgPublishedEventArgs e);
        public delegate void MqttMsgSubscribedEventHandler(object sender, MqttMsgSubscribedEventArgs e);
        public delegate void ConnectionClosedEventHandler(object sender, EventArgs e);
    }

    /// <summary>
    /// M2Mqtt/IMqttNetworkChannel.cs: the byte stream under the client. On the device M2Mqtt/Net/MqttNetworkChannel.cs
    /// (Socket, SslStream); here whatever <see cref="MqttClient.ChannelFactory"/> opens. Receive fills the whole buffer and
    /// returns its length, or returns 0 when the peer closed the connection; socket errors throw.
    /// </summary>
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public interface IMqttNetworkChannel
    {
        bool ValidateServerCertificate { get; set; }
        void Connect();
        int Send(byte[] buffer);
        int Receive(byte[] buffer);
        void Close();
    }

    /// <summary>M2Mqtt/MqttSettings.cs: one instance shared by every client (a singleton), with the real defaults.</summary>
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public class MqttSettings
    {
        public const int BrokerDefaultPort = 1883;
        public const int BrokerDefaultSslPort = 8883;
        public const int DefaultTimeout = 30000;
        public const int MaximumAttemptsRetry = 3;
        public const int DefaultDelayRetry = 1000;
        public const int ConnectTimeout = 30000;
        public const int DefaultInflightQueueSize = int.MaxValue;

        private static MqttSettings instance;

        private MqttSettings()
        {
            Port = BrokerDefaultPort;
            SslPort = BrokerDefaultSslPort;
            TimeoutOnReceiving = DefaultTimeout;
            AttemptsOnRetry = MaximumAttemptsRetry;
            DelayOnRetry = DefaultDelayRetry;
            TimeoutOnConnection = ConnectTimeout;
            InflightQueueSize = DefaultInflightQueueSize;
            ValidateServerCertificate = true;
        }

        public static MqttSettings Instance
        {
            get
            {
                if (instance == null) instance = new MqttSettings();
                return instance;
            }
        }

        public int Port { get; internal set; }
        public int SslPort { get; internal set; }
        public int TimeoutOnConnection { get; internal set; }
        public int TimeoutOnReceiving { get; internal set; }
        public int AttemptsOnRetry { get; internal set; }
        public int DelayOnRetry { get; internal set; }
        public int InflightQueueSize { get; set; }
        public bool ValidateServerCertificate { get; set; }
    }

    /// <summary>
    /// M2Mqtt/MqttClient.cs. Connect is synchronous and returns the CONNACK code; a socket or TLS failure throws
    /// MqttConnectionException, no CONNACK within 30 s (or the socket closing first) MqttCommunicationException. A broker that
    /// refuses and closes at once can make Connect throw MqttCommunicationException instead of returning the code (the
    /// receive thread may read the close before Connect reads the CONNACK: a race of the real client, kept); ConnectionOpened,
    /// raised on the receive thread before Connect wakes, carries the code either way. Publish and
    /// Subscribe only queue the message and return its id; the inflight thread sends it and retries (DUP) every 1 s, 3 tries
    /// in all; MqttMsgPublished(id, true) follows the PUBACK, MqttMsgPublished(id, false) the last unanswered try; nothing
    /// follows a publish queued on a closed client. A missing SUBACK raises nothing. Every event is raised on the dispatch
    /// thread, one per Connect. The keepalive thread sends PINGREQ when nothing was SENT for the keepalive period and waits
    /// as long again for PINGRESP. The connection closes on: the socket ending (0 bytes) or failing, a PINGRESP that does not
    /// come, a send that fails, an exception in an event handler, Disconnect, Dispose; the dispatch thread then runs Close and
    /// raises ConnectionClosed. After Dispose that is a race (in the real client too): ConnectionClosed comes only if the
    /// dispatch thread wakes before Dispose's Close stops it. IsConnected turns false at once.
    /// </summary>
    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public class MqttClient : IMqttClient, IDisposable
    {
        // ---- Model hooks (internal: not part of the package) ----

        /// <summary>Opens the network channel, as the real constructor does with new MqttNetworkChannel(...) (which resolves the host name at once).</summary>
        internal delegate IMqttNetworkChannel NetworkChannelFactory(string brokerHostName, int brokerPort, bool secure, X509Certificate caCert, X509Certificate clientCert, MqttSslProtocols sslProtocol);

        /// <summary>Makes the client's threads (a host can make them background threads).</summary>
        internal delegate Thread WorkerFactory(ThreadStart start);

        /// <summary>Set by the host that runs the model; unset, the constructor throws.</summary>
        internal static NetworkChannelFactory ChannelFactory = null;

        internal static WorkerFactory NewThread = PlainThread;

        /// <summary>What a channel throws for a socket error: stands for System.Net.Sockets.SocketException (nanoFramework.System.Net), whose ErrorCode is a SocketError value.</summary>
        internal sealed class NetworkSocketException : Exception
        {
            internal NetworkSocketException(int errorCode, string message) : base(message)
            {
                ErrorCode = errorCode;
            }

            internal int ErrorCode { get; private set; }
        }

        private static Thread PlainThread(ThreadStart start)
        {
            return new Thread(start);
        }

        /// <summary>Milliseconds for timeouts (the real client uses Environment.TickCount64, not in this mscorlib).</summary>
        private static long NowMs()
        {
            return DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond;
        }

        // ---- MQTT packet types and masks: M2Mqtt/Messages/MqttMsgBase.cs, MqttMessageType.cs ----
        private const byte Connect_ = 1, ConnAck = 2, PublishType = 3, PubAck = 4, PubRec = 5, PubRel = 6, PubComp = 7, SubscribeType = 8,
            SubAck = 9, UnsubscribeType = 10, UnsubAck = 11, PingReq = 12, PingResp = 13, DisconnectType = 14;

        // ---- Inflight states and flows: M2Mqtt/Messages/MqttMsgContext.cs ----
        private const int QueuedQos0 = 0, QueuedQos1 = 1, SendSubscribe = 2, WaitForPuback = 3, WaitForSuback = 4;
        private const int ToPublish = 0, ToAcknowledge = 1;

        /// <summary>One MQTT packet (the fields of M2Mqtt/Messages/MqttMsg*.cs the model needs).</summary>
        private sealed class Msg
        {
            public byte Type;
            public ushort MessageId;
            public MqttQoSLevel QosLevel;
            public bool Retain;
            public bool DupFlag;
            public string Topic;
            public byte[] Message;
            public string[] Topics;
            public MqttQoSLevel[] QosLevels;
            public MqttReasonCode ReturnCode;
            public bool SessionPresent;
            public string ClientId, Username, Password, WillTopic, WillMessage;
            public bool WillRetain, WillFlag, CleanSession;
            public byte WillQos;
            public ushort KeepAlive;
        }

        /// <summary>M2Mqtt/Messages/MqttMsgContext.cs.</summary>
        private sealed class MsgContext
        {
            public Msg Message;
            public int State;
            public int Flow;
            public int Attempt;
            public long Timestamp;
        }

        /// <summary>M2Mqtt/Internal/MsgInternalEvent.cs; Published: M2Mqtt/Internal/MsgPublishedInternalEvent.cs.</summary>
        private sealed class InternalEvent
        {
            public Msg Message;
            public bool Published;
        }

        private string _brokerHostName;
        private int _brokerPort;
        private bool _isRunning;
        private Thread _processInflightThread;
        private Thread _receiveThread;
        private Thread _keepAliveThread;
        private AutoResetEvent _receiveEventWaitHandle;
        private AutoResetEvent _inflightWaitHandle;
        private AutoResetEvent _syncEndReceiving;
        private Msg _msgReceived;
        private Exception _exReceiving;
        private int _keepAlivePeriod;
        private AutoResetEvent _keepAliveEvent;
        private AutoResetEvent _keepAliveEventEnd;
        private long _lastCommTime;
        private IMqttNetworkChannel _channel;
        private readonly object _channelSendLock = new object();
        // The real client uses nanoFramework.System.Collections' Queue; ArrayList (add at the end, take at 0) is the same here.
        private ArrayList _inflightQueue;
        private ArrayList _internalQueue;
        private ArrayList _eventQueue;
        private ArrayList _waitingForAnswer;
        private MqttSettings _settings;
        private ushort _messageIdCounter;
        private bool _isConnectionClosing;
        private bool _isAlreadyClosing;

        /// <summary>MqttClient.cs constructor and Init: sets 3.1.1, takes MqttSettings.Instance, makes the queues and the channel.</summary>
        public MqttClient(string brokerHostName, int brokerPort, bool secure, X509Certificate caCert, X509Certificate clientCert, MqttSslProtocols sslProtocol)
        {
            ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
            _brokerHostName = brokerHostName;
            _brokerPort = brokerPort;
            _settings = MqttSettings.Instance;
            if (!secure) _settings.Port = _brokerPort;
            else _settings.SslPort = _brokerPort;
            _syncEndReceiving = new AutoResetEvent(false);
            _keepAliveEvent = new AutoResetEvent(false);
            _inflightWaitHandle = new AutoResetEvent(false);
            _inflightQueue = new ArrayList();
            _receiveEventWaitHandle = new AutoResetEvent(false);
            _eventQueue = new ArrayList();
            _internalQueue = new ArrayList();
            _waitingForAnswer = new ArrayList();
            NetworkChannelFactory factory = ChannelFactory;
            if (factory == null) throw new NotSupportedException("M2Mqtt model: no network; the host sets MqttClient.ChannelFactory");
            _channel = factory(_brokerHostName, _brokerPort, secure, caCert, clientCert, sslProtocol);
        }

        /// <summary>Raised for every CONNACK (refusals too) on the receive thread, before Connect wakes up (MqttClient.OnMqttMsgConnack).</summary>
        public delegate void ConnectionOpenedEventHandler(object sender, ConnectionOpenedEventArgs e);

        public event ConnectionOpenedEventHandler ConnectionOpened;
        public event IMqttClient.MqttMsgPublishEventHandler MqttMsgPublishReceived;
        public event IMqttClient.MqttMsgPublishedEventHandler MqttMsgPublished;
        public event IMqttClient.MqttMsgSubscribedEventHandler MqttMsgSubscribed;
        public event IMqttClient.ConnectionClosedEventHandler ConnectionClosed;

        public bool IsConnected { get; private set; }

        /// <summary>Only 3.1.1 is modelled.</summary>
        public MqttProtocolVersion ProtocolVersion { get; set; }

        public MqttSettings Settings { get { return _settings; } }

        /// <summary>
        /// MqttClient.Connect (10 arguments): connects the channel (any failure: MqttConnectionException), stops the workers
        /// of an earlier connection of this client, starts the receive thread, sends CONNECT and waits 30 s for CONNACK
        /// (MqttCommunicationException when none comes or the socket ends). On Success starts keepalive, dispatch and inflight
        /// threads and sets IsConnected. Returns the CONNACK code; on a refusal the receive thread keeps running until Close.
        /// </summary>
        public MqttReasonCode Connect(string clientId, string username, string password, bool willRetain, MqttQoSLevel willQosLevel, bool willFlag,
            string willTopic, string willMessage, bool cleanSession, ushort keepAlivePeriod)
        {
            if (ProtocolVersion != MqttProtocolVersion.Version_3_1_1) throw new NotSupportedException("M2Mqtt model: only MQTT 3.1.1 is modelled");
            Msg connect = new Msg();
            connect.Type = Connect_;
            connect.ClientId = clientId;
            connect.Username = username;
            connect.Password = password;
            connect.WillRetain = willRetain;
            connect.WillQos = (byte)willQosLevel;
            connect.WillFlag = willFlag;
            connect.WillTopic = willTopic;
            connect.WillMessage = willMessage;
            connect.CleanSession = cleanSession;
            connect.KeepAlive = keepAlivePeriod;

            try
            {
                _channel.ValidateServerCertificate = _settings.ValidateServerCertificate;
                _channel.Connect();
            }
            catch (NetworkSocketException ex)
            {
                throw new MqttConnectionException("Socket exception connecting to the broker: " + ex.ErrorCode.ToString(), ex);
            }
            catch (Exception ex)
            {
                throw new MqttConnectionException("Exception connecting to the broker", ex);
            }

            _lastCommTime = 0;
            if ((_processInflightThread != null && _processInflightThread.IsAlive) ||
                (_receiveThread != null && _receiveThread.IsAlive) ||
                (_keepAliveThread != null && _keepAliveThread.IsAlive))
            {
                _isRunning = false;
                _inflightWaitHandle.Set();
                _receiveEventWaitHandle.Set();
                _keepAliveEvent.Set();
                JoinWorker(_processInflightThread);
                JoinWorker(_keepAliveThread);
                JoinWorker(_receiveThread);
            }

            _isRunning = true;
            _isConnectionClosing = false;
            _receiveThread = NewThread(ReceiveThread);
            _receiveThread.Start();

            Msg connack = SendReceive(connect, MqttSettings.DefaultTimeout);
            if (connack.ReturnCode == MqttReasonCode.Success)
            {
                _keepAlivePeriod = keepAlivePeriod * 1000;
                if (_keepAlivePeriod != 0)
                {
                    _keepAliveThread = NewThread(KeepAliveThread);
                    _keepAliveThread.Start();
                }

                NewThread(DispatchEventThread).Start();
                _processInflightThread = NewThread(ProcessInflightThread);
                _processInflightThread.Start();
                IsConnected = true;
            }

            return connack.ReturnCode;
        }

        /// <summary>MqttClient.Disconnect: sends DISCONNECT (MqttCommunicationException when the socket is gone) and closes as a lost connection does.</summary>
        public void Disconnect()
        {
            Msg disconnect = new Msg();
            disconnect.Type = DisconnectType;
            Send(disconnect);
            OnConnectionClosing();
        }

        /// <summary>MqttClient.Close: stops the threads (with the real 200 ms pause and 1 s joins), clears the queues, closes the channel. Raises nothing itself.</summary>
        public void Close()
        {
            try
            {
                if (_isAlreadyClosing) return;
                _isAlreadyClosing = true;
                _isRunning = false;
                if (_receiveEventWaitHandle != null) _receiveEventWaitHandle.Set();
                Thread.Sleep(200); // as the real Close: "giving time before cleaning the rest"
                if (_inflightWaitHandle != null) _inflightWaitHandle.Set();
                if (_processInflightThread != null && _processInflightThread.IsAlive) _processInflightThread.Join(1000);
                if (_keepAliveEvent != null) _keepAliveEvent.Set();
                if (_keepAliveEventEnd != null) _keepAliveEventEnd.WaitOne(1000, true);
                if (_inflightQueue != null) lock (_inflightQueue) _inflightQueue.Clear();
                if (_internalQueue != null) lock (_internalQueue) _internalQueue.Clear();
                if (_waitingForAnswer != null) lock (_waitingForAnswer) _waitingForAnswer.Clear();
                if (_eventQueue != null) lock (_eventQueue) _eventQueue.Clear();
                if (_channel != null) _channel.Close();
                IsConnected = false;
                _isAlreadyClosing = false;
            }
            catch (Exception)
            {
                // as the real Close: best effort
            }
        }

        /// <summary>MqttClient.Dispose: flags the connection closing (waking the dispatch thread), then Close.</summary>
        public void Dispose()
        {
            OnConnectionClosing();
            Close();
        }

        /// <summary>MqttClient.Subscribe: queues SUBSCRIBE and returns its id; SUBACK raises MqttMsgSubscribed on the dispatch thread.</summary>
        public ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels)
        {
            Msg subscribe = new Msg();
            subscribe.Type = SubscribeType;
            subscribe.Topics = topics;
            subscribe.QosLevels = qosLevels;
            subscribe.QosLevel = MqttQoSLevel.AtLeastOnce;
            subscribe.MessageId = GetMessageId();
            EnqueueInflight(subscribe, ToPublish);
            return subscribe.MessageId;
        }

        /// <summary>
        /// MqttClient.Publish (6 arguments) and ComposeMqttMsgPublish: queues the message and returns its id whether or not the
        /// client is connected; MqttClientException(InflightQueueFull) only when Settings.InflightQueueSize is reached
        /// (int.MaxValue by default). Topic checks happen when it is sent (MqttMsgPublish.GetBytes).
        /// </summary>
        public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain)
        {
            if (qosLevel == MqttQoSLevel.ExactlyOnce) throw new NotSupportedException("M2Mqtt model: QoS 2 is not modelled");
            Msg publish = new Msg();
            publish.Type = PublishType;
            publish.Topic = topic;
            publish.Message = message;
            publish.QosLevel = qosLevel;
            publish.Retain = retain;
            publish.MessageId = GetMessageId();
            if (!string.IsNullOrEmpty(contentType)) throw new NotSupportedException(); // v5 only
            if (userProperties != null && userProperties.Count > 0) throw new NotSupportedException(); // v5 only
            if (publish.QosLevel != MqttQoSLevel.AtMostOnce)
            {
                lock (_waitingForAnswer) _waitingForAnswer.Add(publish.MessageId);
            }

            if (EnqueueInflight(publish, ToPublish)) return publish.MessageId;
            throw new MqttClientException(MqttClientErrorCode.InflightQueueFull);
        }

        // ---- Events: MqttClient.cs OnInternalEvent, OnConnectionClosing and the On* wrappers ----

        private void OnInternalEvent(InternalEvent internalEvent)
        {
            lock (_eventQueue) _eventQueue.Add(internalEvent);
            _receiveEventWaitHandle.Set();
        }

        private void OnConnectionClosing()
        {
            if (!_isConnectionClosing)
            {
                _isConnectionClosing = true;
                IsConnected = false;
                _receiveEventWaitHandle.Set();
            }
        }

        private void OnConnectionClosed()
        {
            IMqttClient.ConnectionClosedEventHandler handler = ConnectionClosed;
            if (handler != null) handler(this, EventArgs.Empty);
        }

        // ---- Sending: MqttClient.cs Send and SendReceive ----

        private void Send(Msg msg)
        {
            Transmit(GetBytes(msg));
        }

        /// <summary>Writes one packet to the channel (one writer at a time) and notes the time for keepalive.</summary>
        private void Transmit(byte[] bytes)
        {
            try
            {
                if (_channel != null)
                {
                    lock (_channelSendLock) _channel.Send(bytes);
                }

                _lastCommTime = NowMs();
            }
            catch (Exception e)
            {
                throw new MqttCommunicationException(e);
            }
        }

        /// <summary>Sends and waits <paramref name="timeout"/> ms for the answer the receive thread signals (CONNACK or PINGRESP).</summary>
        private Msg SendReceive(Msg msg, int timeout)
        {
            byte[] bytes = GetBytes(msg);
            _syncEndReceiving.Reset();
            Transmit(bytes);

            if (_syncEndReceiving.WaitOne(timeout, false))
            {
                if (_exReceiving == null) return _msgReceived;
                throw _exReceiving;
            }

            throw new MqttCommunicationException();
        }

        /// <summary>MqttClient.Ping: PINGREQ, PINGRESP within the keepalive period, else the connection closes.</summary>
        private void Ping()
        {
            Msg pingreq = new Msg();
            pingreq.Type = PingReq;
            try
            {
                SendReceive(pingreq, _keepAlivePeriod);
            }
            catch (Exception)
            {
                OnConnectionClosing();
            }
        }

        // ---- Queues: MqttClient.cs EnqueueInflight and EnqueueInternal (the QoS 0/1 paths) ----

        private bool EnqueueInflight(Msg msg, int flow)
        {
            bool enqueue;
            int state = QueuedQos0;
            if (msg.QosLevel == MqttQoSLevel.AtLeastOnce) state = QueuedQos1;
            if (msg.Type == SubscribeType) state = SendSubscribe;
            MsgContext msgContext = new MsgContext();
            msgContext.Message = msg;
            msgContext.State = state;
            msgContext.Flow = flow;
            msgContext.Attempt = 0;
            msgContext.Timestamp = NowMs();
            lock (_inflightQueue) enqueue = _inflightQueue.Count < _settings.InflightQueueSize;
            if (enqueue)
            {
                lock (_inflightQueue) _inflightQueue.Add(msgContext);
            }

            _inflightWaitHandle.Set();
            return enqueue;
        }

        private void EnqueueInternal(Msg msg)
        {
            lock (_waitingForAnswer)
            {
                // the answer to a QoS 1 message we published has come: a pending retry will not resend it
                if (_waitingForAnswer.Contains(msg.MessageId)) _waitingForAnswer.Remove(msg.MessageId);
            }

            lock (_internalQueue) _internalQueue.Add(msg);
            _inflightWaitHandle.Set();
        }

        // ---- Threads ----

        /// <summary>MqttClient.ReceiveThread: reads packets; the socket ending or an IO/socket error (or a v3.1.1 protocol violation) closes the connection.</summary>
        private void ReceiveThread()
        {
            byte[] fixedHeaderFirstByte = new byte[1];
            while (_isRunning)
            {
                try
                {
                    int readBytes = _channel.Receive(fixedHeaderFirstByte);
                    if (readBytes > 0)
                    {
                        byte first = fixedHeaderFirstByte[0];
                        byte msgType = (byte)((first & 0xF0) >> 4);
                        switch (msgType)
                        {
                            case ConnAck:
                            {
                                CheckFlagBits(first, 0x00);
                                byte[] buffer = ReadRemaining();
                                Msg connack = new Msg();
                                connack.Type = ConnAck;
                                connack.SessionPresent = (buffer[0] & 0x01) != 0;
                                connack.ReturnCode = (MqttReasonCode)buffer[1];
                                _msgReceived = connack;
                                MqttMsgConnack connackMessage = new MqttMsgConnack();
                                connackMessage.ReturnCode = connack.ReturnCode;
                                connackMessage.SessionPresent = connack.SessionPresent;
                                ConnectionOpenedEventHandler opened = ConnectionOpened;
                                if (opened != null) opened(this, new ConnectionOpenedEventArgs(connackMessage));
                                _syncEndReceiving.Set();
                                break;
                            }
                            case PingResp:
                            {
                                CheckFlagBits(first, 0x00);
                                ReadRemaining();
                                Msg pingresp = new Msg();
                                pingresp.Type = PingResp;
                                _msgReceived = pingresp;
                                _syncEndReceiving.Set();
                                break;
                            }
                            case SubAck:
                            {
                                CheckFlagBits(first, 0x00);
                                byte[] buffer = ReadRemaining();
                                Msg suback = new Msg();
                                suback.Type = SubAck;
                                suback.MessageId = (ushort)((buffer[0] << 8) | buffer[1]);
                                suback.QosLevels = new MqttQoSLevel[buffer.Length - 2];
                                for (int i = 2; i < buffer.Length; i++) suback.QosLevels[i - 2] = (MqttQoSLevel)buffer[i];
                                EnqueueInternal(suback);
                                break;
                            }
                            case PublishType:
                            {
                                Msg publish = ParsePublish(first);
                                EnqueueInflight(publish, ToAcknowledge);
                                break;
                            }
                            case PubAck:
                            {
                                CheckFlagBits(first, 0x00);
                                byte[] buffer = ReadRemaining();
                                Msg puback = new Msg();
                                puback.Type = PubAck;
                                puback.MessageId = (ushort)((buffer[0] << 8) | buffer[1]);
                                EnqueueInternal(puback);
                                break;
                            }
                            case PubRec:
                            case PubRel:
                            case PubComp:
                            case UnsubAck:
                                // QoS 2 and Unsubscribe are not modelled (the device uses neither): read and drop.
                                ReadRemaining();
                                break;
                            default:
                                // CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ from a broker; DISCONNECT and AUTH are v5 only
                                throw new MqttClientException(MqttClientErrorCode.WrongBrokerMessage);
                        }

                        _exReceiving = null;
                    }
                    else
                    {
                        // zero bytes read: the peer closed the socket
                        _exReceiving = new MqttCommunicationException();
                        OnConnectionClosing();
                        _syncEndReceiving.Set();
                    }
                }
                catch (Exception e)
                {
                    _exReceiving = new MqttCommunicationException(e);
                    bool close = false;
                    MqttClientException clientException = e as MqttClientException;
                    if (clientException != null)
                    {
                        close = clientException.ErrorCode == MqttClientErrorCode.InvalidFlagBits ||
                                clientException.ErrorCode == MqttClientErrorCode.InvalidProtocolName ||
                                clientException.ErrorCode == MqttClientErrorCode.InvalidConnectFlags;
                    }
                    else if (e is IOException || e is NetworkSocketException || e.InnerException is NetworkSocketException)
                    {
                        close = true;
                    }

                    if (close)
                    {
                        OnConnectionClosing();
                        _syncEndReceiving.Set();
                    }
                }
            }
        }

        /// <summary>MqttClient.KeepAliveThread: PINGREQ once nothing was sent for the keepalive period.</summary>
        private void KeepAliveThread()
        {
            long wait = _keepAlivePeriod;
            _keepAliveEventEnd = new AutoResetEvent(false);
            try
            {
                while (_isRunning)
                {
                    _keepAliveEvent.WaitOne((int)wait, false);
                    if (_isRunning)
                    {
                        long delta = NowMs() - _lastCommTime;
                        if (delta >= _keepAlivePeriod)
                        {
                            Ping();
                            wait = _keepAlivePeriod;
                        }
                        else
                        {
                            wait = _keepAlivePeriod - delta;
                        }
                    }
                }
            }
            catch (Exception)
            {
                OnConnectionClosing();
            }
            finally
            {
                _keepAliveEventEnd.Set();
            }
        }

        /// <summary>MqttClient.DispatchEventThread: raises the events in order; once closing and drained, runs Close and raises ConnectionClosed, then ends.</summary>
        private void DispatchEventThread()
        {
            while (_isRunning)
            {
                try
                {
                    if (_eventQueue.Count == 0 && !_isConnectionClosing) _receiveEventWaitHandle.WaitOne();
                    if (_isRunning)
                    {
                        InternalEvent internalEvent = null;
                        lock (_eventQueue)
                        {
                            if (_eventQueue.Count > 0)
                            {
                                internalEvent = (InternalEvent)_eventQueue[0];
                                _eventQueue.RemoveAt(0);
                            }
                        }

                        if (internalEvent != null && internalEvent.Message != null)
                        {
                            Msg msg = internalEvent.Message;
                            switch (msg.Type)
                            {
                                case SubAck:
                                {
                                    IMqttClient.MqttMsgSubscribedEventHandler handler = MqttMsgSubscribed;
                                    if (handler != null) handler(this, new MqttMsgSubscribedEventArgs(msg.MessageId, msg.QosLevels));
                                    break;
                                }
                                case PublishType:
                                    if (internalEvent.Published)
                                    {
                                        // a PUBLISH in a published event: its retries ran out
                                        IMqttClient.MqttMsgPublishedEventHandler failed = MqttMsgPublished;
                                        if (failed != null) failed(this, new MqttMsgPublishedEventArgs(msg.MessageId, false));
                                    }
                                    else
                                    {
                                        IMqttClient.MqttMsgPublishEventHandler received = MqttMsgPublishReceived;
                                        if (received != null) received(this, new MqttMsgPublishEventArgs(msg.Topic, msg.Message, msg.DupFlag, msg.QosLevel, msg.Retain));
                                    }

                                    break;
                                case PubAck:
                                {
                                    IMqttClient.MqttMsgPublishedEventHandler handler = MqttMsgPublished;
                                    if (handler != null) handler(this, new MqttMsgPublishedEventArgs(msg.MessageId, true));
                                    break;
                                }
                            }
                        }

                        if (_eventQueue.Count == 0 && _isConnectionClosing)
                        {
                            Close();
                            OnConnectionClosed();
                            return;
                        }
                    }
                }
                catch (Exception)
                {
                    // an exception in an event handler too
                    OnConnectionClosing();
                }
            }
        }

        private static void JoinWorker(Thread worker)
        {
            if (worker != null && worker.IsAlive) worker.Join(1000);
        }

        /// <summary>MqttClient.ProcessInflightThread, QoS 0/1 and SUBSCRIBE states: sends, waits for PUBACK/SUBACK, retries, gives up.</summary>
        private void ProcessInflightThread()
        {
            MsgContext msgContext = null;
            long timeout = Timeout.Infinite;
            while (_isRunning)
            {
                try
                {
                    _inflightWaitHandle.WaitOne((int)timeout, false);
                    if (!_isRunning) continue;
                    bool msgReceivedProcessed = false;
                    Msg msgReceived = null;
                    timeout = int.MaxValue;
                    int count;
                    lock (_inflightQueue) count = _inflightQueue.Count;
                    while (count > 0)
                    {
                        count--;
                        bool acknowledge = false;
                        msgReceived = null;
                        if (!_isRunning) break;
                        lock (_inflightQueue)
                        {
                            if (_inflightQueue.Count == 0) break;
                            msgContext = (MsgContext)_inflightQueue[0];
                            _inflightQueue.RemoveAt(0);
                        }

                        Msg msgInflight = msgContext.Message;
                        switch (msgContext.State)
                        {
                            case QueuedQos0:
                                if (msgContext.Flow == ToPublish)
                                {
                                    Send(msgInflight);
                                }
                                else
                                {
                                    InternalEvent received = new InternalEvent();
                                    received.Message = msgInflight;
                                    OnInternalEvent(received);
                                }

                                break;

                            case QueuedQos1:
                            case SendSubscribe:
                                if (msgContext.Flow == ToPublish)
                                {
                                    msgContext.Timestamp = NowMs();
                                    msgContext.Attempt++;
                                    bool toEnqueue = true;
                                    if (msgInflight.Type == PublishType)
                                    {
                                        msgContext.State = WaitForPuback;
                                        if (msgContext.Attempt > 1)
                                        {
                                            lock (_waitingForAnswer)
                                            {
                                                if (!_waitingForAnswer.Contains(msgInflight.MessageId)) toEnqueue = false;
                                            }

                                            msgInflight.DupFlag = true;
                                        }
                                    }
                                    else
                                    {
                                        msgContext.State = WaitForSuback;
                                    }

                                    if (toEnqueue)
                                    {
                                        Send(msgInflight);
                                        lock (_inflightQueue) _inflightQueue.Add(msgContext);
                                    }

                                    timeout = _settings.DelayOnRetry < timeout ? _settings.DelayOnRetry : timeout;
                                }
                                else
                                {
                                    // a QoS 1 PUBLISH from the broker: PUBACK first, then the event
                                    Msg puback = new Msg();
                                    puback.Type = PubAck;
                                    puback.MessageId = msgInflight.MessageId;
                                    Send(puback);
                                    InternalEvent received = new InternalEvent();
                                    received.Message = msgInflight;
                                    OnInternalEvent(received);
                                }

                                break;

                            case WaitForPuback:
                            case WaitForSuback:
                                if (msgContext.Flow != ToPublish) break;
                                lock (_internalQueue)
                                {
                                    if (_internalQueue.Count > 0) msgReceived = (Msg)_internalQueue[0];
                                }

                                if (msgReceived != null &&
                                    ((msgReceived.Type == PubAck && msgInflight.Type == PublishType && msgReceived.MessageId == msgInflight.MessageId) ||
                                     (msgReceived.Type == SubAck && msgInflight.Type == SubscribeType && msgReceived.MessageId == msgInflight.MessageId)))
                                {
                                    lock (_internalQueue) _internalQueue.RemoveAt(0);
                                    acknowledge = true;
                                    msgReceivedProcessed = true;
                                    InternalEvent acked = new InternalEvent();
                                    acked.Message = msgReceived;
                                    acked.Published = msgReceived.Type == PubAck;
                                    OnInternalEvent(acked);
                                }

                                if (!acknowledge)
                                {
                                    long delta = NowMs() - msgContext.Timestamp;
                                    if (delta >= _settings.DelayOnRetry)
                                    {
                                        if (msgContext.Attempt < _settings.AttemptsOnRetry)
                                        {
                                            msgContext.State = QueuedQos1;
                                            lock (_inflightQueue) _inflightQueue.Add(msgContext);
                                            timeout = 0;
                                        }
                                        else if (msgInflight.Type == PublishType)
                                        {
                                            // no PUBACK after the last try: MqttMsgPublished(id, false)
                                            InternalEvent notPublished = new InternalEvent();
                                            notPublished.Message = msgInflight;
                                            notPublished.Published = true;
                                            OnInternalEvent(notPublished);
                                        }

                                        // no SUBACK after the last try: no event
                                    }
                                    else
                                    {
                                        lock (_inflightQueue) _inflightQueue.Add(msgContext);
                                        long msgTimeout = _settings.DelayOnRetry - delta;
                                        timeout = msgTimeout < timeout ? msgTimeout : timeout;
                                    }
                                }

                                break;
                        }

                        msgContext = null;
                    }

                    if (timeout == int.MaxValue) timeout = Timeout.Infinite;

                    // an answer with no message waiting for it (orphan) leaves the internal queue
                    if (msgReceived != null && !msgReceivedProcessed)
                    {
                        lock (_internalQueue)
                        {
                            if (_internalQueue.Count > 0) _internalQueue.RemoveAt(0);
                        }
                    }
                }
                catch (Exception)
                {
                    // MqttCommunicationException from Send, or anything else: put the message back, idle, close
                    if (msgContext != null)
                    {
                        lock (_inflightQueue) _inflightQueue.Add(msgContext);
                        msgContext = null;
                    }

                    timeout = Timeout.Infinite;
                    OnConnectionClosing();
                }
            }
        }

        /// <summary>MqttClient.GetMessageId: 1..65535, wrapping.</summary>
        private ushort GetMessageId()
        {
            _messageIdCounter = (_messageIdCounter % ushort.MaxValue) != 0 ? (ushort)(_messageIdCounter + 1) : (ushort)1;
            return _messageIdCounter;
        }

        // ---- Codec: M2Mqtt/Messages/MqttMsg*.cs GetBytes and Parse, MQTT 3.1.1 ----

        private static void CheckFlagBits(byte first, byte expected)
        {
            if ((first & 0x0F) != expected) throw new MqttClientException(MqttClientErrorCode.InvalidFlagBits);
        }

        /// <summary>MqttMsgBase.DecodeVariableByte, then the rest of the packet (MqttMsg*.Parse).</summary>
        private byte[] ReadRemaining()
        {
            int multiplier = 1;
            int value = 0;
            int digit;
            byte[] nextByte = new byte[1];
            do
            {
                if (_channel.Receive(nextByte) == 0) throw EndedInPacket();
                digit = nextByte[0];
                value += (digit & 127) * multiplier;
                multiplier *= 128;
            } while ((digit & 128) != 0);
            byte[] buffer = new byte[value];
            if (value > 0 && _channel.Receive(buffer) == 0) throw EndedInPacket();
            return buffer;
        }

        /// <summary>
        /// Deliberately not as the real client: MqttMsg*.Parse ignore a socket that ends inside a packet (they parse zeros,
        /// and MqttMsgPublish.Parse loops for ever on a long payload). The model treats it as the socket ending.
        /// </summary>
        private static IOException EndedInPacket()
        {
            return new IOException("the connection ended inside an MQTT packet");
        }

        /// <summary>MqttMsgPublish.Parse: topic, message id (QoS 1), payload; DUP and RETAIN from the fixed header as received.</summary>
        private Msg ParsePublish(byte first)
        {
            byte[] buffer = ReadRemaining();
            Msg msg = new Msg();
            msg.Type = PublishType;
            int index = 0;
            int topicLength = (buffer[index] << 8) | buffer[index + 1];
            index += 2;
            msg.Topic = Encoding.UTF8.GetString(buffer, index, topicLength);
            index += topicLength;
            msg.QosLevel = (MqttQoSLevel)((first & 0x06) >> 1);
            if (msg.QosLevel > MqttQoSLevel.ExactlyOnce) throw new MqttClientException(MqttClientErrorCode.QosNotAllowed);
            // QoS 2 is not modelled: the device subscribes at QoS 1, so a broker never sends it
            if (msg.QosLevel == MqttQoSLevel.ExactlyOnce) throw new IOException("M2Mqtt model: QoS 2 PUBLISH received; not modelled");
            msg.DupFlag = (first & 0x08) != 0;
            msg.Retain = (first & 0x01) != 0;
            if (msg.QosLevel == MqttQoSLevel.AtLeastOnce)
            {
                msg.MessageId = (ushort)((buffer[index] << 8) | buffer[index + 1]);
                index += 2;
            }

            msg.Message = new byte[buffer.Length - index];
            Array.Copy(buffer, index, msg.Message, 0, msg.Message.Length);
            return msg;
        }

        /// <summary>GetBytes of MqttMsgConnect, MqttMsgPublish, MqttMsgPuback, MqttMsgSubscribe, MqttMsgPingReq, MqttMsgDisconnect (3.1.1), with their checks.</summary>
        private static byte[] GetBytes(Msg msg)
        {
            Packet p = new Packet();
            switch (msg.Type)
            {
                case Connect_:
                {
                    // MqttMsgConnect.GetBytes: empty user name or password count as none
                    byte[] willTopic = msg.WillFlag && msg.WillTopic != null ? Encoding.UTF8.GetBytes(msg.WillTopic) : null;
                    byte[] willMessage = msg.WillFlag && msg.WillMessage != null ? Encoding.UTF8.GetBytes(msg.WillMessage) : null;
                    byte[] username = msg.Username != null && msg.Username.Length > 0 ? Encoding.UTF8.GetBytes(msg.Username) : null;
                    byte[] password = msg.Password != null && msg.Password.Length > 0 ? Encoding.UTF8.GetBytes(msg.Password) : null;
                    if (msg.WillFlag && (msg.WillQos >= 0x03 || willTopic == null || willMessage == null || willTopic.Length == 0 || willMessage.Length == 0))
                        throw new MqttClientException(MqttClientErrorCode.WillWrong);
                    if (!msg.WillFlag && (msg.WillRetain || willTopic != null || willMessage != null))
                        throw new MqttClientException(MqttClientErrorCode.WillWrong);
                    if (msg.WillQos > (byte)MqttQoSLevel.ExactlyOnce) throw new MqttClientException(MqttClientErrorCode.WillWrong);
                    p.Text("MQTT");
                    p.Byte(0x04);
                    byte flags = 0;
                    if (username != null) flags |= 0x80;
                    if (password != null) flags |= 0x40;
                    if (msg.WillRetain) flags |= 0x20;
                    if (msg.WillFlag) flags |= (byte)(msg.WillQos << 3);
                    if (msg.WillFlag) flags |= 0x04;
                    if (msg.CleanSession) flags |= 0x02;
                    p.Byte(flags);
                    p.Short(msg.KeepAlive);
                    p.Text(msg.ClientId);
                    if (willTopic != null) p.Bytes(willTopic, true);
                    if (willMessage != null) p.Bytes(willMessage, true);
                    if (username != null) p.Bytes(username, true);
                    if (password != null) p.Bytes(password, true);
                    return p.Finish(Connect_ << 4);
                }
                case PublishType:
                {
                    if (msg.Topic.IndexOf('#') != -1 || msg.Topic.IndexOf('+') != -1) throw new MqttClientException(MqttClientErrorCode.TopicWildcard);
                    if (msg.Topic.Length < 1 || msg.Topic.Length > 65535) throw new MqttClientException(MqttClientErrorCode.TopicLength);
                    if (msg.QosLevel > MqttQoSLevel.ExactlyOnce) throw new MqttClientException(MqttClientErrorCode.QosNotAllowed);
                    p.Text(msg.Topic);
                    if (msg.QosLevel != MqttQoSLevel.AtMostOnce)
                    {
                        if (msg.MessageId == 0) throw new MqttClientException(MqttClientErrorCode.WrongMessageId);
                        p.Short(msg.MessageId);
                    }

                    if (msg.Message != null) p.Bytes(msg.Message, false);
                    int first = (PublishType << 4) | ((int)msg.QosLevel << 1);
                    if (msg.DupFlag) first |= 0x08;
                    if (msg.Retain) first |= 0x01;
                    return p.Finish(first);
                }
                case PubAck:
                    p.Short(msg.MessageId);
                    return p.Finish(PubAck << 4);
                case SubscribeType:
                    if (msg.Topics == null || msg.Topics.Length == 0) throw new MqttClientException(MqttClientErrorCode.TopicsEmpty);
                    if (msg.QosLevels == null || msg.QosLevels.Length == 0) throw new MqttClientException(MqttClientErrorCode.QosLevelsEmpty);
                    if (msg.Topics.Length != msg.QosLevels.Length) throw new MqttClientException(MqttClientErrorCode.TopicsQosLevelsNotMatch);
                    p.Short(msg.MessageId);
                    for (int i = 0; i < msg.Topics.Length; i++)
                    {
                        p.Text(msg.Topics[i]);
                        p.Byte((byte)msg.QosLevels[i]);
                    }

                    return p.Finish((SubscribeType << 4) | 0x02);
                case PingReq:
                    return p.Finish(PingReq << 4);
                case DisconnectType:
                    return p.Finish(DisconnectType << 4);
                default:
                    throw new NotSupportedException("M2Mqtt model: cannot send packet type " + msg.Type.ToString());
            }
        }

        /// <summary>Builds a packet body, then prefixes the fixed header (type byte and remaining length, MqttMsgBase.EncodeVariableByte).</summary>
        private sealed class Packet
        {
            private byte[] _body = new byte[64];
            private int _length;

            private void Room(int n)
            {
                if (_length + n <= _body.Length) return;
                int size = _body.Length * 2;
                while (size < _length + n) size *= 2;
                byte[] bigger = new byte[size];
                Array.Copy(_body, bigger, _length);
                _body = bigger;
            }

            public void Byte(byte b)
            {
                Room(1);
                _body[_length++] = b;
            }

            public void Short(int v)
            {
                Byte((byte)((v >> 8) & 0xFF));
                Byte((byte)(v & 0xFF));
            }

            public void Bytes(byte[] bytes, bool withLength)
            {
                if (withLength) Short(bytes.Length);
                Room(bytes.Length);
                Array.Copy(bytes, 0, _body, _length, bytes.Length);
                _length += bytes.Length;
            }

            public void Text(string s)
            {
                Bytes(Encoding.UTF8.GetBytes(s), true);
            }

            public byte[] Finish(int first)
            {
                int headerSize = 1;
                int temp = _length;
                do
                {
                    headerSize++;
                    temp /= 128;
                } while (temp > 0);
                byte[] packet = new byte[headerSize + _length];
                int index = 0;
                packet[index++] = (byte)first;
                int remaining = _length;
                do
                {
                    int digit = remaining % 128;
                    remaining /= 128;
                    if (remaining > 0) digit |= 0x80;
                    packet[index++] = (byte)digit;
                } while (remaining > 0);
                Array.Copy(_body, 0, packet, index, _length);
                return packet;
            }
        }
    }
}
