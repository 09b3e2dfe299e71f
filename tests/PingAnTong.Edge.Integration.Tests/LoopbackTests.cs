using System.Globalization;
using System.Net;
using PingAnTong.Edge.Simulator;
using Xunit;

namespace PingAnTong.Edge.Integration.Tests;

/// <summary>
/// The simulator's embedded broker has no accounts and no TLS, so it listens on loopback only unless told
/// otherwise, and says exactly what it binds; the simulator never sends a password in clear off the machine.
/// The bound sockets are read from the kernel (/proc/net/tcp, tcp6), not from what the broker reports.
/// </summary>
public class LoopbackTests
{
    [Fact]
    public async Task Embedded_broker_listens_on_loopback_only_by_default_and_prints_exactly_that()
    {
        if (!OperatingSystem.IsLinux()) return; // the kernel's socket table is read from /proc
        await using var broker = await EmbeddedBroker.StartAsync();
        var bound = ListeningOn(broker.Port);
        Assert.Contains(new IPEndPoint(IPAddress.Loopback, broker.Port), bound);
        Assert.All(bound, e => Assert.True(IPAddress.IsLoopback(e.Address), $"listens on {e}"));
        Assert.Equal(bound.OrderBy(e => e.ToString()), broker.Endpoints.OrderBy(e => e.ToString()));
        bool ipv6 = broker.Endpoints.Any(e => e.Address.Equals(IPAddress.IPv6Loopback));
        Assert.Equal($"127.0.0.1:{broker.Port}" + (ipv6 ? $" and [::1]:{broker.Port}" : "") + " (loopback only)", broker.Describe());
        Assert.Equal("127.0.0.1", broker.ConnectHost);
    }

    [Theory]
    [InlineData("127.0.0.2")]
    [InlineData("::1")]
    public async Task Embedded_broker_listens_only_where_told(string listen)
    {
        if (!OperatingSystem.IsLinux()) return;
        if (listen == "::1" && EmbeddedBroker.Addresses(null).V6.Equals(IPAddress.None)) return; // no IPv6 on this machine
        await using var broker = await EmbeddedBroker.StartAsync(listen: listen);
        var bound = ListeningOn(broker.Port);
        Assert.Equal(new[] { new IPEndPoint(IPAddress.Parse(listen), broker.Port) }, bound);
        Assert.Equal(bound, broker.Endpoints);
        Assert.Equal(listen, broker.ConnectHost);
    }

    [Fact]
    public void Listen_option_takes_an_address_and_only_for_the_embedded_broker()
    {
        Assert.Null(SimOptions.Parse(new[] { "run" }).Listen);
        Assert.Equal("::", SimOptions.Parse(new[] { "run", "--listen", "::" }).Listen);
        var e = Assert.Throws<ArgumentException>(() => SimOptions.Parse(new[] { "run", "--listen", "everywhere" }));
        Assert.StartsWith("--listen: expected an IP address", e.Message);
        e = Assert.Throws<ArgumentException>(() => SimOptions.Parse(new[] { "run", "--listen", "0.0.0.0", "--broker", "mqtt://127.0.0.1:1883" }));
        Assert.StartsWith("--listen: only for the embedded broker", e.Message);
    }

    [Theory]
    [InlineData("mqtt://192.0.2.10:1883", false)]
    [InlineData("mqtt://broker.example.org", false)]
    [InlineData("mqtt://[2001:db8::1]:1883", false)]
    [InlineData("mqtt://127.0.0.1:1883", true)]
    [InlineData("mqtt://localhost:1883", true)]
    [InlineData("mqtt://[::1]:1883", true)]
    [InlineData("mqtts://broker.example.org:8883", true)]
    public void Simulator_refuses_a_password_over_plain_tcp_except_to_loopback(string broker, bool accepted)
    {
        var args = new List<string> { "run", "--broker", broker, "--username", "hub-0001", "--password-file", "mqtt-password" };
        if (broker.StartsWith("mqtts://")) args.AddRange(new[] { "--ca", "ca.pem" });
        if (accepted)
        {
            Assert.Equal("mqtt-password", SimOptions.Parse(args.ToArray()).PasswordFile);
            return;
        }
        var e = Assert.Throws<ArgumentException>(() => SimOptions.Parse(args.ToArray()));
        Assert.StartsWith("--password-file: refusing to send the MQTT password in clear over plain mqtt://", e.Message);
        Assert.Contains("mqtts://", e.Message);
        // Without a password there is nothing to protect: a plain broker elsewhere stays allowed (a lab broker).
        Assert.Null(SimOptions.Parse(new[] { "run", "--broker", broker }).PasswordFile);
    }

    [Fact]
    public void A_password_file_from_the_config_is_held_to_the_same_rule()
    {
        var e = Assert.Throws<ArgumentException>(() => SimOptions.CheckPasswordTransport("192.0.2.10", false, "I:\\mqtt-password", "--config (broker.passwordFile)"));
        Assert.StartsWith("--config (broker.passwordFile): refusing", e.Message);
        SimOptions.CheckPasswordTransport("192.0.2.10", true, "I:\\mqtt-password", "--config");
        SimOptions.CheckPasswordTransport("::1", false, "I:\\mqtt-password", "--config");
        SimOptions.CheckPasswordTransport("192.0.2.10", false, null, "--config");
    }

    /// <summary>Every listening TCP socket of the kernel on this port.</summary>
    public static List<IPEndPoint> ListeningOn(int port)
    {
        var result = new List<IPEndPoint>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(file)) continue;
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (cells.Length < 4 || cells[3] != "0A") continue; // 0A = LISTEN
                var local = cells[1].Split(':');
                if (int.Parse(local[1], NumberStyles.HexNumber) != port) continue;
                result.Add(new IPEndPoint(new IPAddress(KernelAddressBytes(local[0])), port));
            }
        }
        return result;
    }

    /// <summary>/proc/net/tcp prints an address as 32-bit words in host (little-endian) order.</summary>
    private static byte[] KernelAddressBytes(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        for (int word = 0; word < bytes.Length; word += 4) Array.Reverse(bytes, word, 4);
        return bytes;
    }
}
