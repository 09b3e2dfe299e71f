extern alias device;
using device::PingAnTong.Edge.NanoFacades;

namespace PingAnTong.Edge.DeviceTests;

/// <summary>Base of every test here: a fresh virtual ESP32 (erased flash, time 0) for each test.</summary>
public abstract class DeviceTest
{
    protected DeviceTest()
    {
        VirtualEsp32.Reset();
    }

    protected static string RepoRoot => PingAnTong.Edge.Tests.Paths.RepoRoot;

    /// <summary>Waits (real time) for something a device thread does (a GPIO handler, a timer tick of an adapter).</summary>
    protected static bool Eventually(Func<bool> condition, int timeoutMs = 3000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            Thread.Sleep(10);
        }
        return condition();
    }

    /// <summary>Asserts that <paramref name="condition"/> stays false for <paramref name="ms"/> of real time (for device timers that must NOT act).</summary>
    protected static bool Stays(Func<bool> condition, int ms = 300)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(ms);
        while (DateTime.UtcNow < deadline)
        {
            if (!condition()) return false;
            Thread.Sleep(10);
        }
        return condition();
    }
}
