extern alias device;
using System.Reflection;
using System.Text.Json.Nodes;
using device::PingAnTong.Edge.Esp32.Adapters;
using device::PingAnTong.Edge.NanoFacades;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Tests;
using Xunit;
using NanoFile = device::System.IO.File;
using NanoX509 = device::System.Security.Cryptography.X509Certificates.X509Certificate;

namespace PingAnTong.Edge.DeviceTests.Adapters;

/// <summary>
/// The broker CA from pat provision to the hub's TLS: the file pat writes, deployed as nanoff's file
/// deployment does (bytes as they are), read the way M2MqttTransport reads it (File.ReadAllBytes into
/// X509Certificate(byte[])), on the virtual device's mbedTLS rules.
/// </summary>
public class TlsCaTests : DeviceTest
{
    /// <summary>Runs pat provision for one TLS hub with <paramref name="caFileContent"/> as the profile's CA; returns the hub folder.</summary>
    internal static string Provision(byte[] caFileContent)
    {
        string dir = Directory.CreateTempSubdirectory("pat-tls-").FullName;
        File.WriteAllBytes(Path.Combine(dir, "broker-ca.crt"), caFileContent);
        PatRun.Provision(dir, Path.Combine(dir, "out"), "hubId,location,board,wifi,brokerProfile\nhub-0101,350102-001-0101,esp32-devkitc-v4,ElderHome-0101,cloud\n",
            """{ "cloud": { "host": "mqtt.example.org", "port": 8883, "tls": true, "caFile": "broker-ca.crt", "username": "{hubId}" } }""",
            """{ "wifi": { "ElderHome-0101": "correct horse" } }""");
        return Path.Combine(dir, "out", "hub-0101");
    }

    /// <summary>nanoff --filedeployment of the hub folder's deploy.json: every file, byte for byte.</summary>
    internal static void DeployFiles(string hubDir)
    {
        foreach (var file in JsonNode.Parse(File.ReadAllText(Path.Combine(hubDir, "deploy.json")))!["Files"]!.AsArray())
            VirtualEsp32.Flash.Deploy((string)file!["DestinationFilePath"]!, File.ReadAllBytes(Path.Combine(hubDir, (string)file["SourceFilePath"]!)));
    }

    [Theory]
    [InlineData("pem")]
    [InlineData("der")]
    public void The_ca_pat_provisions_is_parsed_by_the_device(string form)
    {
        string hub = Provision(form == "pem" ? System.Text.Encoding.ASCII.GetBytes(TestCertificates.CaPem) : TestCertificates.CaDer);
        DeployFiles(hub);
        byte[] onDevice = NanoFile.ReadAllBytes("I:\\ca.pem");
        Assert.True(MbedTlsCertificates.IsPem(onDevice));
        var ca = new NanoX509(onDevice); // as M2MqttTransport does
        Assert.Equal(new DateTime(2035, 1, 1), ca.GetExpirationDate());
    }

    [Fact]
    public void A_profile_ca_that_is_not_a_certificate_refuses_the_batch()
    {
        var e = Assert.ThrowsAny<Exception>(() => Provision(System.Text.Encoding.ASCII.GetBytes("not a certificate")));
        Assert.Contains("not a PEM or DER X.509 certificate", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_tls_connect_gets_past_the_ca_certificate(bool copiedByHand)
    {
        string hub = Provision(System.Text.Encoding.ASCII.GetBytes(TestCertificates.CaPem));
        DeployFiles(hub);
        // A CA copied by hand is plain PEM without the NUL pat adds: the transport must terminate it itself.
        if (copiedByHand) VirtualEsp32.Flash.Deploy("I:\\ca.pem", System.Text.Encoding.ASCII.GetBytes(TestCertificates.CaPem));
        var wifi = JsonNode.Parse(File.ReadAllText(Path.Combine(hub, "secret", "network.json")))!["WirelessClient"]!;
        VirtualEsp32.Wifi.AccessPoint((string)wifi["Ssid"]!, (string)wifi["Password"]!);
        VirtualEsp32.Wifi.Provision((string)wifi["Ssid"]!, (string)wifi["Password"]!, (string)wifi["ConfigurationOption"]);
        VirtualEsp32.Boot();
        VirtualEsp32.Clock.Advance(10000); // joined, SNTP answered
        var clock = new DeviceClock();
        Assert.True(clock.CheckSynced());

        var queue = new HubQueue(64);
        var transport = new M2MqttTransport(clock, new WifiLink()) { Link = new LinkEvents(queue) };
        transport.Start();
        transport.Connect(new ConnectRequest
        {
            ClientId = "hub-0101", Host = "mqtt.example.org", Port = 8883, Tls = true, CaFile = "I:\\ca.pem",
            Username = "hub-0101", PasswordFile = "I:\\mqtt-password", KeepAliveSeconds = 30, CleanSession = false,
            WillTopic = "pat/hub-0101/status", WillPayload = new byte[] { (byte)'0' }, CommandTopic = "pat/hub-0101/cmd", Generation = 1,
        });
        Assert.True(Eventually(() => queue.Count > 0, 10000), "the transport reported nothing");
        Assert.True(queue.TryTake(out int type, out _, out _, out _, out object reason, out _));
        // Connected once M2Mqtt is modelled and a broker answers; until then it fails at the MQTT client, after the certificate.
        if (type == HubInput.ConnectFailed)
        {
            Assert.DoesNotContain("x509", (string)reason, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("certificate", (string)reason, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("clock not synced", (string)reason);
        }
        else
        {
            Assert.Equal(HubInput.Connected, type);
        }
    }
}
