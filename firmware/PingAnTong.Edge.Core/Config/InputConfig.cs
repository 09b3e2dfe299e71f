namespace PingAnTong.Edge.Core.Config
{
    /// <summary>One digital input: which pin, what it is, how it is wired and debounced.</summary>
    public sealed class InputConfig
    {
        public string Id;
        public byte Kind;
        public int Pin;

        /// <summary>True when the input reads low while active (button to ground with a pull-up).</summary>
        public bool ActiveLow;
        public int DebounceMs;

        /// <summary>Raw edges within <see cref="ChatterWindowMs"/> above which the input is reported faulty.</summary>
        public int ChatterEdges;
        public int ChatterWindowMs;

        /// <summary>An activity sensor silent for this long is reported as a fault (0 = not supervised).</summary>
        public int SupervisionHours;
    }
}
