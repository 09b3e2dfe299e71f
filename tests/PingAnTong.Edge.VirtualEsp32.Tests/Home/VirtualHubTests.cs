extern alias device;
using System.Text.Json;
using device::PingAnTong.Edge.NanoFacades;
using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Integration.Tests;
using Xunit;
using Xunit.Abstractions;

namespace PingAnTong.Edge.DeviceTests.Home;

/// <summary>
/// The unmodified device application (Program.Main and its adapters) on one virtual ESP32, installed from a
/// <c>pat provision</c> image, against Mosquitto over TLS with the shipped broker template and pat's ACL: what an
/// installer and an elder would see, end to end. Needs Mosquitto (installed by .ci/run); without it each test returns at once.
/// </summary>
public class VirtualHubTests : DeviceTest
{
    private readonly ITestOutputHelper _output;

    public VirtualHubTests(ITestOutputHelper output) => _output = output;

    private async Task<VirtualHub> InstalledAndOnline()
    {
        var home = await VirtualHub.InstallAsync();
        home.PowerOn();
        Assert.True(home.RunUntil(() => home.Hub.Link.State == ConnectionManager.Connected && home.CallCentre.Status() == "online", 120000),
            Diagnose(home, "the hub did not come online"));
        return home;
    }

    private string Diagnose(VirtualHub home, string what)
    {
        home.ReadConsole();
        var link = home.Hub.Link;
        return what + $"\nlink {ConnectionManager.StateName(link.State)}, {link.Attempts} attempt(s), last error {link.LastError}, next at {link.NextAttemptMs} ms, now {VirtualEsp32.Clock.NowMilliseconds} ms; Wi-Fi address {VirtualEsp32.Wifi.HasAddress}"
            + "\n--- hub console ---\n" + home.Console + "\n--- broker ---\n" + string.Join("\n", home.Log.Split('\n').TakeLast(40))
            + "\n--- centre saw ---\n" + string.Join("\n", home.CallCentre.Topics);
    }

    private static string AlarmIdOf(JsonElement e) => VirtualHub.Centre.Str(e, "alarmId") ?? VirtualHub.Centre.Str(e, "id");

    [Fact]
    public async Task Boots_from_the_pat_image_joins_wifi_syncs_time_and_connects_to_mosquitto_over_tls()
    {
        if (!MosquittoTestBroker.Installed) return;
        await using var home = await InstalledAndOnline();
        string console = home.Console.ToString() + home.ReadConsole();
        _output.WriteLine(console);
        Assert.Contains("hub hub-0101 config version 1", console);
        Assert.Contains("clock synced by SNTP", console);
        Assert.DoesNotContain("WARNING", console);
        Assert.True(VirtualEsp32.Wifi.HasAddress);
        Assert.Equal(1, VirtualEsp32.Wifi.JoinAttempts); // joined at boot by the stored AutoConnect option, no credentials sent by the app
        Assert.Equal(0, VirtualEsp32.Wifi.CredentialsSent);
        Assert.Contains("as hub-0101 (p2, c0, k30, u'hub-0101')", home.Log); // Mosquitto logged the hub's own account
        Assert.True(home.CallCentre.Status() == "online");
    }

    [Fact]
    public async Task An_sos_press_reaches_the_call_centre_and_its_ack_turns_on_help_is_coming()
    {
        if (!MosquittoTestBroker.Installed) return;
        await using var home = await InstalledAndOnline();
        home.Press(VirtualHub.SosPin);
        Assert.True(home.RunUntil(() => home.CallCentre.Raised("sos").Count > 0, 30000), Diagnose(home, "no SOS at the centre"));
        var sos = Assert.Single(home.CallCentre.Raised("sos"));
        Assert.Equal("350102-001-0101", VirtualHub.Centre.Str(sos, "location"));
        Assert.True(home.RunUntil(() => home.Hub.CurrentIndication == Indication.Delivered, 10000));
        // "Delivered": a short beep every 2 s (the indicator's timer ticks in real time and reads the virtual clock).
        Assert.True(home.RunUntil(() => VirtualEsp32.Pwm.History.Any(c => c.Pin == VirtualHub.BuzzerPin && c.Running), 6000, 50, watchIndicator: true), "the buzzer never sounded");

        await home.CallCentre.AckAsync(AlarmIdOf(sos));
        Assert.True(home.RunUntil(() => home.Hub.CurrentIndication == Indication.HelpComing, 30000), Diagnose(home, "the ack did not reach the hub"));
        // "Help is coming": the LED steady on, the buzzer silent (IndicationPattern), on the modelled pins.
        Assert.True(Eventually(() => VirtualEsp32.Gpio.Level(VirtualHub.LedPin) && !VirtualEsp32.Pwm.Active(VirtualHub.BuzzerPin)), "LED/buzzer do not show help is coming");
        Assert.True(Stays(() => VirtualEsp32.Gpio.Level(VirtualHub.LedPin) && !VirtualEsp32.Pwm.Active(VirtualHub.BuzzerPin), 300));
        Assert.Contains(home.CallCentre.Replies(), r => r.GetProperty("status").GetInt32() == 0);
    }
}
