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

    [Theory]
    [InlineData("mqtt://192.0.2.10:1883", false)]
    [InlineData("mqtt://broker.example.org", false)]
    [InlineData("mqtt://[2001:db8::1]:1883", false)]
    [InlineData("mqtt://127.0.0.1:1883", true)]
    [InlineData("mqtt://[::1]:1883", true)]
    [InlineData("mqtts://broker.example.org:8883", true)]
    public void The_stand_in_centres_password_is_held_to_the_same_rule(string broker, bool accepted)
    {
        var args = new List<string> { "run", "--broker", broker, "--centre-username", "pat.backend", "--centre-password-file", "backend-password" };
        if (broker.StartsWith("mqtts://")) args.AddRange(new[] { "--ca", "ca.pem" });
        if (accepted)
        {
            var o = SimOptions.Parse(args.ToArray());
            Assert.Equal(("pat.backend", "backend-password"), (o.CentreUsername, o.CentrePasswordFile));
            return;
        }
        var e = Assert.Throws<ArgumentException>(() => SimOptions.Parse(args.ToArray()));
        Assert.StartsWith("--centre-password-file: refusing to send the MQTT password in clear over plain mqtt://", e.Message);
        Assert.Contains("mqtts://", e.Message);
        // A user name alone carries no secret: allowed, as is a lab broker without accounts.
        Assert.Equal("pat.backend", SimOptions.Parse(new[] { "run", "--broker", broker, "--centre-username", "pat.backend" }).CentreUsername);
    }

    [Fact]
    public void The_stand_in_centres_account_options_say_what_is_wrong()
    {
        var e = Assert.Throws<ArgumentException>(() => SimOptions.Parse(new[] { "run", "--broker", "mqtt://127.0.0.1:1883", "--centre-password-file", "backend-password" }));
        Assert.StartsWith("--centre-password-file: needs --centre-username", e.Message);
        e = Assert.Throws<ArgumentException>(() => SimOptions.Parse(new[] { "run", "--centre-username", "pat.backend" }));
        Assert.StartsWith("--centre-username: only with --broker; the embedded broker has no accounts", e.Message);
        e = Assert.Throws<ArgumentException>(() => SimOptions.Parse(new[] { "run", "--broker", "mqtt://127.0.0.1:1883", "--centre-username", "pat backend" }));
        Assert.StartsWith("--centre-username: expected a user name without spaces", e.Message);
        e = Assert.Throws<ArgumentException>(() => SimOptions.Parse(new[] { "run", "--broker", "mqtt://127.0.0.1:1883", "--centre-username" }));
        Assert.Contains("'--centre-username'", e.Message); // System.CommandLine: "Required argument missing for option: '--centre-username'."
    }

    [Fact]
    public void The_centres_key_list_is_read_by_hub_id_and_its_problems_name_the_file_never_a_key()
    {
        string dir = Directory.CreateTempSubdirectory("pat-keys-").FullName;
        try
        {
            string keyA = new string('a', 64), keyB = new string('b', 64);
            string csv = Path.Combine(dir, "command-keys.csv");
            File.WriteAllText(csv, $"hubId,commandKey\nhub-a,{keyA}\nhub-b,{keyB}\n");
            var config = SimulatedHub.LoadConfig(null);
            config.HubId = "hub-b";
            config.CommandKeyFile = "I:\\command-key";
            string hubKeyFile = Path.Combine(dir, "command-key");
            File.WriteAllText(hubKeyFile, keyB + "\n");
            var hubKey = CentreKey.For(config, hubKeyFile);
            Assert.Equal("I:\\command-key", hubKey.File); // deployed under the name the config gives
            Assert.True(CentreKey.FromKeysCsv(csv, "hub-b").SameKeyAs(hubKey));
            Assert.False(CentreKey.FromKeysCsv(csv, "hub-a").SameKeyAs(hubKey));
            // Signed with the row of hub-b, verified with hub-b's own key file: the same signature.
            string json = """{"id":"k1","cmd":"rebirth"}""";
            Assert.Equal(hubKey.Sign("hub-b", json, 1_700_000_000_000), CentreKey.FromKeysCsv(csv, "hub-b").Sign("hub-b", json, 1_700_000_000_000));

            var e = Assert.Throws<ArgumentException>(() => CentreKey.FromKeysCsv(csv, "hub-c"));
            Assert.Equal($"--centre-keys {csv}: no key for hub hub-c", e.Message);
            e = Assert.Throws<ArgumentException>(() => CentreKey.FromKeysCsv(Path.Combine(dir, "missing.csv"), "hub-a"));
            Assert.StartsWith("--centre-keys: file not found: ", e.Message);
            File.WriteAllText(csv, $"hubId,commandKey\nhub-a,{keyA},extra\n");
            e = Assert.Throws<ArgumentException>(() => CentreKey.FromKeysCsv(csv, "hub-a"));
            Assert.Equal($"--centre-keys {csv}: line 2: expected hubId,commandKey", e.Message);
            File.WriteAllText(csv, $"hubId,commandKey\nhub-a,{keyA[..10]}\n");
            e = Assert.Throws<ArgumentException>(() => CentreKey.FromKeysCsv(csv, "hub-a"));
            Assert.Contains("line 2, hub hub-a", e.Message);
            Assert.DoesNotContain(keyA[..10], e.Message);
            File.WriteAllText(csv, "username,password\n");
            e = Assert.Throws<ArgumentException>(() => CentreKey.FromKeysCsv(csv, "hub-a"));
            Assert.Contains("line 1: expected the header hubId,commandKey", e.Message);
            e = Assert.Throws<ArgumentException>(() => CentreKey.For(config, Path.Combine(dir, "no-such-key")));
            Assert.StartsWith("--command-key-file: file not found: ", e.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
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
