using PingAnTong.Edge.Core.Config;
using PingAnTong.Edge.Core.Inputs;
using Xunit;

namespace PingAnTong.Edge.Tests.Inputs;

public class DigitalInputTests
{
    private static InputConfig Button(bool activeLow = true) => new()
    {
        Id = "sos", Kind = InputKind.Sos, Pin = 25, ActiveLow = activeLow, DebounceMs = 30, ChatterEdges = 10, ChatterWindowMs = 10_000
    };

    [Fact]
    public void Bounces_shorter_than_the_debounce_time_are_ignored()
    {
        var input = new DigitalInput(Button(), true, 0);
        input.OnRawLevel(false, 100);
        input.OnRawLevel(true, 110);
        input.OnRawLevel(false, 115);
        Assert.Equal(DigitalInput.NoChange, input.Tick(140));
        Assert.Equal(DigitalInput.BecameActive, input.Tick(145));
        Assert.True(input.IsActive);
        Assert.Equal(115, input.ActiveSinceMs);
    }

    [Fact]
    public void Glitch_that_returns_to_the_resting_level_produces_no_change()
    {
        var input = new DigitalInput(Button(), true, 0);
        input.OnRawLevel(false, 100);
        input.OnRawLevel(true, 105);
        Assert.Equal(DigitalInput.NoChange, input.Tick(200));
        Assert.False(input.IsActive);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Active_level_follows_the_wiring(bool activeLow, bool activeRaw)
    {
        var input = new DigitalInput(Button(activeLow), !activeRaw, 0);
        input.OnRawLevel(activeRaw, 0);
        Assert.Equal(DigitalInput.BecameActive, input.Tick(50));
    }

    [Fact]
    public void Chatter_marks_the_input_faulty_suppresses_it_and_recovers_after_a_quiet_window()
    {
        var input = new DigitalInput(Button(), true, 0);
        bool level = true;
        for (int t = 0; t < 12; t++) { level = !level; input.OnRawLevel(level, t * 50); }
        input.Tick(600);
        while (input.NextChange() != DigitalInput.NoChange) { } // changes that settled before the chatter was seen
        Assert.True(input.IsChattering);
        Assert.True(input.ChatterChanged);
        Assert.False(input.IsHealthy);
        input.OnRawLevel(!level, 700);
        Assert.Equal(DigitalInput.NoChange, input.Tick(800)); // suppressed while chattering
        input.Tick(11_000);
        Assert.False(input.IsChattering);
        Assert.True(input.ChatterChanged);
    }
}
