extern alias device;
using System.Text.Json.Nodes;
using device::PingAnTong.Edge.Esp32.Adapters;
using device::PingAnTong.Edge.NanoFacades;
using Xunit;

namespace PingAnTong.Edge.DeviceTests.Adapters;

/// <summary>WifiLink (the device adapter, unmodified by the test) on the virtual Wi-Fi station, and the Wi-Fi configuration provisioning writes.</summary>
public class WifiLinkTests : DeviceTest
{
    private const string Ssid = "ElderHome-0101";
    private const string Password = "correct horse";

    private static WifiLink Joined(string option = "AutoConnect")
    {
        VirtualEsp32.Wifi.AccessPoint(Ssid, Password);
        VirtualEsp32.Wifi.Provision(Ssid, Password, option);
        VirtualEsp32.Boot();
        var link = new WifiLink();
        Assert.True(link.Ensure(), link.LastProblem);
        Assert.True(link.IsUp);
        return link;
    }

    [Fact]
    public void Ensure_notices_a_drop_and_waits_for_the_station_to_rejoin()
    {
        var link = Joined();
        VirtualEsp32.Wifi.AccessPointOff(); // the router goes away: the helper's Status still says NetworkIsReady
        Assert.False(link.IsUp);
        Assert.False(link.Ensure());
        Assert.Contains("not joined", link.LastProblem);
        VirtualEsp32.Wifi.AccessPointOn();
        Assert.True(link.Ensure(), link.LastProblem); // the station re-joins by itself; Ensure waits for its address
        Assert.True(link.IsUp);
        Assert.Null(link.LastProblem);
        Assert.Equal(0, VirtualEsp32.Wifi.CredentialsSent);
    }

    [Fact]
    public void A_short_drop_is_waited_out()
    {
        var link = Joined();
        VirtualEsp32.Wifi.Drop(); // deauthentication; the access point stays
        Assert.False(link.IsUp);
        long before = VirtualEsp32.Clock.NowMilliseconds;
        Assert.True(link.Ensure());
        Assert.True(VirtualEsp32.Clock.NowMilliseconds - before <= VirtualEsp32.Wifi.RetryMs + VirtualEsp32.Wifi.JoinMs);
    }

    [Fact]
    public void A_stored_configuration_that_never_joins_is_named()
    {
        VirtualEsp32.Wifi.AccessPoint(Ssid, Password);
        VirtualEsp32.Wifi.Provision(Ssid, Password, "Disable");
        VirtualEsp32.Boot();
        var link = new WifiLink();
        Assert.False(link.Ensure());
        Assert.Contains("AutoConnect", link.LastProblem);

        VirtualEsp32.Reset();
        VirtualEsp32.Boot(); // nothing provisioned
        Assert.False(link.Ensure());
        Assert.Contains("no network stored", link.LastProblem);
    }

    [Fact]
    public void Sntp_starts_once_with_the_hub_servers()
    {
        Joined();
        Assert.True(VirtualEsp32.Sntp.IsStarted);
        Assert.Equal("ntp.aliyun.com", VirtualEsp32.Sntp.Server1);
    }

    [Fact]
    public void Provisioning_asks_for_AutoConnect()
    {
        string hub = TlsCaTests.Provision(System.Text.Encoding.ASCII.GetBytes(TestCertificates.CaPem));
        var client = JsonNode.Parse(File.ReadAllText(Path.Combine(hub, "secret", "network.json")))!["WirelessClient"]!;
        Assert.Equal("AutoConnect", (string)client["ConfigurationOption"]!);
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot, "nanoff-config", "templates", "network.template.json")))!["WirelessClient"]!;
        Assert.Equal("AutoConnect", (string)template["ConfigurationOption"]!);

        // What nanoff --networkdeployment stores from it, then a boot: the hub is on the network.
        VirtualEsp32.Wifi.AccessPoint((string)client["Ssid"]!, (string)client["Password"]!);
        VirtualEsp32.Wifi.Provision((string)client["Ssid"]!, (string)client["Password"]!, (string)client["ConfigurationOption"]);
        Assert.Equal(0x06, VirtualEsp32.Wifi.StoredOptions);
        VirtualEsp32.Boot();
        Assert.True(new WifiLink().Ensure());
    }
}
