namespace PingAnTong.Edge.Core.Alarms
{
    /// <summary>
    /// The LED/buzzer pattern of each <see cref="Indication"/>: on and off times in ms, repeating.
    /// One table for the device and the simulator; also printed in the field-debugging guide.
    /// </summary>
    public static class IndicationPattern
    {
        /// <summary>LED on ms, LED off ms, buzzer on ms, buzzer off ms (0/0 = off, x/0 = steady).</summary>
        private static readonly int[][] Table =
        {
            new int[] { 50, 4950, 0, 0 },      // idle: short blink every 5 s (alive)
            new int[] { 200, 1800, 0, 0 },     // fault: slow blink, silent
            new int[] { 500, 500, 100, 4900 }, // notice: blink, a chirp every 5 s until OK
            new int[] { 250, 250, 250, 250 },  // prompt: "are you OK?" fast beeps
            new int[] { 1, 0, 0, 0 },          // help coming: steady LED, silent
            new int[] { 1000, 1000, 100, 1900 },// delivered: 1 Hz blink, short beep every 2 s
            new int[] { 150, 150, 150, 850 },  // raised: fast blink, beep each second
            new int[] { 100, 100, 700, 300 }   // not delivered: very fast blink, long beeps
        };

        public static int LedOnMs(int indication) { return Table[indication][0]; }

        public static int LedOffMs(int indication) { return Table[indication][1]; }

        public static int BuzzerOnMs(int indication) { return Table[indication][2]; }

        public static int BuzzerOffMs(int indication) { return Table[indication][3]; }

        public static int Count { get { return Table.Length; } }

        /// <summary>Whether the LED is lit <paramref name="elapsedMs"/> after the pattern started.</summary>
        public static bool LedOn(int indication, long elapsedMs)
        {
            return Phase(Table[indication][0], Table[indication][1], elapsedMs);
        }

        /// <summary>Whether the buzzer sounds <paramref name="elapsedMs"/> after the pattern started.</summary>
        public static bool BuzzerOn(int indication, long elapsedMs)
        {
            return Phase(Table[indication][2], Table[indication][3], elapsedMs);
        }

        private static bool Phase(int onMs, int offMs, long elapsedMs)
        {
            if (onMs <= 0) return false;
            if (offMs <= 0) return true;
            return elapsedMs % (onMs + offMs) < onMs;
        }
    }
}
