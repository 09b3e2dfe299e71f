namespace PingAnTong.Edge.Core.Inputs
{
    /// <summary>What a digital input is wired to. Byte constants plus a name table (config and payloads use the names).</summary>
    public static class InputKind
    {
        public const byte Sos = 0;
        public const byte Ok = 1;
        public const byte Door = 2;
        public const byte Motion = 3;
        public const byte Smoke = 4;
        public const byte Mains = 5;
        public const byte BatteryLow = 6;
        public const byte Contact = 7;
        /// <summary>A household gas alarm certified to GB 15322.2 with a relay output, wired like the smoke detector: active = gas detected.</summary>
        public const byte Gas = 8;
        /// <summary>A bed occupancy mat (pressure mat or contact under the mattress): active = occupied, the resident is in bed.</summary>
        public const byte Bed = 9;
        /// <summary>A chair occupancy mat (pressure mat or contact under the seat): active = occupied, the resident is sitting.</summary>
        public const byte Chair = 10;
        public const byte Unknown = 255;

        private static readonly string[] Names = { "sos", "ok", "door", "motion", "smoke", "mains", "battery_low", "contact", "gas", "bed", "chair" };

        public static string Name(byte kind)
        {
            return kind < Names.Length ? Names[kind] : "unknown";
        }

        public static byte Parse(string name)
        {
            for (int i = 0; i < Names.Length; i++)
            {
                if (Names[i] == name) return (byte)i;
            }
            return Unknown;
        }

        public static string AllNames()
        {
            string s = "";
            for (int i = 0; i < Names.Length; i++) s += (i == 0 ? "" : ", ") + Names[i];
            return s;
        }

        /// <summary>Safety detectors whose alarm goes to the front of the queue (life-safety inputs).</summary>
        public static bool IsUrgent(byte kind)
        {
            return kind == Sos || kind == Smoke || kind == Gas;
        }

        /// <summary>Inputs whose activity is evidence that someone is at home and moving.</summary>
        public static bool IsActivity(byte kind)
        {
            return kind == Motion || kind == Door || kind == Contact || kind == Sos || kind == Ok || kind == Bed || kind == Chair;
        }

        /// <summary>Occupancy mats: both edges are activity (getting in and getting out).</summary>
        public static bool IsOccupancy(byte kind)
        {
            return kind == Bed || kind == Chair;
        }

        /// <summary>Activity sensors whose health decides whether silence means anything (not the buttons).</summary>
        public static bool IsActivitySensor(byte kind)
        {
            return kind == Motion || kind == Door || kind == Contact || kind == Bed || kind == Chair;
        }
    }
}
