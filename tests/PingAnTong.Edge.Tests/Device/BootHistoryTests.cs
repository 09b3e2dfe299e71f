using PingAnTong.Edge.Core.Device;
using PingAnTong.Edge.Fakes;
using Xunit;

namespace PingAnTong.Edge.Tests.Device;

public class BootHistoryTests
{
    private static BootHistory Boot(MemoryStore store)
    {
        var h = new BootHistory(store);
        h.Begin();
        return h;
    }

    [Fact]
    public void First_boot_is_power_on_and_not_safe_mode()
    {
        var h = Boot(new MemoryStore());
        Assert.Equal("power_on", h.ResetReason);
        Assert.False(h.SafeMode);
        Assert.Equal(0, h.CrashStreak);
    }

    [Fact]
    public void Five_crash_boots_in_a_row_enter_safe_mode_and_only_a_deliberate_reboot_leaves_it()
    {
        var store = new MemoryStore();
        Boot(store).MarkStable();
        Assert.Equal("power_on", Boot(store).ResetReason); // this boot will crash before it becomes stable
        string[] expected = { "unknown", "unknown", "watchdog", "unknown" };
        for (int i = 0; i < 4; i++)
        {
            var h = Boot(store);
            Assert.Equal(expected[i], h.ResetReason);
            Assert.Equal(i + 1, h.CrashStreak);
            Assert.False(h.SafeMode, $"crash boot {i + 1}");
            if (i == 1) h.RecordReboot("watchdog");
        }
        var fifth = Boot(store);
        Assert.True(fifth.SafeMode);
        Assert.Equal(5, fifth.CrashStreak);

        fifth.MarkStable(); // running fine in safe mode does not silently leave it
        var sixth = Boot(store);
        Assert.Equal("power_on", sixth.ResetReason);
        Assert.True(sixth.SafeMode);

        sixth.RecordReboot("software"); // technician or backend reboots on purpose
        var seventh = Boot(store);
        Assert.Equal("software", seventh.ResetReason);
        Assert.False(seventh.SafeMode);
        Assert.Equal(0, seventh.CrashStreak);
    }

    [Fact]
    public void Stable_boots_and_deliberate_reboots_reset_the_streak()
    {
        var store = new MemoryStore();
        Boot(store);
        Boot(store);
        var h = Boot(store);
        Assert.Equal(2, h.CrashStreak);
        h.MarkStable();
        h = Boot(store);
        Assert.Equal(0, h.CrashStreak);
        Assert.Equal("power_on", h.ResetReason);
        h.RecordReboot("software");
        Assert.Equal("software", Boot(store).ResetReason);
    }

    [Fact]
    public void Damaged_history_is_detected_and_the_hub_still_boots()
    {
        var store = new MemoryStore();
        Boot(store).MarkStable();
        foreach (var name in store.Names.ToList()) store.Corrupt(name, 3);
        var h = Boot(store);
        Assert.True(h.FoundDamage);
        Assert.False(h.SafeMode);
    }
}
