using System.Net;
using System.Runtime.CompilerServices;
using nanoFramework.M2Mqtt;
using X509Certificate = System.Security.Cryptography.X509Certificates.X509Certificate;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// The virtual ESP32's network under the M2Mqtt model: the broker's name resolved by the virtual Wi-Fi and DNS
    /// (Models/NetworkModel.cs: no address on the station, or a name the DNS does not know, is the device's
    /// SocketException), then a real TCP/TLS connection (SocketChannel) trusting only the CA as mbedTLS parsed it from
    /// what the application passed, and cut when the device resets or the station loses its address. The model's
    /// threads belong to the boot that made the client (Shims/DeviceThreads.cs).
    /// </summary>
    internal static class VirtualNetwork
    {
        [ModuleInitializer]
        internal static void Install()
        {
            MqttClient.ChannelFactory = Open;
            MqttClient.NewThread = start => DeviceThreads.Create(start, "M2Mqtt");
        }

        private static IMqttNetworkChannel Open(string host, int port, bool secure, X509Certificate ca, X509Certificate clientCert, MqttSslProtocols ssl)
        {
            IPAddress address = IPAddress.Parse(VirtualEsp32.Network.Resolve(host));
            byte[] der = ca == null || ca.Der == null || ca.Der.Length == 0 ? null : ca.Der[0];
            return new Channel(new SocketChannel(host, address, port, secure, der, ssl));
        }

        /// <summary>The socket as the station interface has it: no connect without an address; cut by a reset or a drop.</summary>
        private sealed class Channel : IMqttNetworkChannel
        {
            private readonly SocketChannel _socket;

            public Channel(SocketChannel socket) { _socket = socket; }

            public bool ValidateServerCertificate
            {
                get { return _socket.ValidateServerCertificate; }
                set { _socket.ValidateServerCertificate = value; }
            }

            public void Connect()
            {
                if (!VirtualEsp32.Wifi.HasAddress) throw new MqttClient.NetworkSocketException(NetworkModel.NetworkUnreachable, "no IP address on the station interface"); // lwIP with the netif down (error code inferred)
                VirtualEsp32.Network.Opened(this);
                _socket.Connect();
            }

            public int Send(byte[] buffer) { return _socket.Send(buffer); }

            public int Receive(byte[] buffer) { return _socket.Receive(buffer); }

            public void Close() { _socket.Close(); }
        }
    }
}
