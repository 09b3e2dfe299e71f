namespace PingAnTong.Edge.Core.Storage
{
    /// <summary>Wraps the host's store and counts what is written, so flash wear can be reported in
    /// the heartbeat and measured by the benchmark.</summary>
    public sealed class WearCountingStore : IDurableStore
    {
        private readonly IDurableStore _inner;

        public WearCountingStore(IDurableStore inner)
        {
            _inner = inner;
        }

        public long BytesWritten { get; private set; }

        public long Appends { get; private set; }

        public long Deletes { get; private set; }

        /// <summary>True after a storage call failed (reported as a storage fault).</summary>
        public bool HadError { get; set; }

        public int GetLength(string name)
        {
            return _inner.GetLength(name);
        }

        public int Read(string name, int position, byte[] buffer, int offset, int count)
        {
            return _inner.Read(name, position, buffer, offset, count);
        }

        public void Append(string name, byte[] data, int offset, int count)
        {
            BytesWritten += count;
            Appends++;
            _inner.Append(name, data, offset, count);
        }

        public void Delete(string name)
        {
            Deletes++;
            _inner.Delete(name);
        }
    }
}
