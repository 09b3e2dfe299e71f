using System.Runtime.CompilerServices;
using nanoFramework.M2Mqtt;
using PingAnTong.Edge.NanoFacades;

namespace PingAnTong.Edge.DeviceMqtt.Tests;

/// <summary>Installs the real TCP/TLS channel (tests/PingAnTong.Edge.VirtualEsp32/Network/SocketChannel.cs, names through the host's DNS) and background threads under every MqttClient the tests make.</summary>
internal static class ChannelInstall
{
    [ModuleInitializer]
    internal static void Install()
    {
        MqttClient.ChannelFactory = (host, port, secure, ca, clientCert, ssl) => new SocketChannel(host, SocketChannel.ResolveIPv4(host), port, secure, ca?.GetRawCertData(), ssl);
        MqttClient.NewThread = start => new Thread(start) { IsBackground = true, Name = "M2Mqtt model" };
    }
}
