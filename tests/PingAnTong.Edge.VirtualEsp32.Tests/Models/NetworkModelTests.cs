extern alias device;
using device::nanoFramework.Networking;
using device::PingAnTong.Edge.NanoFacades;
using Xunit;
using NanoCts = device::System.Threading.CancellationTokenSource;
using NanoInterface = device::System.Net.NetworkInformation.NetworkInterface;
using NanoWifiConfig = device::System.Net.NetworkInformation.Wireless80211Configuration;

namespace PingAnTong.Edge.DeviceTests.Models;

/// <summary>The Wi-Fi and SNTP models against NF_ESP32_Wireless.cpp, targetHAL_Network.cpp, WifiNetworkHelper.cs and the Sntp native code (see Models/WifiModel.cs, Models/SntpModel.cs).</summary>
public class NetworkModelTests : DeviceTest
{
    private const string Ssid = "ElderHome-0101";
    private const string Password = "correct horse";

    private static bool Reconnect(int timeoutMs)
    {
        using var cts = new NanoCts(timeoutMs);
        return WifiNetworkHelper.Reconnect(false, 0, cts.Token);
    }

    [Fact]
    public void After_a_mass_erase_the_station_would_auto_connect_but_has_no_network()
    {
        Assert.Equal(0x0E, VirtualEsp32.Wifi.StoredOptions); // AutoConnect | Enable | SmartConfig
        VirtualEsp32.Boot();
        Assert.True(VirtualEsp32.Wifi.StationStarted);
        Assert.False(VirtualEsp32.Wifi.ReconnectsByItself); // no SSID
    }

    [Theory]
    [InlineData("AutoConnect", true)]
    [InlineData("Enable", true)] // Options & AutoConnect(0x06) is non-zero for Enable (0x02) too, on this firmware
    [InlineData("None", false)]
    [InlineData("Disable", false)]
    public void At_boot_the_station_joins_when_the_stored_options_pass_the_AutoConnect_test(string option, bool joins)
    {
        VirtualEsp32.Wifi.AccessPoint(Ssid, Password);
        VirtualEsp32.Wifi.Provision(Ssid, Password, option);
        VirtualEsp32.Boot();
        VirtualEsp32.Clock.Advance(VirtualEsp32.Wifi.JoinMs);
        Assert.Equal(joins, VirtualEsp32.Wifi.HasAddress);
        Assert.Equal(joins ? "192.168.1.23" : "0.0.0.0", NanoInterface.GetAllNetworkInterfaces()[0].IPv4Address);
    }

    [Fact]
    public void Reconnect_only_waits_for_an_address_and_sends_no_credentials()
    {
        VirtualEsp32.Wifi.AccessPoint(Ssid, Password);
        VirtualEsp32.Wifi.Provision(Ssid, Password, "None");
        VirtualEsp32.Boot();
        Assert.False(Reconnect(30000));
        Assert.Equal(NetworkHelperStatus.TokenExpiredWaitingIPAddress, WifiNetworkHelper.Status);
        Assert.Equal(30000, VirtualEsp32.Clock.NowMilliseconds); // waited the whole token, in virtual time
        Assert.Equal(0, VirtualEsp32.Wifi.CredentialsSent);
    }

    [Fact]
    public void After_a_drop_the_station_rejoins_by_itself_and_the_helper_status_still_says_ready()
    {
        VirtualEsp32.Wifi.AccessPoint(Ssid, Password);
        VirtualEsp32.Wifi.Provision(Ssid, Password, "AutoConnect");
        VirtualEsp32.Boot();
        Assert.True(Reconnect(30000));
        Assert.Equal(3000, VirtualEsp32.Clock.NowMilliseconds);
        Assert.Equal(NetworkHelperStatus.NetworkIsReady, WifiNetworkHelper.Status);

        VirtualEsp32.Wifi.AccessPointOff();
        Assert.False(VirtualEsp32.Wifi.HasAddress);
        Assert.Equal(NetworkHelperStatus.NetworkIsReady, WifiNetworkHelper.Status); // nothing updates it after a drop
        VirtualEsp32.Clock.Advance(60000);
        Assert.False(VirtualEsp32.Wifi.HasAddress);
        VirtualEsp32.Wifi.AccessPointOn();
        VirtualEsp32.Clock.Advance(VirtualEsp32.Wifi.RetryMs + VirtualEsp32.Wifi.JoinMs);
        Assert.True(VirtualEsp32.Wifi.HasAddress);
        Assert.Equal(0, VirtualEsp32.Wifi.CredentialsSent);
    }

    [Fact]
    public void ConnectDhcp_sends_the_credentials_and_keeps_the_stored_options()
    {
        VirtualEsp32.Wifi.AccessPoint(Ssid, Password);
        VirtualEsp32.Wifi.Provision("", "", "Enable");
        VirtualEsp32.Boot();
        using var cts = new NanoCts(30000);
        Assert.True(WifiNetworkHelper.ConnectDhcp(Ssid, Password, device::System.Device.Wifi.WifiReconnectionKind.Automatic, false, 0, cts.Token));
        Assert.Equal(1, VirtualEsp32.Wifi.CredentialsSent);
        Assert.Equal(Ssid, VirtualEsp32.Wifi.StoredSsid);
        Assert.Equal(0x02, VirtualEsp32.Wifi.StoredOptions);
        var stored = NanoWifiConfig.GetAllWireless80211Configurations()[0];
        Assert.Equal(NanoWifiConfig.ConfigurationOptions.Enable, stored.Options);
        stored.Options = NanoWifiConfig.ConfigurationOptions.AutoConnect;
        stored.SaveConfiguration();
        Assert.Equal(0x06, VirtualEsp32.Wifi.StoredOptions);
    }

    [Fact]
    public void A_wait_with_no_limit_for_a_network_that_never_comes_fails_loudly()
    {
        VirtualEsp32.Boot();
        Assert.Throws<VirtualDeviceHangException>(() => WifiNetworkHelper.Reconnect());
    }

    [Fact]
    public void Sntp_sets_the_clock_two_seconds_after_the_address_and_retries_after_15_minutes()
    {
        VirtualEsp32.Wifi.AccessPoint(Ssid, Password);
        VirtualEsp32.Wifi.Provision(Ssid, Password, "AutoConnect");
        VirtualEsp32.Sntp.NetworkTime = new DateTime(2026, 12, 1, 8, 0, 0);
        VirtualEsp32.Sntp.Reachable = false;
        VirtualEsp32.Boot();
        Assert.Equal(1970, VirtualEsp32.Rtc.UtcNow.Year);
        VirtualEsp32.Clock.Advance(3000); // joined: native SNTP starts on IP_EVENT_STA_GOT_IP
        Assert.True(Sntp.IsStarted);
        VirtualEsp32.Clock.Advance(2100);
        Assert.Equal(1970, VirtualEsp32.Rtc.UtcNow.Year); // no answer
        VirtualEsp32.Sntp.Reachable = true;
        VirtualEsp32.Clock.Advance(60000);
        Assert.Equal(1970, VirtualEsp32.Rtc.UtcNow.Year); // the retry is 15 min away
        VirtualEsp32.Clock.Advance(900000);
        Assert.Equal(2026, VirtualEsp32.Rtc.UtcNow.Year);
        Assert.Equal(VirtualEsp32.Sntp.NetworkTime, VirtualEsp32.Rtc.UtcNow);
        Sntp.Server1 = "ntp.aliyun.com";
        Assert.Equal("ntp.aliyun.com", VirtualEsp32.Sntp.Server1);
    }

    [Fact]
    public void HighResTimer_counts_virtual_microseconds_since_boot()
    {
        VirtualEsp32.Clock.AdvanceMicroseconds(1234567);
        Assert.Equal(1234567UL, device::nanoFramework.Hardware.Esp32.HighResTimer.GetCurrent());
        VirtualEsp32.Reboot();
        Assert.Equal(0UL, device::nanoFramework.Hardware.Esp32.HighResTimer.GetCurrent());
    }
}
