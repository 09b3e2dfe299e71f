namespace PingAnTong.Edge.Core.Alarms
{
    /// <summary>
    /// What the LED and buzzer tell the elder, most important last. EN 50134-3 asks for distinct
    /// local indications for "alarm raised" and "alarm acknowledged"; "not delivered" tells the
    /// elder to use the phone instead.
    /// </summary>
    public static class Indication
    {
        public const int Idle = 0;
        public const int Fault = 1;
        public const int Notice = 2;
        public const int Prompt = 3;
        public const int HelpComing = 4;
        public const int Delivered = 5;
        public const int Raised = 6;
        public const int NotDelivered = 7;

        private static readonly string[] Names = { "idle", "fault", "notice", "prompt", "help_coming", "delivered", "raised", "not_delivered" };

        public static string Name(int indication)
        {
            return indication >= 0 && indication < Names.Length ? Names[indication] : "unknown";
        }
    }
}
