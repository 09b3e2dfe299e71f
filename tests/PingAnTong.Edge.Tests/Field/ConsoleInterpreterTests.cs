using System.Security.Cryptography;
using System.Text;
using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Field;
using PingAnTong.Edge.Core.Security;
using PingAnTong.Edge.Core.Storage;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Field;

public class ConsoleInterpreterTests
{
    public const string Pin = "2468";
    public const string Salt = "s4lt-7f3a9c21";
    public static readonly string PinHash = PinVerifier.Hash(Salt, Pin, PinVerifier.Iterations);
    public static string PinConfigJson => TestBench.DemoConfigJson.Replace(
        "\"heartbeatMinutes\": 5",
        "\"heartbeatMinutes\": 5,\n  \"console\": { \"pinKdf\": \"pbkdf2-sha256\", \"pinIterations\": " + PinVerifier.Iterations + ", \"pinSalt\": \"" + Salt
        + "\", \"pinHash\": \"" + PinHash + "\", \"unlockMinutes\": 10 }");

    private static TestBench Bench() => new(PinConfigJson, storeConfig: true);

    private static string One(List<string> lines)
    {
        Assert.Single(lines);
        return lines[0];
    }

    [Fact]
    public void Sha256_matches_the_dotnet_implementation()
    {
        var random = new Random(7);
        foreach (int length in new[] { 0, 1, 55, 56, 63, 64, 65, 119, 200, 1000 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(data)).ToLowerInvariant(), Sha256.Hex(Sha256.Hash(data, 0, data.Length)));
        }
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(Salt + ":" + Pin))).ToLowerInvariant(), Sha256.PinHash(Salt, Pin));
    }

    [Fact]
    public void Help_lists_every_command_and_unknown_or_empty_input_is_handled()
    {
        var b = Bench();
        string help = string.Join("\n", b.Console("help"));
        foreach (var cmd in new[] { "status", "sensors", "events", "outbox", "config show", "config set", "config apply", "test sos", "time", "log level", "reboot", "unlock" })
            Assert.Contains(cmd, help);
        Assert.Equal("error: unknown command \"selfdestruct\"; type help", One(b.Console("selfdestruct now")));
        Assert.Empty(b.Console("   "));
        Assert.StartsWith("error: events: expected a count", One(b.Console("events many")));
        Assert.StartsWith("error: config: expected show", One(b.Console("config")));
        Assert.StartsWith("error: log: expected log level", One(b.Console("log")));
        Assert.StartsWith("error: log level: expected error, warn, info or debug", One(b.Console("log level loud")));
        Assert.StartsWith("error: test: expected sos, smoke, gas or notice", One(b.Console("test fire")));
        Assert.StartsWith("error: unlock: expected unlock PIN", One(b.Console("unlock")));
        b.Step(1000); // the hub keeps running
        Assert.NotNull(b.Hub.Config);
    }

    [Fact]
    public void Status_shows_identity_clock_network_link_outbox_mode_and_lock()
    {
        var b = Bench();
        b.ConsoleHost.SafeMode = true;
        b.ConsoleHost.SafeModeReason = "5 crash boots in a row";
        string s = string.Join("\n", b.Console("status"));
        Assert.Contains("hub hub-0001 at 350102-001-0001, firmware 0.1.0-test, config v1 (stored)", s);
        Assert.Contains("clock NOT synced", s);
        Assert.Contains("network: test network up", s);
        Assert.Contains("mqtt ", s);
        Assert.Contains("outbox ", s);
        Assert.Contains("mode home", s);
        Assert.Contains("SAFE MODE: 5 crash boots in a row", s);
        Assert.Contains("console locked", s);
    }

    [Fact]
    public void Sensors_show_each_input_and_sensor_with_value_and_health()
    {
        var b = Bench();
        b.Sensors.Set("temp", 215);
        b.Sensors.Fail("gas", PingAnTong.Edge.Core.Inputs.SensorStatus.ChecksumError);
        b.Run(20_000, 1000);
        b.SetInput("door", true);
        b.Run(1000, 100);
        var lines = b.Console("sensors");
        Assert.Contains(lines, l => l.StartsWith("input sos (sos, GPIO25): idle, ok"));
        Assert.Contains(lines, l => l.StartsWith("input door (door, GPIO27): ACTIVE, ok"));
        Assert.Contains(lines, l => l == "sensor temp (temperature, i2c1 0x44): 21.5 °C, ok");
        Assert.Contains(lines, l => l.StartsWith("sensor gas (gas, i2c1 0x48): no value") && l.Contains("FAULT checksum_error"));
    }

    [Fact]
    public void Events_come_from_a_log_that_survives_reboots()
    {
        var b = Bench();
        b.Press("sos");
        var lines = b.Console("events 5");
        Assert.Contains(lines, l => l.Contains("alarm sos raised"));
        b.Restart();
        lines = b.Console("events 50");
        Assert.Contains(lines, l => l.Contains("alarm sos raised"));
        Assert.Contains(lines, l => l.Contains("info boot started"));
        Assert.True(lines.Count(l => l.Contains("info boot started")) == 2, string.Join("\n", lines));
    }

    [Fact]
    public void The_event_log_keeps_at_least_1000_entries_in_order_and_recovers_from_damage()
    {
        var store = new MemoryStore();
        var log = new EventLog(store, "events");
        log.Open();
        for (int i = 1; i <= 2500; i++) log.Add(i * 1000L, -1, "entry " + i);
        Assert.InRange(log.Count, 1000, 2000);
        var output = new ConsoleRecorder();
        log.WriteLast(1000, output);
        Assert.Equal(1000, output.Lines.Count);
        Assert.EndsWith("entry 1501", output.Lines[0]);
        Assert.EndsWith("entry 2500", output.Lines[^1]);

        var reopened = new EventLog(store, "events");
        reopened.Open();
        Assert.Equal(log.Count, reopened.Count);
        reopened.Add(1, -1, "after reboot");
        output = new ConsoleRecorder();
        reopened.WriteLast(2, output);
        Assert.EndsWith("entry 2500", output.Lines[0]);
        Assert.Contains("#2501 ", output.Lines[1]);

        // Damage in the current file: detected, the readable part kept, new entries go to the other file.
        string current = store.Names.Where(n => n.StartsWith("events.")).OrderByDescending(n => store.GetLength(n) > 0 ? n : "").First();
        foreach (var name in store.Names.Where(n => n.StartsWith("events.")).ToList()) store.Corrupt(name, store.GetLength(name) - 3);
        var damaged = new EventLog(store, "events");
        damaged.Open();
        Assert.True(damaged.FoundDamage);
        damaged.Add(1, -1, "after damage");
        output = new ConsoleRecorder();
        damaged.WriteLast(1, output);
        Assert.EndsWith("after damage", output.Lines[0]);
    }

    [Fact]
    public void Changes_need_the_pin_wrong_pins_lock_out_and_unlock_expires()
    {
        var b = Bench();
        foreach (var cmd in new[] { "config set heartbeatMinutes 10", "config apply", "test sos", "reboot", "log level debug" })
            Assert.EndsWith("unlock PIN first", One(b.Console(cmd)));
        Assert.Equal("error: unlock: wrong PIN", One(b.Console("unlock 1111")));
        Assert.Equal("error: unlock: wait 2s after a wrong PIN", One(b.Console("unlock " + Pin)));
        b.Step(2000);
        Assert.Equal("unlocked for 10 min", One(b.Console("unlock " + Pin)));
        Assert.Equal("log level debug", One(b.Console("log level debug")));
        b.Step(10 * 60 * 1000 + 1);
        Assert.EndsWith("unlock PIN first", One(b.Console("test sos")));

        for (int i = 0; i < 5; i++) { b.Console("unlock 0000"); b.Step(2000); }
        Assert.StartsWith("error: unlock: 5 wrong PINs in a row; try again in", One(b.Console("unlock " + Pin)));
        b.Step(5 * 60 * 1000 + 1);
        Assert.Equal("unlocked for 10 min", One(b.Console("unlock " + Pin)));
        Assert.Equal("locked", One(b.Console("lock")));
        Assert.EndsWith("unlock PIN first", One(b.Console("reboot")));
    }

    [Fact]
    public void A_hub_without_a_pin_cannot_be_changed_from_the_console()
    {
        var b = new TestBench(storeConfig: true);
        Assert.StartsWith("error: unlock: no installer PIN", One(b.Console("unlock 1234")));
    }

    [Fact]
    public void Config_set_and_apply_validate_with_the_core_validator()
    {
        var b = Bench();
        b.Console("unlock " + Pin);
        Assert.StartsWith("set heartbeatMinutes = 10 (1 change(s) pending", One(b.Console("config set heartbeatMinutes 10")));
        Assert.StartsWith("set inputs.door.debounceMs = 80", One(b.Console("config set inputs.door.debounceMs 80")));
        Assert.Equal("applied config version 2", One(b.Console("config apply")));
        Assert.Equal(10, b.Hub.Config.HeartbeatMinutes);
        Assert.Equal(80, b.Hub.Config.FindInput("door").DebounceMs);
        Assert.Equal(2, b.Hub.Config.Version);

        b.Console("config set heartbeatMinutes 0");
        string refused = One(b.Console("config apply"));
        Assert.StartsWith("error: config apply refused, nothing changed: config refused: $.heartbeatMinutes: expected an integer from 1 to 60", refused);
        Assert.Equal(10, b.Hub.Config.HeartbeatMinutes);
        Assert.Equal("changes discarded", One(b.Console("config discard")));

        b.Console("config set heartbeatMinuts 7");
        Assert.Contains("$.heartbeatMinuts: unknown setting", One(b.Console("config apply")));
        b.Console("config discard");
        Assert.StartsWith("error: config set inputs.window.pin: $.inputs has no \"window\"", One(b.Console("config set inputs.window.pin 4")));
        Assert.StartsWith("error: config set broker: ", One(b.Console("config set broker {\"host\":\"x\"}")));
        Assert.StartsWith("error: config set: expected KEY VALUE", One(b.Console("config set heartbeatMinutes")));

        // Survives a reboot as the stored config.
        b.Restart();
        Assert.Equal(10, b.Hub.Config.HeartbeatMinutes);
        Assert.Equal("stored", b.Hub.ConfigSource);
    }

    [Fact]
    public void Test_commands_raise_test_class_alarms_and_the_notice_pattern()
    {
        var b = Bench();
        b.Console("unlock " + Pin);
        Assert.StartsWith("test alarm hub-0001-", One(b.Console("test smoke")));
        Assert.Contains(b.Hub.Outbox.Entries.Cast<OutboxEntry>(), e => e.Kind == "smoke" && e.EventClass == EventClass.Test);
        b.Console("test notice");
        b.Step(0);
        Assert.True(b.Hub.CurrentIndication >= Indication.Notice);
    }

    [Fact]
    public void Time_and_reboot()
    {
        var b = Bench();
        Assert.Contains(b.Console("time"), l => l.StartsWith("clock NOT synced"));
        b.Clock.SyncWallClock(new DateTime(2026, 11, 29, 3, 0, 5, DateTimeKind.Utc));
        var lines = b.Console("time");
        Assert.Contains("utc 2026-11-29T03:00:05Z", lines);
        Assert.Contains("local 2026-11-29T11:00:05 (UTC+8.00h)", lines);
        b.Console("unlock " + Pin);
        Assert.StartsWith("rebooting", One(b.Console("reboot")));
        b.Run(10_000, 500);
        Assert.Equal(1, b.Host.Reboots);
    }

    [Fact]
    public void No_secret_ever_appears_in_console_output()
    {
        var b = Bench();
        string hash = PinHash;
        var all = new List<string>();
        foreach (var cmd in new[] { "help", "status", "sensors", "events 100", "outbox", "config show", "time", "unlock 9999", "unlock " + Pin,
                                    "config set console.unlockMinutes 5", "config set console.pinSalt abcdefgh123", "config show", "config discard", "log level" })
        {
            all.AddRange(b.Console(cmd));
            b.Step(2000);
        }
        string text = string.Join("\n", all);
        Assert.Contains("console = {\"pinKdf\":\"pbkdf2-sha256\",\"pinIterations\":" + PinVerifier.Iterations + ",\"pinSalt\":\"***\",\"pinHash\":\"***\",\"unlockMinutes\":10}", text);
        Assert.DoesNotContain(hash, text);
        Assert.DoesNotContain(Salt, text);
        Assert.DoesNotContain(Pin, text);
        Assert.DoesNotContain("9999", text);
        Assert.DoesNotContain("abcdefgh123", text);
    }
}
