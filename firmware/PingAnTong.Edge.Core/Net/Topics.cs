using PingAnTong.Edge.Core.Events;

namespace PingAnTong.Edge.Core.Net
{
    /// <summary>Topic names of the contract: <c>{prefix}/{hubId}/{channel}</c>, built once per config.</summary>
    public sealed class Topics
    {
        private readonly string[] _byChannel = new string[6];

        public Topics(string prefix, string hubId)
        {
            for (byte c = 0; c < 6; c++) _byChannel[c] = prefix + "/" + hubId + "/" + Channel.Name(c);
        }

        public string For(byte channel)
        {
            return _byChannel[channel];
        }
    }
}
