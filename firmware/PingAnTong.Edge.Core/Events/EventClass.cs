namespace PingAnTong.Edge.Core.Events
{
    /// <summary>The <c>class</c> of an event in the contract. Byte constants with an explicit name table,
    /// because Enum.ToString prints the number on nanoFramework.</summary>
    public static class EventClass
    {
        public const byte Alarm = 0;
        public const byte Fault = 1;
        public const byte Info = 2;
        public const byte Test = 3;

        public static string Name(byte value)
        {
            switch (value)
            {
                case Alarm: return "alarm";
                case Fault: return "fault";
                case Info: return "info";
                default: return "test";
            }
        }
    }
}
