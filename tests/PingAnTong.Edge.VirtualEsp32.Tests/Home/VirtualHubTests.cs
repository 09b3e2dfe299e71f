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
        return what + $"\ninterrupt thread: {VirtualEsp32.Events.Delivered} event(s) delivered, handler failure: {VirtualEsp32.Events.HandlerFailure}; armed SOS {VirtualEsp32.Gpio.InterruptArmed(VirtualHub.SosPin)}, smoke {VirtualEsp32.Gpio.InterruptArmed(VirtualHub.SmokePin)}; inputs " + string.Join(", ", home.Hub.Inputs.Select(i => i.Config.Id + "=" + (i.IsActive ? "on" : "off")))
            + $"\nlink {ConnectionManager.StateName(link.State)}, {link.Attempts} attempt(s), last error {link.LastError}, next at {link.NextAttemptMs} ms, now {VirtualEsp32.Clock.NowMilliseconds} ms; Wi-Fi address {VirtualEsp32.Wifi.HasAddress}"
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
        // The device's log lines are in the config's console.language (pat's template: zh-CN); ids, versions and numbers as they are.
        Assert.Matches(@"\[[0-9]+s\] PingAnTong\.Edge [^ ]+ 正在启动；复位原因 [a-z_]+；连续崩溃启动 [0-9]+ 次", console);
        Assert.Contains("网关 hub-0101 配置版本 1（", console);
        Assert.Contains("时钟已由 SNTP 同步", console);
        Assert.DoesNotContain("clock synced by SNTP", console);
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

    [Fact]
    public async Task Smoke_and_the_certified_gas_alarm_raise_life_safety_alarms()
    {
        if (!MosquittoTestBroker.Installed) return;
        await using var home = await InstalledAndOnline();
        VirtualEsp32.Gpio.Drive(VirtualHub.SmokePin, false); // the smoke detector's relay closes to GND
        Assert.True(home.RunUntil(() => home.CallCentre.Raised("smoke").Count > 0, 20000), Diagnose(home, "no smoke alarm"));
        VirtualEsp32.Gpio.Drive(VirtualHub.GasAlarmPin, false); // the certified gas alarm's relay
        Assert.True(home.RunUntil(() => home.CallCentre.Raised("gas").Any(e => VirtualHub.Centre.Str(e, "sensor") == "gas-alarm"), 20000), Diagnose(home, "no alarm from the certified gas alarm"));
        Assert.Equal(0, Assert.Single(home.CallCentre.Raised("smoke")).GetProperty("priority").GetInt32());
    }

    [Fact]
    public async Task The_mq5_through_the_ads1115_raises_a_gas_alarm_after_its_warm_up()
    {
        if (!MosquittoTestBroker.Installed) return;
        await using var home = await InstalledAndOnline();
        // The MQ-5: past its 180 s warm-up in clean air (R0 learned), then gas makes its output rise.
        home.Run(200000, 1000);
        int readsBefore = VirtualEsp32.I2c.Transactions.Length;
        home.Mq5.SetInputVolts(0, 2.8); // Rs/R0 about 0.27: some 3,000 ppm LPG on the MQ-5 curve
        Assert.True(home.RunUntil(() => home.CallCentre.Raised("gas").Any(e => VirtualHub.Centre.Str(e, "sensor") == "gas"), 120000, 1000), Diagnose(home, "no gas alarm from the MQ-5"));
        var mq5 = home.CallCentre.Raised("gas").Single(e => VirtualHub.Centre.Str(e, "sensor") == "gas");
        Assert.True(mq5.GetProperty("value").GetDouble() > 1000, "ppm above the template's threshold");
        Assert.True(VirtualEsp32.I2c.Transactions.Length > readsBefore);
    }

    [Fact]
    public async Task A_power_cut_during_a_flash_write_and_the_reboot_send_the_open_sos_again_until_the_centre_acks()
    {
        if (!MosquittoTestBroker.Installed) return;
        await using var home = await InstalledAndOnline();
        int boots = VirtualEsp32.Generation;
        // The press is stored (the alarm's record is the first write), then the power fails during the next write.
        VirtualEsp32.Flash.CutPowerAtWrite = 2;
        home.Press(VirtualHub.SosPin);
        Assert.True(home.RunUntil(() => VirtualEsp32.Power.PowerCuts == 1, 20000), Diagnose(home, "no second flash write after the press"));
        Assert.True(VirtualEsp32.Generation > boots);
        Assert.True(home.RunUntil(() => home.Hub.Link.State == ConnectionManager.Connected, 120000), Diagnose(home, "the hub did not reconnect after the power cut"));
        Assert.Contains("复位原因 unknown", home.Console.ToString() + home.ReadConsole()); // a boot that ended without a reason
        var open = home.Hub.Alarms.NewestOpen();
        Assert.NotNull(open); // restored from flash
        string alarmId = open.Id;
        // The open alarm reaches the centre after the restart, and stays open (re-sent) until the centre acks it.
        Assert.True(home.RunUntil(() => home.CallCentre.Raised("sos").Any(e => AlarmIdOf(e) == alarmId), 120000),
            Diagnose(home, "the open SOS did not reach the centre after the power cut"));

        await home.CallCentre.AckAsync(alarmId);
        Assert.True(home.RunUntil(() => home.Hub.CurrentIndication == Indication.HelpComing, 30000), Diagnose(home, "the ack did not reach the hub"));
    }

    [Fact]
    public async Task Five_boots_that_end_early_give_safe_mode_without_i2c_and_the_sos_still_reaches_the_centre()
    {
        if (!MosquittoTestBroker.Installed) return;
        await using var home = await VirtualHub.InstallAsync();
        home.PowerOn();
        for (int i = 0; i < 5; i++)
        {
            home.Run(5000, 500); // far less than the 10 min after which a boot counts as stable
            home.PowerCycle();
        }
        home.Run(500);
        string console = home.Console.ToString() + home.ReadConsole();
        Assert.Contains("连续崩溃启动 5 次；安全模式", console);
        int i2c = VirtualEsp32.I2c.Transactions.Length;
        Assert.True(home.RunUntil(() => home.Hub.Link.State == ConnectionManager.Connected, 120000), Diagnose(home, "safe mode did not connect"));
        home.Press(VirtualHub.SosPin);
        Assert.True(home.RunUntil(() => home.CallCentre.Raised("sos").Count > 0, 30000), Diagnose(home, "no SOS in safe mode"));
        Assert.Equal(i2c, VirtualEsp32.I2c.Transactions.Length); // the optional sensors are left alone
        Assert.Contains("safe_mode", home.CallCentre.LastStatus()!.Value.GetProperty("resetReason").GetString());
    }

    [Fact]
    public async Task The_technician_console_on_com2_answers_in_chinese_as_the_installer_template_sets()
    {
        if (!MosquittoTestBroker.Installed) return;
        await using var home = await InstalledAndOnline();
        Assert.Equal("zh-CN", home.Hub.Config.ConsoleLanguage);
        home.ReadConsole();
        var technician = VirtualEsp32.Serial.Port("COM2");
        technician.Send("status\r\n");
        Assert.True(home.RunUntil(() => home.ReadConsole().Length >= 0 && home.Console.ToString().Contains("平台命令"), 10000), Diagnose(home, "no status reply"));
        string console = home.Console.ToString();
        _output.WriteLine(console);
        Assert.Contains("网关 hub-0101，位置 350102-001-0101，", console);
        Assert.Contains("时钟已同步", console);
        Assert.Contains("mqtt connected，服务器 ", console);
        Assert.Contains("控制台已上锁", console);
        technician.Send("frobnicate\r\n");
        Assert.True(home.RunUntil(() => home.ReadConsole().Length >= 0 && home.Console.ToString().Contains("error: 未知命令 \"frobnicate\"；输入 help 查看命令\r\npat> "), 10000),
            Diagnose(home, "no Chinese error reply with the error: prefix and the prompt"));
    }

    [Fact]
    public async Task A_wifi_outage_holds_the_sos_and_it_arrives_when_the_router_is_back()
    {
        if (!MosquittoTestBroker.Installed) return;
        await using var home = await InstalledAndOnline();
        VirtualEsp32.Wifi.AccessPointOff(); // the router goes off: the station loses its address, the TCP connection ends
        Assert.True(home.RunUntil(() => home.Hub.Link.State != ConnectionManager.Connected, 60000), Diagnose(home, "the hub did not notice the Wi-Fi drop"));
        home.Press(VirtualHub.SosPin);
        home.Run(60000, 1000);
        Assert.Empty(home.CallCentre.Raised("sos"));
        Assert.Equal(Indication.NotDelivered, home.Hub.CurrentIndication); // the elder hears that it did not go out

        long back = VirtualEsp32.Clock.NowMilliseconds;
        VirtualEsp32.Wifi.AccessPointOn(); // the station rejoins by itself (stored AutoConnect), the hub reconnects
        Assert.True(home.RunUntil(() => home.CallCentre.Raised("sos").Count > 0, 300000, 1000), Diagnose(home, "the SOS did not arrive after Wi-Fi came back"));
        long delayMs = VirtualEsp32.Clock.NowMilliseconds - back;
        _output.WriteLine($"SOS delivered {delayMs} ms (virtual) after the router came back");
        Assert.True(delayMs <= 300000, $"the SOS took {delayMs} ms after Wi-Fi returned (bound: 300 s, the backoff ceiling plus jitter)");
    }

    [Fact]
    public async Task A_deployed_config_larger_than_any_config_is_refused_unread_and_the_hub_keeps_its_own()
    {
        if (!MosquittoTestBroker.Installed) return;
        await using var home = await InstalledAndOnline();
        // A wrong file deployed as config.json (a log, an image): 200 KB, twice the heap of the device.
        VirtualEsp32.Flash.Deploy("I:\\config.json", new byte[200 * 1024]);
        home.PowerCycle();
        Assert.True(home.RunUntil(() => home.Hub.Link.State == ConnectionManager.Connected, 120000), Diagnose(home, "the hub did not come back"));
        string console = home.Console.ToString() + home.ReadConsole();
        Assert.Contains("config: I:\\config.json：204800 字节，配置最多 16384 字节（保留原来的配置；文件已移到 I:\\config.rejected.json）", console);
        Assert.Equal("hub-0101", home.Hub.Config.HubId);
        Assert.False(VirtualEsp32.Flash.Exists("I:\\config.json"));
        Assert.True(VirtualEsp32.Flash.Exists("I:\\config.rejected.json"));
    }
}
