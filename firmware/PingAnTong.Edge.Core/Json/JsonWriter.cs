using System;

namespace PingAnTong.Edge.Core.Json
{
    /// <summary>
    /// Writes JSON as UTF-8 straight into a reusable byte buffer. nanoFramework's mscorlib has
    /// no StringBuilder or Encoding, and the hub must not allocate per message, so the buffer
    /// only grows (rarely) and is reused after <see cref="Reset"/>.
    /// </summary>
    public sealed class JsonWriter
    {
        private const int MaxDepth = 16;

        // ASCII constants as bytes: written without reading a string character by character.
        private static readonly byte[] TrueWord = { (byte)'t', (byte)'r', (byte)'u', (byte)'e' };
        private static readonly byte[] FalseWord = { (byte)'f', (byte)'a', (byte)'l', (byte)'s', (byte)'e' };
        private static readonly byte[] NullWord = { (byte)'n', (byte)'u', (byte)'l', (byte)'l' };
        private static readonly byte[] LongMinDigits =
        {
            (byte)'9', (byte)'2', (byte)'2', (byte)'3', (byte)'3', (byte)'7', (byte)'2', (byte)'0', (byte)'3', (byte)'6',
            (byte)'8', (byte)'5', (byte)'4', (byte)'7', (byte)'7', (byte)'5', (byte)'8', (byte)'0', (byte)'8'
        };
        private byte[] _buffer;
        private int _length;
        private readonly bool[] _needsComma = new bool[MaxDepth + 1];
        private int _depth;
        private bool _afterName;

        public JsonWriter(int initialCapacity)
        {
            _buffer = new byte[initialCapacity < 16 ? 16 : initialCapacity];
        }

        /// <summary>The buffer holding the written bytes; valid from 0 to <see cref="Length"/>.</summary>
        public byte[] Buffer { get { return _buffer; } }

        public int Length { get { return _length; } }

        public void Reset()
        {
            _length = 0;
            _depth = 0;
            _afterName = false;
            _needsComma[0] = false;
        }

        /// <summary>
        /// Starts from <paramref name="count"/> bytes of an object that was written earlier and left
        /// open (at least one member), so more members can be added and the object closed.
        /// </summary>
        public void ContinueObject(byte[] openObject, int count)
        {
            Reset();
            while (_buffer.Length < count + 64)
            {
                _buffer = new byte[_buffer.Length * 2];
            }
            Array.Copy(openObject, _buffer, count);
            _length = count;
            _depth = 1;
            _needsComma[1] = true;
        }

        /// <summary>A copy of the written bytes (allocates; for hosts and tests).</summary>
        public byte[] ToArray()
        {
            byte[] copy = new byte[_length];
            Array.Copy(_buffer, copy, _length);
            return copy;
        }

        public void BeginObject() { BeforeValue(); Put((byte)'{'); Push(); }

        public void EndObject() { Pop(); Put((byte)'}'); }

        public void BeginArray() { BeforeValue(); Put((byte)'['); Push(); }

        public void EndArray() { Pop(); Put((byte)']'); }

        public void Name(string name)
        {
            if (_depth == 0) throw new InvalidOperationException("JSON name outside an object");
            if (_needsComma[_depth]) Put((byte)',');
            _needsComma[_depth] = true;
            PutQuoted(name);
            Put((byte)':');
            _afterName = true;
        }

        public void String(string value)
        {
            if (value == null) { Null(); return; }
            BeforeValue();
            PutQuoted(value);
        }

        public void Number(long value)
        {
            BeforeValue();
            PutLong(value);
        }

        /// <summary>A fixed-point number: <paramref name="scaled"/> / 10^<paramref name="decimals"/> (e.g. 235, 1 → 23.5).</summary>
        public void Fixed(long scaled, int decimals)
        {
            BeforeValue();
            if (decimals <= 0) { PutLong(scaled); return; }
            if (scaled < 0) { Put((byte)'-'); scaled = -scaled; }
            long div = 1;
            for (int i = 0; i < decimals; i++) div *= 10;
            PutLong(scaled / div);
            Put((byte)'.');
            long frac = scaled % div;
            for (long d = div / 10; d > 0; d /= 10)
            {
                Put((byte)('0' + (int)(frac / d)));
                frac %= d;
            }
        }

        /// <summary>A floating-point number in scientific notation with 15 significant digits (no culture, no allocation).</summary>
        public void Real(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value)) { Null(); return; }
            if (value == 0) { Number(0); return; }
            BeforeValue();
            if (value < 0) { Put((byte)'-'); value = -value; }
            int exponent = 0;
            while (value >= 10) { value /= 10; exponent++; }
            while (value < 1) { value *= 10; exponent--; }
            long mantissa = (long)(value * 100000000000000.0 + 0.5);
            if (mantissa >= 1000000000000000L) { mantissa /= 10; exponent++; }
            PutLong(mantissa / 100000000000000L);
            Put((byte)'.');
            long frac = mantissa % 100000000000000L;
            for (long d = 10000000000000L; d > 0; d /= 10) { Put((byte)('0' + (int)(frac / d))); frac %= d; }
            Put((byte)'e');
            PutLong(exponent);
        }

        public void Bool(bool value)
        {
            BeforeValue();
            PutBytes(value ? TrueWord : FalseWord);
        }

        public void Null()
        {
            BeforeValue();
            PutBytes(NullWord);
        }

        /// <summary>An ISO-8601 UTC timestamp with milliseconds, or null when the clock is unknown (negative).</summary>
        public void Timestamp(long unixMs)
        {
            if (unixMs < 0) { Null(); return; }
            BeforeValue();
            Put((byte)'"');
            PutIsoUtc(unixMs);
            Put((byte)'"');
        }

        public void Property(string name, string value) { Name(name); String(value); }

        public void Property(string name, long value) { Name(name); Number(value); }

        public void Property(string name, bool value) { Name(name); Bool(value); }

        public void TimestampProperty(string name, long unixMs) { Name(name); Timestamp(unixMs); }

        /// <summary>Writes a parsed document back out (used to store a config received by command).</summary>
        public void Node(JsonNode node)
        {
            switch (node.Kind)
            {
                case JsonKind.Null: Null(); break;
                case JsonKind.Bool: Bool(node.BoolValue); break;
                case JsonKind.String: String(node.StringValue); break;
                case JsonKind.Number:
                    if (node.IsInteger) Number(node.IntegerValue);
                    else Real(node.NumberValue);
                    break;
                case JsonKind.Array:
                    BeginArray();
                    for (int i = 0; i < node.Count; i++) Node(node[i]);
                    EndArray();
                    break;
                default:
                    BeginObject();
                    for (int i = 0; i < node.Count; i++)
                    {
                        Name(node[i].Name);
                        Node(node[i]);
                    }
                    EndObject();
                    break;
            }
        }

        private void BeforeValue()
        {
            if (_afterName) { _afterName = false; return; }
            if (_depth > 0)
            {
                if (_needsComma[_depth]) Put((byte)',');
                _needsComma[_depth] = true;
            }
        }

        private void Push()
        {
            if (_depth >= MaxDepth) throw new InvalidOperationException("JSON nesting too deep");
            _depth++;
            _needsComma[_depth] = false;
        }

        private void Pop()
        {
            if (_depth == 0) throw new InvalidOperationException("JSON end without begin");
            _depth--;
        }

        private void PutIsoUtc(long unixMs)
        {
            long days = unixMs / 86400000L;
            long msOfDay = unixMs % 86400000L;
            int year, month, day;
            CivilDate.FromDays(days, out year, out month, out day);
            PutDigits(year, 4); Put((byte)'-'); PutDigits(month, 2); Put((byte)'-'); PutDigits(day, 2);
            Put((byte)'T');
            PutDigits((int)(msOfDay / 3600000L), 2); Put((byte)':');
            PutDigits((int)(msOfDay / 60000L % 60), 2); Put((byte)':');
            PutDigits((int)(msOfDay / 1000L % 60), 2); Put((byte)'.');
            PutDigits((int)(msOfDay % 1000L), 3); Put((byte)'Z');
        }

        private void PutDigits(int value, int width)
        {
            int div = 1;
            for (int i = 1; i < width; i++) div *= 10;
            for (; div > 0; div /= 10) Put((byte)('0' + value / div % 10));
        }

        private void PutLong(long value)
        {
            if (value == 0) { Put((byte)'0'); return; }
            if (value < 0)
            {
                Put((byte)'-');
                if (value == long.MinValue) { PutBytes(LongMinDigits); return; }
                value = -value;
            }
            long div = 1;
            while (value / div >= 10) div *= 10;
            for (; div > 0; div /= 10) Put((byte)('0' + (int)(value / div % 10)));
        }

        private void PutBytes(byte[] bytes)
        {
            for (int i = 0; i < bytes.Length; i++) Put(bytes[i]);
        }

        /// <summary>
        /// Writes <paramref name="s"/> quoted and escaped. The characters are taken once with
        /// ToCharArray: nanoCLR keeps strings as UTF-8, so <c>s[i]</c> and <c>s.Length</c> re-scan
        /// the string (a loop over them is quadratic) and <c>s[i]</c> is wrong after a surrogate pair.
        /// </summary>
        private void PutQuoted(string s)
        {
            Put((byte)'"');
            char[] chars = s.ToCharArray();
            int length = chars.Length;
            for (int i = 0; i < length; i++)
            {
                char c = chars[i];
                if (c == '"' || c == '\\') { Put((byte)'\\'); Put((byte)c); }
                else if (c == '\n') { Put((byte)'\\'); Put((byte)'n'); }
                else if (c == '\r') { Put((byte)'\\'); Put((byte)'r'); }
                else if (c == '\t') { Put((byte)'\\'); Put((byte)'t'); }
                else if (c < 0x20) { Put((byte)'\\'); Put((byte)'u'); Put((byte)'0'); Put((byte)'0'); PutHex(c >> 4); PutHex(c & 0xF); }
                else if (c < 0x80) Put((byte)c);
                else if (c < 0x800) { Put((byte)(0xC0 | (c >> 6))); Put((byte)(0x80 | (c & 0x3F))); }
                else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < length && chars[i + 1] >= 0xDC00 && chars[i + 1] <= 0xDFFF)
                {
                    int cp = 0x10000 + ((c - 0xD800) << 10) + (chars[i + 1] - 0xDC00);
                    i++;
                    Put((byte)(0xF0 | (cp >> 18)));
                    Put((byte)(0x80 | ((cp >> 12) & 0x3F)));
                    Put((byte)(0x80 | ((cp >> 6) & 0x3F)));
                    Put((byte)(0x80 | (cp & 0x3F)));
                }
                else if (c >= 0xD800 && c <= 0xDFFF)
                {
                    // A lone surrogate cannot be encoded as UTF-8; escape it so the output stays valid.
                    Put((byte)'\\'); Put((byte)'u'); PutHex(c >> 12); PutHex((c >> 8) & 0xF); PutHex((c >> 4) & 0xF); PutHex(c & 0xF);
                }
                else
                {
                    Put((byte)(0xE0 | (c >> 12)));
                    Put((byte)(0x80 | ((c >> 6) & 0x3F)));
                    Put((byte)(0x80 | (c & 0x3F)));
                }
            }
            Put((byte)'"');
        }

        private void PutHex(int nibble)
        {
            Put((byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10));
        }

        private void Put(byte b)
        {
            if (_length == _buffer.Length)
            {
                byte[] bigger = new byte[_buffer.Length * 2];
                Array.Copy(_buffer, bigger, _length);
                _buffer = bigger;
            }
            _buffer[_length++] = b;
        }
    }
}
