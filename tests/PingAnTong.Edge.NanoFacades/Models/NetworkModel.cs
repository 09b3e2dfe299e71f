using System;
using System.Collections;
using nanoFramework.M2Mqtt;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// The IP side of the station interface under the M2Mqtt model's network channel: name resolution and the
    /// TCP connections the application holds.
    ///
    /// Behaviour modelled (nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456):
    /// - name resolution (System.Net Dns.GetHostEntry → targets/ESP32/_Network/... lwIP getaddrinfo) needs the
    ///   station's IP address and a DNS answer; without either it fails with a SocketException
    ///   (here <see cref="MqttClient.NetworkSocketException"/> with SocketError.HostNotFound, 11001), which the real
    ///   MqttNetworkChannel constructor lets through to MqttClient's constructor;
    /// - the answers come from <see cref="Host"/> (the test's DNS: a name → a loopback address where a real broker
    ///   listens); a name it does not know does not resolve;
    /// - a reset of the chip ends every TCP connection the application had (the RAM holding lwIP's PCBs is gone);
    ///   the broker sees the connection end (here at once, as a closed socket; on a real power cut it notices at
    ///   the keep-alive timeout, 1.5 × keep-alive, and then publishes the will either way);
    /// - the station losing its address (a Wi-Fi drop) ends them too: lwIP's netif goes down and ESP-IDF's
    ///   esp_netif closes the sockets bound to the lost address (a simplification of the real timing, where a
    ///   write fails or the keep-alive expires first: the application sees the same closed connection).
    /// The channels themselves (a real TCP/TLS connection, as M2Mqtt/Net/MqttNetworkChannel.cs at v5.1.220) are
    /// opened by the host through <see cref="MqttClient.ChannelFactory"/> (tests/PingAnTong.Edge.VirtualEsp32/Network).
    /// </summary>
    public sealed class NetworkModel
    {
        /// <summary>SocketError.HostNotFound.</summary>
        public const int HostNotFound = 11001;
        /// <summary>SocketError.NetworkUnreachable.</summary>
        public const int NetworkUnreachable = 10051;

        private readonly ArrayList _names = new ArrayList();
        private readonly ArrayList _addresses = new ArrayList();
        private readonly ArrayList _open = new ArrayList();

        /// <summary>Connections ended by a reset or a Wi-Fi drop since the last <see cref="VirtualEsp32.Reset"/>.</summary>
        public int ConnectionsCut { get; private set; }

        /// <summary>TCP connections the application opened since the last <see cref="VirtualEsp32.Reset"/>.</summary>
        public int ConnectionsOpened { get; private set; }

        /// <summary>The DNS the home's router answers with: <paramref name="name"/> resolves to <paramref name="address"/>.</summary>
        public void Host(string name, string address)
        {
            lock (VirtualEsp32.Sync)
            {
                int i = _names.IndexOf(name);
                if (i >= 0) _addresses[i] = address;
                else
                {
                    _names.Add(name);
                    _addresses.Add(address);
                }
            }
        }

        /// <summary>Dns.GetHostEntry on the device: the address of <paramref name="name"/>, or a socket error.</summary>
        internal string Resolve(string name)
        {
            lock (VirtualEsp32.Sync)
            {
                if (!VirtualEsp32.Wifi.HasAddress) throw new MqttClient.NetworkSocketException(NetworkUnreachable, "no IP address on the station interface");
                int i = _names.IndexOf(name);
                if (i < 0) throw new MqttClient.NetworkSocketException(HostNotFound, "No such host is known: " + name);
                return (string)_addresses[i];
            }
        }

        /// <summary>A channel the application opened: cut when the device resets or the station loses its address.</summary>
        internal void Opened(IMqttNetworkChannel channel)
        {
            lock (VirtualEsp32.Sync)
            {
                ConnectionsOpened++;
                _open.Add(channel);
            }
        }

        /// <summary>Ends every open connection (a reset, or the station's address lost).</summary>
        internal void CutAll()
        {
            object[] open;
            lock (VirtualEsp32.Sync)
            {
                open = _open.ToArray();
                _open.Clear();
                ConnectionsCut += open.Length;
            }
            for (int i = 0; i < open.Length; i++)
            {
                try
                {
                    ((IMqttNetworkChannel)open[i]).Close();
                }
                catch (Exception)
                {
                    // already closed by the application
                }
            }
        }

        internal void Reset(bool all)
        {
            if (!all) return;
            lock (VirtualEsp32.Sync)
            {
                _names.Clear();
                _addresses.Clear();
                ConnectionsCut = 0;
                ConnectionsOpened = 0;
            }
        }
    }
}
