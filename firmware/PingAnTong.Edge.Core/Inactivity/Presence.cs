namespace PingAnTong.Edge.Core.Inactivity
{
    /// <summary>Whether the resident is believed to be at home.</summary>
    public static class Presence
    {
        public const int Home = 0;

        /// <summary>Went out: the door opened and no indoor activity followed (or the away key / command).</summary>
        public const int Away = 1;

        /// <summary>Maybe home: the door while away (a return not yet confirmed by indoor activity), or a single indoor firing during an absence without a door event (maybe a stray).</summary>
        public const int Uncertain = 2;

        public static string Name(int presence)
        {
            return presence == Away ? "away" : presence == Uncertain ? "uncertain" : "home";
        }
    }
}
