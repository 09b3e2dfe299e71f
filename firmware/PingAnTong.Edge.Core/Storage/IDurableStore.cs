namespace PingAnTong.Edge.Core.Storage
{
    /// <summary>
    /// Durable named byte files: internal flash on the device, a folder in the simulator, a
    /// fault-injecting memory store in tests. Only appends and deletes change a file, because a
    /// power cut during an append can be handled (a torn tail fails its checksum) while an
    /// in-place overwrite could leave neither the old nor the new bytes. Implementations throw
    /// <see cref="StorageException"/> on I/O trouble.
    /// </summary>
    public interface IDurableStore
    {
        /// <summary>Length of the file in bytes, or -1 when it does not exist.</summary>
        int GetLength(string name);

        /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="position"/>; returns how many were read.</summary>
        int Read(string name, int position, byte[] buffer, int offset, int count);

        /// <summary>Appends bytes, creating the file when needed. A power cut may leave any prefix of them.</summary>
        void Append(string name, byte[] data, int offset, int count);

        /// <summary>Deletes the file; nothing happens when it does not exist.</summary>
        void Delete(string name);
    }
}
