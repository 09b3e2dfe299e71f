using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace PingAnTong.Edge.Simulator;

/// <summary>
/// An MQTTnet broker in this process: the simulator's default, so nothing needs installing. It has no
/// accounts and no TLS, so by default it listens on loopback only: 127.0.0.1 and [::1] (when the machine
/// has IPv6), nothing else. MQTTnet's own default is every IPv6 interface, and setting only the IPv4
/// address leaves that open, so both families are always set here (IPAddress.None switches one off).
/// Its TLS endpoint is never enabled. <see cref="Endpoints"/> are the addresses actually bound.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly MqttServer _server;

    private EmbeddedBroker(MqttServer server, int port, IReadOnlyList<IPEndPoint> endpoints)
    {
        _server = server;
        Port = port;
        Endpoints = endpoints;
    }

    public int Port { get; }

    /// <summary>Every address and port the broker listens on.</summary>
    public IReadOnlyList<IPEndPoint> Endpoints { get; }

    /// <summary>True when every endpoint is a loopback address.</summary>
    public bool LoopbackOnly => Endpoints.All(e => IPAddress.IsLoopback(e.Address));

    /// <summary>The host in-process clients (the hub, the stand-in centre) connect to.</summary>
    public string ConnectHost
    {
        get
        {
            var first = Endpoints[0].Address;
            if (first.Equals(IPAddress.Any)) return "127.0.0.1";
            if (first.Equals(IPAddress.IPv6Any)) return "::1";
            return first.ToString();
        }
    }

    /// <summary>What the broker binds, e.g. "127.0.0.1:1883 and [::1]:1883 (loopback only)".</summary>
    public string Describe()
    {
        string list = string.Join(" and ", Endpoints.Select(e => e.ToString()));
        if (LoopbackOnly) return list + " (loopback only)";
        return list + " (reachable from the network: no accounts and no TLS, so anyone who can reach it can read and command the hub)";
    }

    /// <param name="port">0 for a free port.</param>
    /// <param name="listen">null for loopback (127.0.0.1 and ::1); otherwise one IP address (0.0.0.0 is every
    /// IPv4 interface, :: every IPv6 interface).</param>
    public static async Task<EmbeddedBroker> StartAsync(int port = 0, string listen = null)
    {
        var (v4, v6) = Addresses(listen);
        if (port == 0) port = FreePort(v4, v6);
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(v4)
            .WithDefaultEndpointBoundIPV6Address(v6)
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions()
            .Build();
        options.DefaultEndpointOptions.ReuseAddress = true; // a restarted broker takes its port back at once
        options.TlsEndpointOptions.IsEnabled = false;
        var server = new MqttServerFactory().CreateMqttServer(options);
        await server.StartAsync();
        var endpoints = new List<IPEndPoint>();
        if (!v4.Equals(IPAddress.None)) endpoints.Add(new IPEndPoint(v4, port));
        if (!v6.Equals(IPAddress.None)) endpoints.Add(new IPEndPoint(v6, port));
        return new EmbeddedBroker(server, port, endpoints);
    }

    /// <summary>The IPv4 and IPv6 addresses to bind; <see cref="IPAddress.None"/> for a family not bound.</summary>
    public static (IPAddress V4, IPAddress V6) Addresses(string listen)
    {
        if (listen == null) return (IPAddress.Loopback, Ipv6LoopbackAvailable() ? IPAddress.IPv6Loopback : IPAddress.None);
        if (!IPAddress.TryParse(listen.Trim('[', ']'), out var address) || address.Equals(IPAddress.None))
            throw new ArgumentException($"--listen: expected an IP address (127.0.0.1, ::1, 0.0.0.0 for every IPv4 interface, :: for every IPv6 interface), got \"{listen}\"");
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? (IPAddress.None, address) : (address, IPAddress.None);
    }

    private static bool Ipv6LoopbackAvailable()
    {
        if (!Socket.OSSupportsIPv6) return false;
        try
        {
            using var s = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false; // IPv6 switched off on this machine: IPv4 loopback only
        }
    }

    /// <summary>A port free on the IPv4 loopback (the tests' brokers and relays).</summary>
    public static int FreePort() => FreePort(IPAddress.Loopback, IPAddress.None);

    /// <summary>A port free on both addresses (a family with <see cref="IPAddress.None"/> is skipped).</summary>
    public static int FreePort(IPAddress v4, IPAddress v6)
    {
        for (int attempt = 0; ; attempt++)
        {
            var first = new TcpListener(v4.Equals(IPAddress.None) ? v6 : v4, 0);
            first.Start();
            int port = ((IPEndPoint)first.LocalEndpoint).Port;
            try
            {
                if (v4.Equals(IPAddress.None) || v6.Equals(IPAddress.None)) return port;
                var second = new TcpListener(v6, port);
                try
                {
                    second.Start();
                    return port;
                }
                catch (SocketException) when (attempt < 20)
                {
                    continue; // taken on the other family: try another
                }
                finally
                {
                    second.Stop();
                }
            }
            finally
            {
                first.Stop();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }
}
