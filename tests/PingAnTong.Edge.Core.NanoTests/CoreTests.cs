using nanoFramework.TestFramework;
using PingAnTong.Edge.SharedTests;

namespace NFUnitTest
{
    /// <summary>
    /// The core on the nanoFramework interpreter (virtual device in the Windows workflow, or a real ESP32
    /// with IsRealHardware=True). Each test runs a scenario shared with the xunit suite; a failed check
    /// throws, which the launcher reports as a failed test with the check's message.
    /// </summary>
    [TestClass]
    public class CoreTests
    {
        [TestMethod]
        public void Json_round_trips_numbers_escapes_and_non_ascii()
        {
            CoreScenarios.JsonRoundTripsNumbersEscapesAndNonAscii();
        }

        [TestMethod]
        public void Outbox_recovers_from_a_power_cut_during_an_append()
        {
            CoreScenarios.OutboxRecoversFromAPowerCutDuringAnAppend();
        }

        [TestMethod]
        public void Alarm_lifecycle_from_button_to_help_coming()
        {
            CoreScenarios.AlarmLifecycleFromButtonToHelpComing();
        }

        [TestMethod]
        public void Inactivity_on_a_short_day_prompts_then_alarms()
        {
            CoreScenarios.InactivityOnAShortDayPromptsThenAlarms();
        }

        [TestMethod]
        public void Console_needs_the_pin_and_applies_validated_config()
        {
            CoreScenarios.ConsoleNeedsThePinAndAppliesValidatedConfig();
        }

        [TestMethod]
        [DataRow(215, 1, "21.5")]
        [DataRow(-5, 1, "-0.5")]
        [DataRow(1000, 0, "1000")]
        public void Integer_formatting_matches_dotnet(int scaled, int decimals, string expected)
        {
            Assert.AreEqual(expected, PingAnTong.Edge.Core.Field.ConsoleFormat.Fixed(scaled, decimals));
        }

        [TestMethod]
        public void A_failed_check_throws()
        {
            Assert.ThrowsException(typeof(System.Exception), () => Check.Equal(1, 2, "deliberately wrong"));
        }
    }
}
