namespace PingAnTong.Edge.Core.Storage
{
    /// <summary>
    /// Framing of records in an append-only file: <c>A5 5A len(2, little-endian) payload crc32(4)</c>,
    /// the CRC covering the length and the payload. A power cut during an append leaves a tail
    /// that fails the length or CRC check; readers stop at the first bad record.
    /// </summary>
    public static class RecordFile
    {
        public const int HeaderBytes = 4;
        public const int TrailerBytes = 4;
        public const int Overhead = HeaderBytes + TrailerBytes;
        public const int MaxPayloadBytes = 8192;

        /// <summary>Frames <paramref name="payload"/> into <paramref name="frame"/> (which must hold count + Overhead bytes); returns the frame length.</summary>
        public static int Frame(byte[] payload, int offset, int count, byte[] frame)
        {
            if (count > MaxPayloadBytes) throw new StorageException("record of " + count.ToString() + " bytes exceeds " + MaxPayloadBytes.ToString());
            frame[0] = 0xA5;
            frame[1] = 0x5A;
            frame[2] = (byte)count;
            frame[3] = (byte)(count >> 8);
            System.Array.Copy(payload, offset, frame, HeaderBytes, count);
            uint crc = Crc32.Compute(frame, 2, count + 2);
            ByteCodec.PutUInt32(frame, HeaderBytes + count, crc);
            return count + Overhead;
        }

        /// <summary>
        /// Reads the record at <paramref name="position"/> into <paramref name="buffer"/> (payload at index 0).
        /// Returns the payload length, or -1 when there is no complete valid record there.
        /// </summary>
        public static int ReadAt(IDurableStore store, string name, int position, int fileLength, ref byte[] buffer)
        {
            if (fileLength - position < Overhead) return -1;
            byte[] head = new byte[HeaderBytes];
            if (store.Read(name, position, head, 0, HeaderBytes) != HeaderBytes) return -1;
            if (head[0] != 0xA5 || head[1] != 0x5A) return -1;
            int count = head[2] | (head[3] << 8);
            if (count > MaxPayloadBytes || fileLength - position < count + Overhead) return -1;
            if (buffer.Length < count + TrailerBytes) buffer = new byte[count + TrailerBytes + 64];
            if (store.Read(name, position + HeaderBytes, buffer, 0, count + TrailerBytes) != count + TrailerBytes) return -1;
            uint crc = Crc32.Update(0xFFFFFFFFu, head, 2, 2);
            crc = Crc32.Update(crc, buffer, 0, count) ^ 0xFFFFFFFFu;
            if (crc != ByteCodec.GetUInt32(buffer, count)) return -1;
            return count;
        }

        /// <summary>
        /// Reads the record at <paramref name="position"/> as <see cref="ReadAt"/> does, correcting one flipped bit
        /// anywhere in its frame (a worn flash cell): a bit of the marker or length is found by trying each, a bit
        /// of the payload or CRC from the CRC syndrome (CRC-32 tells single-bit errors apart at these lengths).
        /// Returns the payload length, or -1 when no single flipped bit explains the damage.
        /// </summary>
        public static int RepairAt(IDurableStore store, string name, int position, int fileLength, ref byte[] buffer)
        {
            byte[] head = new byte[HeaderBytes];
            if (fileLength - position < Overhead || store.Read(name, position, head, 0, HeaderBytes) != HeaderBytes) return -1;
            for (int bit = -1; bit < HeaderBytes * 8; bit++)
            {
                if (bit >= 0) head[bit >> 3] ^= (byte)(1 << (bit & 7));
                int count = head[2] | (head[3] << 8);
                bool fits = head[0] == 0xA5 && head[1] == 0x5A && count <= MaxPayloadBytes && fileLength - position >= count + Overhead;
                if (fits)
                {
                    if (buffer.Length < count + TrailerBytes) buffer = new byte[count + TrailerBytes + 64];
                    if (store.Read(name, position + HeaderBytes, buffer, 0, count + TrailerBytes) != count + TrailerBytes) return -1;
                    uint syndrome = Crc32.Update(Crc32.Update(0xFFFFFFFFu, head, 2, 2), buffer, 0, count) ^ 0xFFFFFFFFu ^ ByteCodec.GetUInt32(buffer, count);
                    // bit >= 0: the header bit explains it only if the rest is intact. bit == -1: the header is
                    // intact; one bit of the stored CRC, or one bit of the payload (whose syndrome is that bit's
                    // CRC difference carried through the bytes after it).
                    if (syndrome == 0 || (bit < 0 && (syndrome & (syndrome - 1)) == 0)) return count;
                    if (bit < 0 && FlipPayloadBit(buffer, count, syndrome)) return count;
                }
                if (bit >= 0) head[bit >> 3] ^= (byte)(1 << (bit & 7));
            }
            return -1;
        }

        private static bool FlipPayloadBit(byte[] payload, int count, uint syndrome)
        {
            uint[] difference = new uint[8];
            byte[] one = new byte[1];
            for (int b = 0; b < 8; b++)
            {
                one[0] = (byte)(1 << b);
                difference[b] = Crc32.Update(0, one, 0, 1);
            }
            byte[] zero = new byte[1];
            for (int i = count - 1; i >= 0; i--)
            {
                for (int b = 0; b < 8; b++)
                {
                    if (difference[b] != syndrome) continue;
                    payload[i] ^= (byte)(1 << b);
                    return true;
                }
                for (int b = 0; b < 8; b++) difference[b] = Crc32.Update(difference[b], zero, 0, 1);
            }
            return false;
        }
    }
}
