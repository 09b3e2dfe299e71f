using PingAnTong.Edge.SharedTests;
using Xunit;

namespace PingAnTong.Edge.Tests;

/// <summary>
/// The scenarios of the on-device NFUnitTest project (tests/PingAnTong.Edge.Core.NanoTests), run on .NET
/// as well: the same code, so a scenario that is wrong fails here before anyone reaches a board.
/// </summary>
public class SharedScenarioTests
{
    [Fact] public void Json_round_trips_numbers_escapes_and_non_ascii() => CoreScenarios.JsonRoundTripsNumbersEscapesAndNonAscii();

    [Fact] public void Outbox_recovers_from_a_power_cut_during_an_append() => CoreScenarios.OutboxRecoversFromAPowerCutDuringAnAppend();

    [Fact] public void Alarm_lifecycle_from_button_to_help_coming() => CoreScenarios.AlarmLifecycleFromButtonToHelpComing();

    [Fact] public void Inactivity_on_a_short_day_prompts_then_alarms() => CoreScenarios.InactivityOnAShortDayPromptsThenAlarms();

    [Fact] public void Console_needs_the_pin_and_applies_validated_config() => CoreScenarios.ConsoleNeedsThePinAndAppliesValidatedConfig();

    [Fact]
    public void A_failed_check_throws_with_its_message()
    {
        var e = Assert.Throws<Exception>(() => Check.Equal(1, 2, "deliberately wrong"));
        Assert.Equal("check failed: deliberately wrong: expected 1, got 2", e.Message);
    }
}
