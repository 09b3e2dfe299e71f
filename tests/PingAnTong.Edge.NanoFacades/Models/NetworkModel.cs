using System;
using System.Collections;
using nanoFramework.M2Mqtt;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// The IP side of the station interface under the M2Mqtt model's network channel: name resolution and the
    /// TCP connections the application holds.
    ///
    /// Behaviour modelled, as read on 2026-12-01:
    /// - name resolution needs the station's IP address and a DNS answer. System.Net `Dns.GetHostEntry` (nanoframework/System.Net
    ///   v1.11.54, DNS.cs; unchanged since 2024, the pinned 1.11.60 was not in the stored copy) calls NativeSocket.getaddrinfo;
    ///   nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456 src/PAL/Lwip/lwIP_Sockets.cpp GetAddrInfo maps lwIP's
    ///   failure, which esp-lwip 2.1.3-esp netdb.c always reports as EAI_FAIL, to SOCK_EINVAL: managed code sees a
    ///   SocketException with ErrorCode 10022 (InvalidArgument), not HostNotFound. Here that is
    ///   <see cref="MqttClient.NetworkSocketException"/> with <see cref="ResolveFailed"/>. M2Mqtt v5.1.220 resolves in
    ///   MqttNetworkChannel's constructor (M2Mqtt/Net/MqttNetworkChannel.cs), so the failure leaves the MqttClient constructor;
    /// - the answers come from <see cref="Host"/> (the test's DNS: a name → a loopback address where a real broker
    ///   listens); a name it does not know does not resolve;
    /// - a reset of the chip ends every TCP connection the application had (the RAM holding lwIP's PCBs is gone);
    ///   the broker sees the connection end (here at once, as a closed socket; on a real power cut it notices at
    ///   the keep-alive timeout, 1.5 × keep-alive, and then publishes the will either way);
    /// - a Wi-Fi disconnect ends them at once: ESP-IDF's default handler (esp_netif_action_disconnected → esp_netif_down)
    ///   clears the station's address, and lwIP's tcp_netif_ip_addr_changed aborts every TCP connection bound to it
    ///   (esp-lwip src/core/tcp.c); nf-interpreter's targets/ESP32/_common/targetHAL_Network.cpp closes nothing itself.
    ///   The application's next read or write fails (ECONNABORTED, inferred); here the socket is closed.
    /// The channels themselves (a real TCP/TLS connection, as M2Mqtt/Net/MqttNetworkChannel.cs at v5.1.220) are
    /// opened by the host through <see cref="MqttClient.ChannelFactory"/> (tests/PingAnTong.Edge.VirtualEsp32/Network).
    /// </summary>
    public sealed class NetworkModel
    {
        /// <summary>SocketError.InvalidArgument: what a failed Dns.GetHostEntry reports on the ESP32 (see above).</summary>
        public const int ResolveFailed = 10022;
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
                if (!VirtualEsp32.Wifi.HasAddress) throw new MqttClient.NetworkSocketException(ResolveFailed, "no IP address on the station interface");
                int i = _names.IndexOf(name);
                if (i < 0) throw new MqttClient.NetworkSocketException(ResolveFailed, "name not resolved: " + name);
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
