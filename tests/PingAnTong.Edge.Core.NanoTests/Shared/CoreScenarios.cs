using System;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Alarms;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Events;
using PingAnTong.Edge.Core.Field;
using PingAnTong.Edge.Core.Json;
using PingAnTong.Edge.Core.Security;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.SharedTests
{
    /// <summary>
    /// The core's most important behaviours as plain methods that throw on failure, in the nanoFramework
    /// subset: JSON round trips, outbox power-cut recovery, the alarm lifecycle, inactivity on a short
    /// day, and the console. Called by xunit (proving the scenarios themselves on every CI run) and by
    /// NFUnitTest (proving the interpreter: number and string formatting, exceptions, storage code).
    /// </summary>
    public static class CoreScenarios
    {
        public const string Pin = "2468";
        public const string PinSalt = "nano-salt-01";
        public const string CommandKeyFile = "I:\\command-key";
        public const string CommandKeyHex = "6e616e6f2d746573742d6b65792d6e6f742d7573656420696e2d7468652d6669";

        private static string _pinHash;

        /// <summary>The PIN's PBKDF2 verifier (computed once: about a second on the device).</summary>
        public static string PinHash()
        {
            if (_pinHash == null) _pinHash = PinVerifier.Hash(PinSalt, Pin, PinVerifier.Iterations);
            return _pinHash;
        }

        /// <summary>The reference hub; the console PIN is 2468; commands are signed with <see cref="CommandKeyHex"/>.</summary>
        public static string ConfigJson()
        {
            return "{\"version\":1,\"hubId\":\"hub-nano\",\"location\":\"350102-009-0001\",\"utcOffsetMinutes\":480," +
                "\"broker\":{\"host\":\"127.0.0.1\",\"port\":1883,\"tls\":false,\"insecureForTesting\":true}," +
                "\"security\":{\"commandKeyFile\":\"I:\\\\command-key\"}," +
                "\"inputs\":[{\"id\":\"sos\",\"kind\":\"sos\",\"pin\":25},{\"id\":\"ok\",\"kind\":\"ok\",\"pin\":26}," +
                "{\"id\":\"door\",\"kind\":\"door\",\"pin\":27,\"activeLow\":false,\"supervisionHours\":0}," +
                "{\"id\":\"pir\",\"kind\":\"motion\",\"pin\":34,\"activeLow\":false,\"supervisionHours\":0}]," +
                "\"sensors\":[],\"indicators\":{\"ledPin\":2,\"buzzerPin\":4}," +
                "\"inactivity\":{\"learn\":false,\"ceilingMinutes\":60,\"promptMinutes\":5}," +
                "\"console\":{\"pinKdf\":\"" + PinVerifier.Kdf + "\",\"pinIterations\":" + PinVerifier.Iterations.ToString() +
                ",\"pinSalt\":\"" + PinSalt + "\",\"pinHash\":\"" + PinHash() + "\"}}";
        }

        /// <summary>A command as the call centre sends it: <paramref name="body"/> (without its closing brace) + issuedAt, signed with the hub's key.</summary>
        public static byte[] Signed(Hub hub, string bodyWithoutClosingBrace, long issuedAtMs)
        {
            byte[] body = Utf8.Encode(bodyWithoutClosingBrace + ",\"issuedAt\":" + issuedAtMs.ToString() + "}");
            byte[] keyText = Utf8.Encode(CommandKeyHex);
            byte[] key = HexBytes.Decode(keyText, 0, keyText.Length);
            return CommandSignature.Sign(new HmacSha256(key), hub.Config.HubId, body, body.Length);
        }

        public static void JsonRoundTripsNumbersEscapesAndNonAscii()
        {
            string text = "quote\" backslash\\ newline\n tab\t ctrl\u0001 平安通 ✓ \uD83D\uDE00";
            JsonWriter w = new JsonWriter(64);
            w.BeginObject();
            w.Property("zero", 0L);
            w.Property("negative", -1L);
            w.Property("max", long.MaxValue);
            w.Property("min", long.MinValue);
            w.Name("fixed");
            w.Fixed(-215, 1);
            w.Property("text", text);
            w.Property("yes", true);
            w.Name("none");
            w.Null();
            w.EndObject();
            JsonNode root = JsonReader.Parse(w.Buffer, 0, w.Length);
            Check.Equal(0, root.Get("zero").IntegerValue, "zero");
            Check.Equal(-1, root.Get("negative").IntegerValue, "negative");
            Check.Equal(long.MaxValue, root.Get("max").IntegerValue, "long.MaxValue");
            Check.Equal(long.MinValue, root.Get("min").IntegerValue, "long.MinValue");
            Check.That(!root.Get("fixed").IsInteger && root.Get("fixed").NumberValue < -21.49 && root.Get("fixed").NumberValue > -21.51, "fixed -21.5");
            Check.Equal(text, root.Get("text").StringValue, "escaped and non-ASCII text");
            Check.That(root.Get("yes").BoolValue, "true");
            Check.That(root.Get("none").Kind == JsonKind.Null, "null");
            Check.Equal(text, Utf8.Decode(Utf8.Encode(text), 0, Utf8.Encode(text).Length), "UTF-8 codec");

            bool refused = false;
            try
            {
                byte[] bad = Utf8.Encode("{\"a\": [1, 2,]}");
                JsonReader.Parse(bad, 0, bad.Length);
            }
            catch (JsonException e)
            {
                refused = e.Message.IndexOf("$.a") >= 0;
            }
            Check.That(refused, "malformed JSON refused with its path");
        }

        public static void OutboxRecoversFromAPowerCutDuringAnAppend()
        {
            RamStore store = new RamStore();
            Outbox box = new Outbox(store, "outbox", 64 * 1024, 100);
            box.Recover();
            byte[] body = Utf8.Encode("{\"kind\":\"sos\"}");
            box.Append(Channel.Event, EventClass.Alarm, 0, 1, "a-1", "sos", 10, -1, body, body.Length);
            box.Append(Channel.Event, EventClass.Info, 9, 2, "a-2", null, 20, -1, body, body.Length);
            store.TearNextAppendAt = 7; // the power fails 7 bytes into the third record
            try
            {
                box.Append(Channel.Event, EventClass.Alarm, 0, 3, "a-3", "smoke", 30, -1, body, body.Length);
            }
            catch (StorageException)
            {
            }

            Outbox after = new Outbox(store, "outbox", 64 * 1024, 100); // reboot on the same flash
            after.Recover();
            Check.Equal(2, after.Count, "entries after the cut");
            Check.Equal("a-1", ((OutboxEntry)after.Entries[0]).Id, "first entry");
            Check.That(((OutboxEntry)after.Entries[0]).FromPreviousBoot, "marked as from before the reboot");
            after.Append(Channel.Event, EventClass.Alarm, 0, 4, "a-4", "sos", 40, -1, body, body.Length);
            Outbox again = new Outbox(store, "outbox", 64 * 1024, 100);
            again.Recover();
            Check.Equal(3, again.Count, "entries after writing past the torn tail");
        }

        /// <summary>A hub on fakes, connected, wall clock known.</summary>
        public static Hub NewHub(ManualClock clock, RamStore store, LoopbackTransport transport, LastIndication indicator)
        {
            HubConfig config = ConfigParser.Parse(Utf8.Encode(ConfigJson()));
            Hub hub = new Hub(config, clock, store, transport, new QuietSensors(), indicator, new StubHost());
            transport.Link = hub.LinkEvents;
            hub.FieldConsole = new ConsoleInterpreter(hub, new FixedConsoleHost());
            if (hub.StoredConfigJson() == null) hub.ImportConfigFile(Utf8.Encode(ConfigJson()), "test");
            hub.Start();
            hub.PostPinEdge(0, true, clock.UptimeMs);  // SOS at rest (active low)
            hub.PostPinEdge(1, true, clock.UptimeMs);  // OK at rest
            hub.PostPinEdge(2, false, clock.UptimeMs); // door shut
            hub.PostPinEdge(3, false, clock.UptimeMs); // no motion
            Run(hub, clock, 6000, 100);
            return hub;
        }

        public static void Run(Hub hub, ManualClock clock, long ms, long step)
        {
            for (long t = 0; t < ms; t += step)
            {
                clock.UptimeMs += step;
                hub.RunOnce();
            }
        }

        public static void AlarmLifecycleFromButtonToHelpComing()
        {
            ManualClock clock = new ManualClock();
            clock.UtcAtBootMs = 1780000000000L;
            LoopbackTransport transport = new LoopbackTransport();
            LastIndication indicator = new LastIndication();
            Hub hub = NewHub(clock, new RamStore(), transport, indicator);
            Check.Equal(ConnectionManagerConnected(), hub.Link.State, "connected");

            hub.PostPinEdge(0, false, clock.UptimeMs); // press SOS (active low)
            Run(hub, clock, 300, 10);
            hub.PostPinEdge(0, true, clock.UptimeMs);
            Run(hub, clock, 500, 10);
            Check.That(transport.Published("\"kind\":\"sos\"", "\"state\":\"raised\""), "sos raised was published");
            Check.Equal(Indication.Delivered, indicator.Current, "delivered indication");
            Alarm alarm = hub.Alarms.NewestOpen();
            Check.That(alarm != null, "an open alarm");

            string ack = "{\"id\":\"c-1\",\"cmd\":\"ack\",\"alarmId\":\"" + alarm.Id + "\"";
            hub.LinkEvents.Message(hub.Topics.For(Channel.Command), Utf8.Encode(ack + "}"), false);
            Run(hub, clock, 200, 10);
            Check.That(transport.Published("\"commandId\":\"c-1\"", "\"status\":9"), "an unsigned ack is refused (status 9)");
            Check.Equal(Indication.Delivered, indicator.Current, "still delivered, not help-coming");
            hub.LinkEvents.Message(hub.Topics.For(Channel.Command), Signed(hub, ack, clock.UtcMs), false);
            Run(hub, clock, 200, 10);
            Check.Equal(Indication.HelpComing, indicator.Current, "help is coming after the centre's ack");
            Check.That(transport.Published("\"commandId\":\"c-1\"", "\"status\":0"), "ack replied with status 0");
        }

        public static void InactivityOnAShortDayPromptsThenAlarms()
        {
            ManualClock clock = new ManualClock();
            clock.UtcAtBootMs = 1780000000000L;
            LoopbackTransport transport = new LoopbackTransport();
            LastIndication indicator = new LastIndication();
            Hub hub = NewHub(clock, new RamStore(), transport, indicator);
            hub.PostPinEdge(3, true, clock.UptimeMs); // motion in the hall
            Run(hub, clock, 500, 100);
            hub.PostPinEdge(3, false, clock.UptimeMs);
            // Ceiling 60 min, prompt 5 min: the prompt starts at 55 min so that the alarm leaves by the ceiling.
            Run(hub, clock, 54L * 60000, 10000);
            Check.That(!transport.Published("\"kind\":\"inactivity\"", "\"state\":\"prompted\""), "no prompt before the ceiling less the prompt");
            Run(hub, clock, 2L * 60000, 10000);
            Check.That(transport.Published("\"kind\":\"inactivity\"", "\"state\":\"prompted\""), "prompt at the ceiling less the prompt");
            Check.Equal(Indication.Prompt, indicator.Current, "are-you-OK pattern");
            Run(hub, clock, 6L * 60000, 10000);
            Check.That(transport.Published("\"kind\":\"inactivity\"", "\"state\":\"raised\""), "unanswered prompt raises the alarm");
        }

        public static void ConsoleNeedsThePinAndAppliesValidatedConfig()
        {
            ManualClock clock = new ManualClock();
            LoopbackTransport transport = new LoopbackTransport();
            Hub hub = NewHub(clock, new RamStore(), transport, new LastIndication());
            LinesOutput o = new LinesOutput();
            hub.FieldConsole.Execute("status", o);
            Check.Contains("hub hub-nano at 350102-009-0001", o.Text, "status");
            Check.Contains("clock NOT synced", o.Text, "status clock");

            o = new LinesOutput();
            hub.FieldConsole.Execute("config set heartbeatMinutes 9", o);
            Check.Contains("unlock PIN first", o.Text, "locked");
            hub.FieldConsole.Execute("unlock 1111", o);
            Check.Contains("wrong PIN", o.Text, "wrong PIN");
            o = new LinesOutput();
            hub.FieldConsole.Execute("unlock " + Pin, o);
            Check.Contains("wait", o.Text, "the next PIN is checked only after a pause");
            clock.UptimeMs += 2000;
            o = new LinesOutput();
            hub.FieldConsole.Execute("unlock " + Pin, o);
            Check.Contains("unlocked for 10 min", o.Text, "unlock");
            hub.FieldConsole.Execute("config set heartbeatMinutes 9", o);
            hub.FieldConsole.Execute("config apply", o);
            Check.Contains("applied config version 2", o.Text, "apply");
            Check.Equal(9, hub.Config.HeartbeatMinutes, "heartbeat applied");

            o = new LinesOutput();
            hub.FieldConsole.Execute("config set heartbeatMinutes 0", o);
            hub.FieldConsole.Execute("config apply", o);
            Check.Contains("$.heartbeatMinutes", o.Text, "refusal names the field");
            Check.Equal(9, hub.Config.HeartbeatMinutes, "running config kept");
            hub.FieldConsole.Execute("config show", o);
            Check.That(o.Text.IndexOf(PinHash()) < 0 && o.Text.IndexOf(PinSalt) < 0, "PIN hash and salt masked");
            hub.FieldConsole.Execute("nonsense", o);
            Check.Contains("error: unknown command", o.Text, "unknown command");

            // console.language zh-CN: the replies in Chinese (UTF-8 literals on the device), the error: prefix kept.
            o = new LinesOutput();
            hub.FieldConsole.Execute("config discard", o);
            hub.FieldConsole.Execute("config set console.language zh-CN", o);
            hub.FieldConsole.Execute("config apply", o);
            Check.Contains("已生效配置版本 3", o.Text, "apply answers in the new language");
            Check.Equal("zh-CN", hub.Config.ConsoleLanguage, "language applied");
            hub.FieldConsole.Execute("lock", o);
            Check.Contains("已上锁", o.Text, "lock in Chinese");
            hub.FieldConsole.Execute("nonsense", o);
            Check.Contains("error: 未知命令 \"nonsense\"", o.Text, "unknown command in Chinese");
        }

        private static int ConnectionManagerConnected()
        {
            return PingAnTong.Edge.Core.Net.ConnectionManager.Connected;
        }
    }
}
