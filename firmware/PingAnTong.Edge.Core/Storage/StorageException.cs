using System;

namespace PingAnTong.Edge.Core.Storage
{
    /// <summary>Durable storage failed (flash full, I/O error). The hub reports a storage fault.</summary>
    public class StorageException : Exception
    {
        public StorageException(string message) : base(message) { }

        public StorageException(string message, Exception inner) : base(message, inner) { }
    }
}
