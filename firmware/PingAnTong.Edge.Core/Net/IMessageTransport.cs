namespace PingAnTong.Edge.Core.Net
{
    /// <summary>
    /// MQTT as the core needs it (M2Mqtt on the device, MQTTnet in the simulator). Calls return at
    /// once; outcomes come back through the hub's queue: <c>Connected</c>, <c>ConnectFailed</c>,
    /// <c>Disconnected</c>, <c>PublishAcked(token)</c> and <c>Message(topic, payload)</c>. The
    /// transport does not reconnect by itself: <see cref="ConnectionManager"/> decides when.
    /// </summary>
    public interface IMessageTransport
    {
        /// <summary>Starts connecting with the will, keepalive and credentials of <paramref name="request"/>,
        /// and subscribes to <see cref="ConnectRequest.CommandTopic"/> (QoS 1) once connected.</summary>
        void Connect(ConnectRequest request);

        void Disconnect();

        /// <summary>Starts a QoS 1 publish. The transport copies the payload before returning (the
        /// buffer is reused). Returns false when it cannot take the message now.</summary>
        bool Publish(string topic, byte[] payload, int length, bool retain, int token);
    }
}
