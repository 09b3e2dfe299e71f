namespace PingAnTong.Edge.Core.Config
{
    /// <summary>Settings of the inactivity detector, away detection and the night-door alert (config member <c>inactivity</c>).</summary>
    public sealed class InactivityConfig
    {
        public bool Enabled;

        /// <summary>Learn the home's time-of-day profile; false = a fixed timer at <see cref="CeilingMinutes"/> (telecare style).</summary>
        public bool Learn;

        /// <summary>Longest time to alarm: the default until the profile is learned, and the cap after (telecare units: 30 min - 48 h).</summary>
        public int CeilingMinutes;

        /// <summary>Shortest time to alarm, however active the home usually is at that time of day.</summary>
        public int FloorMinutes;

        /// <summary>1 (fewest alarms) .. 5 (fastest): how far above the learned normal the alarm line sits.</summary>
        public int Sensitivity;

        /// <summary>The local "are you OK?" prompt before an inactivity alarm leaves the hub (0 = none).</summary>
        public int PromptMinutes;

        /// <summary>A door event not followed by indoor activity within this time means the resident went out.</summary>
        public int AwayConfirmMinutes;

        /// <summary>Night window (minutes after local midnight) for the night-door alert.</summary>
        public int NightStartMinute;
        public int NightEndMinute;

        /// <summary>
        /// "Usually up by": the latest local time (minutes after midnight) by which a resident at home who has not
        /// been active since the night gets the prompt, then the alarm; the learned usual first activity plus
        /// <see cref="UpByMarginMinutes"/> is used when earlier. -1 = off.
        /// </summary>
        public int UpByLatestMinute;

        /// <summary>Margin after the latest usual first activity of the morning (kept days) before "usually up by" applies.</summary>
        public int UpByMarginMinutes;

        /// <summary>
        /// Away inferred from the door (no away key, no command) for longer than this, door to alarm with the prompt
        /// included → prompt → inactivity alarm, once per absence (0 = off: an inferred absence pauses the clock
        /// without a bound). The away key and the backend's away command are not bounded by it.
        /// </summary>
        public int AwayLimitMinutes;

        /// <summary>Door opened at night and no return within this time → door_night alarm (0 = off).</summary>
        public int NightDoorMinutes;
    }
}
