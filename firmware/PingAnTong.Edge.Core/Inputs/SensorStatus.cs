namespace PingAnTong.Edge.Core.Inputs
{
    /// <summary>Result of one sensor read. Anything but <see cref="Ok"/> is a failure: the value is not used.</summary>
    public static class SensorStatus
    {
        public const int Ok = 0;
        public const int NoAnswer = 1;
        public const int ChecksumError = 2;
        public const int OutOfRange = 3;
        public const int BusError = 4;

        public static string Name(int status)
        {
            switch (status)
            {
                case Ok: return "ok";
                case NoAnswer: return "no_answer";
                case ChecksumError: return "checksum_error";
                case OutOfRange: return "out_of_range";
                default: return "bus_error";
            }
        }
    }
}
