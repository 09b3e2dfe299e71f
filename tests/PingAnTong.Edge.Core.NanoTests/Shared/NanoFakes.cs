using System;
using System.Collections;
using PingAnTong.Edge.Core;
using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Field;
using PingAnTong.Edge.Core.Net;
using PingAnTong.Edge.Core.Storage;

namespace PingAnTong.Edge.SharedTests
{
    /// <summary>
    /// Test doubles written in the nanoFramework 1.x subset, so the same scenarios run under xunit on
    /// .NET (tests/PingAnTong.Edge.Tests/SharedScenarioTests.cs) and under nanoFramework.TestFramework on
    /// the virtual device or a real ESP32 (tests/PingAnTong.Edge.Core.NanoTests).
    /// </summary>
    public static class Check
    {
        public static void That(bool condition, string what)
        {
            if (!condition) throw new Exception("check failed: " + what);
        }

        public static void Equal(long expected, long actual, string what)
        {
            if (expected != actual) throw new Exception("check failed: " + what + ": expected " + expected.ToString() + ", got " + actual.ToString());
        }

        public static void Equal(string expected, string actual, string what)
        {
            if (expected != actual) throw new Exception("check failed: " + what + ": expected \"" + expected + "\", got \"" + (actual == null ? "null" : actual) + "\"");
        }

        public static void Contains(string needle, string haystack, string what)
        {
            if (haystack == null || haystack.IndexOf(needle) < 0) throw new Exception("check failed: " + what + ": \"" + needle + "\" not in \"" + haystack + "\"");
        }
    }

    public sealed class ManualClock : IClock
    {
        public long UptimeMs { get; set; }
        public long UtcAtBootMs = -1;
        public long UtcMs { get { return UtcAtBootMs < 0 ? -1 : UtcAtBootMs + UptimeMs; } }
    }

    /// <summary>Files in RAM with torn writes on demand (a power cut keeps only the first bytes of an append).</summary>
    public sealed class RamStore : IDurableStore
    {
        private readonly ArrayList _names = new ArrayList();
        private readonly ArrayList _data = new ArrayList();

        /// <summary>When ≥ 0, the next append keeps only this many bytes and then the "power" fails.</summary>
        public int TearNextAppendAt = -1;

        public int GetLength(string name)
        {
            int i = _names.IndexOf(name);
            return i < 0 ? -1 : ((byte[])_data[i]).Length;
        }

        public int Read(string name, int position, byte[] buffer, int offset, int count)
        {
            int i = _names.IndexOf(name);
            if (i < 0) return 0;
            byte[] d = (byte[])_data[i];
            int n = d.Length - position;
            if (n > count) n = count;
            if (n <= 0) return 0;
            Array.Copy(d, position, buffer, offset, n);
            return n;
        }

        public void Append(string name, byte[] data, int offset, int count)
        {
            int keep = count;
            bool tear = TearNextAppendAt >= 0;
            if (tear && TearNextAppendAt < count) keep = TearNextAppendAt;
            int i = _names.IndexOf(name);
            byte[] old = i < 0 ? new byte[0] : (byte[])_data[i];
            byte[] grown = new byte[old.Length + keep];
            Array.Copy(old, grown, old.Length);
            Array.Copy(data, offset, grown, old.Length, keep);
            if (i < 0) { _names.Add(name); _data.Add(grown); } else _data[i] = grown;
            if (tear)
            {
                TearNextAppendAt = -1;
                throw new StorageException("power cut during append to " + name);
            }
        }

        public void Delete(string name)
        {
            int i = _names.IndexOf(name);
            if (i < 0) return;
            _names.RemoveAt(i);
            _data.RemoveAt(i);
        }
    }

    /// <summary>Accepts connects and publishes; acknowledges everything through the hub's queue.</summary>
    public sealed class LoopbackTransport : IMessageTransport
    {
        public LinkEvents Link;
        private int _generation;
        public ArrayList Topics = new ArrayList();
        public ArrayList Payloads = new ArrayList();

        public void Connect(ConnectRequest request)
        {
            _generation = request.Generation;
            Link.Connected(_generation);
        }

        public void Disconnect()
        {
        }

        public bool Publish(string topic, byte[] payload, int length, bool retain, int token)
        {
            Topics.Add(topic);
            Payloads.Add(PingAnTong.Edge.Core.Json.Utf8.Decode(payload, 0, length));
            if (token != 0) Link.PublishAcked(_generation, token);
            return true;
        }

        /// <summary>True when some published payload contains all the given fragments.</summary>
        public bool Published(string a, string b)
        {
            for (int i = 0; i < Payloads.Count; i++)
            {
                string p = (string)Payloads[i];
                if (p.IndexOf(a) >= 0 && p.IndexOf(b) >= 0) return true;
            }
            return false;
        }
    }

    public sealed class QuietSensors : PingAnTong.Edge.Core.Inputs.ISensorReader
    {
        public int Read(SensorConfig sensor, out int value)
        {
            value = sensor.Kind == "gas" ? 10 : 215;
            return PingAnTong.Edge.Core.Inputs.SensorStatus.Ok;
        }
    }

    public sealed class LastIndication : IIndicator
    {
        public int Current = -1;

        public void Show(int indication)
        {
            Current = indication;
        }
    }

    public sealed class StubHost : IHostServices
    {
        public int Reboots;
        public string FirmwareVersion { get { return "test"; } }
        public string ResetReason { get { return "power_on"; } }
        public long FreeMemoryBytes { get { return -1; } }
        public int WifiRssi { get { return 0; } }
        public void Reboot() { Reboots++; }

        /// <summary>The command key file as deployed (<see cref="CoreScenarios.CommandKeyFile"/>).</summary>
        public byte[] ReadSecretFile(string path)
        {
            if (path != CoreScenarios.CommandKeyFile) return null;
            return PingAnTong.Edge.Core.Json.Utf8.Encode(CoreScenarios.CommandKeyHex);
        }
    }

    public sealed class LinesOutput : IConsoleOutput
    {
        public ArrayList Lines = new ArrayList();
        public void WriteLine(string line) { Lines.Add(line); }
        public void Done() { }

        public string Text
        {
            get
            {
                string s = "";
                for (int i = 0; i < Lines.Count; i++) s += (string)Lines[i] + "\n";
                return s;
            }
        }
    }

    public sealed class FixedConsoleHost : IConsoleHost
    {
        public string NetworkStatus { get { return "test network"; } }
        public bool SafeMode { get { return false; } }
        public string SafeModeReason { get { return null; } }
    }
}
