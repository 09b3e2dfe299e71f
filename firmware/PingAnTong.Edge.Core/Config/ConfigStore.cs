namespace PingAnTong.Edge.Core.Config
{
    /// <summary>
    /// The last good config on storage (two slots, so a power cut during an update leaves the old
    /// one). Only configs that passed <see cref="ConfigParser"/> are ever written here.
    /// </summary>
    public sealed class ConfigStore
    {
        private readonly Storage.DualSlotFile _file;

        public ConfigStore(Storage.IDurableStore store)
        {
            _file = new Storage.DualSlotFile(store, "config");
        }

        /// <summary>The stored config's JSON, or null when none was ever saved.</summary>
        public byte[] Load()
        {
            return _file.Read();
        }

        public bool FoundDamage { get { return _file.LastReadFoundDamage; } }

        public void Save(byte[] json, int offset, int count)
        {
            _file.Write(json, offset, count);
        }
    }
}
