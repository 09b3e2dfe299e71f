// Mirrors nanoFramework.M2Mqtt 5.1.220 (assemblies nanoFramework.M2Mqtt and nanoFramework.M2Mqtt.Core).
// Signatures: tests/api-listings/nanoFramework.M2Mqtt.txt (checked by FacadeListingTests). Only the members
// the device transport uses. The enums are int-based and MqttReasonCode has more members (several share a value).
using System;
using System.Collections;
using System.Security.Cryptography.X509Certificates;
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

    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public class MqttMsgPublishEventArgs : EventArgs
    {
        private MqttMsgPublishEventArgs() { throw Facade.NotOnDevice(); }
        public string Topic { get { throw Facade.NotOnDevice(); } }
        public byte[] Message { get { throw Facade.NotOnDevice(); } }
        public bool Retain { get { throw Facade.NotOnDevice(); } }
    }

    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public class MqttMsgPublishedEventArgs : EventArgs
    {
        private MqttMsgPublishedEventArgs() { throw Facade.NotOnDevice(); }
        public ushort MessageId { get { throw Facade.NotOnDevice(); } set { throw Facade.NotOnDevice(); } }
        public bool IsPublished { get { throw Facade.NotOnDevice(); } set { throw Facade.NotOnDevice(); } }
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
        public delegate void ConnectionClosedEventHandler(object sender, EventArgs e);
    }

    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public class MqttSettings
    {
        private MqttSettings() { throw Facade.NotOnDevice(); }
        public bool ValidateServerCertificate { get { throw Facade.NotOnDevice(); } set { throw Facade.NotOnDevice(); } }
    }

    [Mirrors("nanoFramework.M2Mqtt", "5.1.220")]
    public class MqttClient : IMqttClient, IDisposable
    {
        public MqttClient(string brokerHostName, int brokerPort, bool secure, X509Certificate caCert, X509Certificate clientCert, MqttSslProtocols sslProtocol) { throw Facade.NotOnDevice(); }
        public MqttReasonCode Connect(string clientId, string username, string password, bool willRetain, MqttQoSLevel willQosLevel, bool willFlag,
            string willTopic, string willMessage, bool cleanSession, ushort keepAlivePeriod) { throw Facade.NotOnDevice(); }
        public void Disconnect() { throw Facade.NotOnDevice(); }
        public void Close() { throw Facade.NotOnDevice(); }
        public void Dispose() { throw Facade.NotOnDevice(); }
        public ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels) { throw Facade.NotOnDevice(); }
        public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain) { throw Facade.NotOnDevice(); }
        public event IMqttClient.MqttMsgPublishEventHandler MqttMsgPublishReceived { add { throw Facade.NotOnDevice(); } remove { throw Facade.NotOnDevice(); } }
        public event IMqttClient.MqttMsgPublishedEventHandler MqttMsgPublished { add { throw Facade.NotOnDevice(); } remove { throw Facade.NotOnDevice(); } }
        public event IMqttClient.ConnectionClosedEventHandler ConnectionClosed { add { throw Facade.NotOnDevice(); } remove { throw Facade.NotOnDevice(); } }
        public bool IsConnected { get { throw Facade.NotOnDevice(); } }
        public MqttProtocolVersion ProtocolVersion { get { throw Facade.NotOnDevice(); } set { throw Facade.NotOnDevice(); } }
        public MqttSettings Settings { get { throw Facade.NotOnDevice(); } }
    }
}
