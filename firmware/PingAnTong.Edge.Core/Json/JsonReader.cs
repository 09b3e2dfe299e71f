using System;

namespace PingAnTong.Edge.Core.Json
{
    /// <summary>
    /// A strict RFC 8259 reader for downlink commands and config files: UTF-8 input, no comments,
    /// no trailing commas, no duplicate member names, and every size within a <see cref="JsonLimits"/>.
    /// Errors name the path and byte offset and say what was expected; names in them are clipped.
    /// </summary>
    public sealed class JsonReader
    {
        /// <summary>Deepest nesting of objects and arrays (kept for callers of the old name; see <see cref="JsonLimits.MaxDepth"/>).</summary>
        public const int MaxDepth = JsonLimits.MaxDepth;

        /// <summary>Objects up to this many members are checked for duplicate names by comparing with each; larger ones get a <see cref="NameTable"/>.</summary>
        private const int SmallObject = 8;

        private static readonly byte[] TrueWord = { (byte)'t', (byte)'r', (byte)'u', (byte)'e' };
        private static readonly byte[] FalseWord = { (byte)'f', (byte)'a', (byte)'l', (byte)'s', (byte)'e' };
        private static readonly byte[] NullWord = { (byte)'n', (byte)'u', (byte)'l', (byte)'l' };

        private readonly byte[] _data;
        private readonly int _end;
        private readonly JsonLimits _limits;
        private int _pos;
        private int _nodes;
        private char[] _chars = new char[64];

        private JsonReader(byte[] data, int offset, int count, JsonLimits limits)
        {
            _data = data;
            _pos = offset;
            _end = offset + count;
            _limits = limits;
        }

        /// <summary>Parses a whole array under the config limits (<see cref="JsonLimits.Config"/>).</summary>
        public static JsonNode Parse(byte[] data)
        {
            return Parse(data, 0, data == null ? 0 : data.Length, JsonLimits.Config);
        }

        /// <summary>Parses under the config limits (<see cref="JsonLimits.Config"/>).</summary>
        public static JsonNode Parse(byte[] data, int offset, int count)
        {
            return Parse(data, offset, count, JsonLimits.Config);
        }

        /// <summary>
        /// Parses a document of at most <paramref name="maxBytes"/> bytes (e.g. <see cref="JsonLimits.MaxCommandBytes"/>
        /// for a downlink command) under the standard structure limits of <see cref="JsonLimits"/>.
        /// A longer document is refused before any of it is read.
        /// </summary>
        public static JsonNode Parse(byte[] data, int offset, int count, int maxBytes)
        {
            return Parse(data, offset, count, new JsonLimits(maxBytes, JsonLimits.MaxDepth, JsonLimits.MaxMembers, JsonLimits.MaxElements, JsonLimits.MaxNodes, JsonLimits.MaxStringChars));
        }

        /// <summary>
        /// Parses under <paramref name="limits"/>. The work and the memory are proportional to the
        /// document: every byte is looked at once, duplicate names are found through a hash, and no
        /// path is built unless an error names it.
        /// </summary>
        public static JsonNode Parse(byte[] data, int offset, int count, JsonLimits limits)
        {
            if (data == null) throw new JsonException("$", "expected a JSON document, got nothing");
            if (count > limits.Bytes)
                throw new JsonException("$", "document of " + count.ToString() + " bytes is over the limit of " + limits.Bytes.ToString() + " bytes");
            JsonReader reader = new JsonReader(data, offset, count, limits);
            reader.SkipBom();
            reader.SkipWhitespace();
            JsonNode root = reader.ReadValue(null, null, 0, 0);
            reader.SkipWhitespace();
            if (reader._pos != reader._end) reader.Fail(root, "unexpected text after the end of the document");
            return root;
        }

        private void SkipBom()
        {
            if (_end - _pos >= 3 && _data[_pos] == 0xEF && _data[_pos + 1] == 0xBB && _data[_pos + 2] == 0xBF) _pos += 3;
        }

        /// <summary>Reads the value that will be member <paramref name="name"/> or element <paramref name="index"/> of <paramref name="parent"/>.</summary>
        private JsonNode ReadValue(JsonNode parent, string name, int index, int depth)
        {
            if (_pos >= _end) FailAt(parent, name, index, "expected a value, got the end of the document");
            if (++_nodes > _limits.Nodes) FailAt(parent, name, index, "more than the limit of " + _limits.Nodes.ToString() + " values in one document");
            byte b = _data[_pos];
            JsonNode n;
            switch (b)
            {
                case (byte)'{':
                    n = new JsonNode(JsonKind.Object, parent, name, index);
                    ReadObject(n, depth);
                    return n;
                case (byte)'[':
                    n = new JsonNode(JsonKind.Array, parent, name, index);
                    ReadArray(n, depth);
                    return n;
                case (byte)'"':
                    n = new JsonNode(JsonKind.String, parent, name, index);
                    int length = ReadString(n); // first: reading may replace _chars with a bigger array
                    n.StringValue = new string(_chars, 0, length);
                    return n;
                case (byte)'t':
                case (byte)'f':
                    n = new JsonNode(JsonKind.Bool, parent, name, index);
                    n.BoolValue = b == 't';
                    ExpectWord(n.BoolValue ? TrueWord : FalseWord, n);
                    return n;
                case (byte)'n':
                    n = new JsonNode(JsonKind.Null, parent, name, index);
                    ExpectWord(NullWord, n);
                    return n;
                default:
                    if (b == '-' || (b >= '0' && b <= '9'))
                    {
                        n = new JsonNode(JsonKind.Number, parent, name, index);
                        ReadNumber(n);
                        return n;
                    }
                    FailAt(parent, name, index, "expected a value (object, array, string, number, true, false or null)");
                    return null;
            }
        }

        private void ReadObject(JsonNode obj, int depth)
        {
            if (depth >= _limits.Depth) Fail(obj, "nesting deeper than the limit of " + _limits.Depth.ToString() + " levels");
            _pos++;
            SkipWhitespace();
            if (Peek() == '}') { _pos++; return; }
            NameTable names = null;
            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"') Fail(obj, "expected a member name in double quotes");
                int length = ReadString(obj);
                string name = new string(_chars, 0, length);
                int members = obj.Items.Count;
                if (members >= _limits.Members) Fail(obj, "more than the limit of " + _limits.Members.ToString() + " members in one object");
                if (members < SmallObject)
                {
                    for (int i = 0; i < members; i++)
                    {
                        if (((JsonNode)obj.Items[i]).Name == name) Fail(obj, "duplicate member \"" + JsonText.Clip(name) + "\"");
                    }
                }
                else
                {
                    if (names == null)
                    {
                        names = new NameTable(members * 2);
                        for (int i = 0; i < members; i++)
                        {
                            string earlier = ((JsonNode)obj.Items[i]).Name;
                            names.Add(earlier, NameTable.Hash(earlier), i);
                        }
                    }
                    if (names.Add(name, NameTable.Hash(_chars, 0, length), members) >= 0) Fail(obj, "duplicate member \"" + JsonText.Clip(name) + "\"");
                }
                SkipWhitespace();
                if (Peek() != ':') Fail(obj, "expected ':' after member name \"" + JsonText.Clip(name) + "\"");
                _pos++;
                SkipWhitespace();
                obj.Items.Add(ReadValue(obj, name, members, depth + 1));
                SkipWhitespace();
                int c = Peek();
                if (c == ',') { _pos++; continue; }
                if (c == '}') { _pos++; return; }
                Fail(obj, "expected ',' or '}' after member \"" + JsonText.Clip(name) + "\"");
            }
        }

        private void ReadArray(JsonNode arr, int depth)
        {
            if (depth >= _limits.Depth) Fail(arr, "nesting deeper than the limit of " + _limits.Depth.ToString() + " levels");
            _pos++;
            SkipWhitespace();
            if (Peek() == ']') { _pos++; return; }
            while (true)
            {
                SkipWhitespace();
                int index = arr.Items.Count;
                if (index >= _limits.Elements) Fail(arr, "more than the limit of " + _limits.Elements.ToString() + " elements in one array");
                arr.Items.Add(ReadValue(arr, null, index, depth + 1));
                SkipWhitespace();
                int c = Peek();
                if (c == ',') { _pos++; continue; }
                if (c == ']') { _pos++; return; }
                Fail(arr, "expected ',' or ']' in array");
            }
        }

        private void ReadNumber(JsonNode n)
        {
            int start = _pos;
            bool negative = false;
            if (_data[_pos] == '-') { negative = true; _pos++; }
            if (_pos >= _end || !IsDigit(_data[_pos])) Fail(n, "expected a digit in number");
            if (_data[_pos] == '0' && _pos + 1 < _end && IsDigit(_data[_pos + 1])) Fail(n, "numbers must not have leading zeros");
            long integer = 0;
            bool overflow = false;
            double value = 0;
            while (_pos < _end && IsDigit(_data[_pos]))
            {
                // Accumulated as a negative number so long.MinValue fits.
                int d = _data[_pos] - '0';
                if (integer < (long.MinValue + d) / 10) overflow = true; else integer = integer * 10 - d;
                value = value * 10 + d;
                _pos++;
            }
            if (!negative && integer == long.MinValue) overflow = true;
            bool isInteger = !overflow;
            if (_pos < _end && _data[_pos] == '.')
            {
                isInteger = false;
                _pos++;
                if (_pos >= _end || !IsDigit(_data[_pos])) Fail(n, "expected a digit after the decimal point");
                double scale = 0.1;
                while (_pos < _end && IsDigit(_data[_pos]))
                {
                    value += (_data[_pos] - '0') * scale;
                    scale /= 10;
                    _pos++;
                }
            }
            if (_pos < _end && (_data[_pos] == 'e' || _data[_pos] == 'E'))
            {
                isInteger = false;
                _pos++;
                bool expNegative = false;
                if (_pos < _end && (_data[_pos] == '+' || _data[_pos] == '-')) { expNegative = _data[_pos] == '-'; _pos++; }
                if (_pos >= _end || !IsDigit(_data[_pos])) Fail(n, "expected a digit in the exponent");
                int exp = 0;
                while (_pos < _end && IsDigit(_data[_pos]))
                {
                    if (exp < 10000) exp = exp * 10 + (_data[_pos] - '0');
                    _pos++;
                }
                for (int i = 0; i < exp && value != 0; i++)
                {
                    if (expNegative) value /= 10; else value *= 10;
                    if (value > 1e308) Fail(n, "number out of range");
                }
            }
            if (_pos - start > 64) Fail(n, "number too long");
            n.IsInteger = isInteger;
            n.IntegerValue = negative ? integer : -integer;
            n.NumberValue = negative ? -value : value;
        }

        /// <summary>Reads a string into <see cref="_chars"/> and returns its length; errors name <paramref name="at"/>.</summary>
        private int ReadString(JsonNode at)
        {
            _pos++; // opening quote
            int count = 0;
            while (true)
            {
                if (_pos >= _end) Fail(at, "unterminated string");
                int b = _data[_pos++];
                if (b == '"') break;
                if (b < 0x20) Fail(at, "control character in string (escape it)");
                if (b == '\\')
                {
                    if (_pos >= _end) Fail(at, "unterminated escape in string");
                    int e = _data[_pos++];
                    switch (e)
                    {
                        case '"': Append((char)'"', ref count, at); break;
                        case '\\': Append('\\', ref count, at); break;
                        case '/': Append('/', ref count, at); break;
                        case 'b': Append('\b', ref count, at); break;
                        case 'f': Append('\f', ref count, at); break;
                        case 'n': Append('\n', ref count, at); break;
                        case 'r': Append('\r', ref count, at); break;
                        case 't': Append('\t', ref count, at); break;
                        case 'u': Append((char)ReadHex4(at), ref count, at); break;
                        default: Fail(at, "unknown escape '\\" + ((char)e).ToString() + "' in string"); break;
                    }
                    continue;
                }
                if (b < 0x80) { Append((char)b, ref count, at); continue; }
                int cp;
                int more;
                if ((b & 0xE0) == 0xC0) { cp = b & 0x1F; more = 1; }
                else if ((b & 0xF0) == 0xE0) { cp = b & 0x0F; more = 2; }
                else if ((b & 0xF8) == 0xF0) { cp = b & 0x07; more = 3; }
                else { Fail(at, "invalid UTF-8 in string"); return 0; }
                for (int i = 0; i < more; i++)
                {
                    if (_pos >= _end || (_data[_pos] & 0xC0) != 0x80) Fail(at, "invalid UTF-8 in string");
                    cp = (cp << 6) | (_data[_pos++] & 0x3F);
                }
                if ((more == 1 && cp < 0x80) || (more == 2 && cp < 0x800) || (more == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                    Fail(at, "invalid UTF-8 in string");
                if (cp >= 0x10000)
                {
                    cp -= 0x10000;
                    Append((char)(0xD800 + (cp >> 10)), ref count, at);
                    Append((char)(0xDC00 + (cp & 0x3FF)), ref count, at);
                }
                else Append((char)cp, ref count, at);
            }
            return count;
        }

        private int ReadHex4(JsonNode at)
        {
            if (_end - _pos < 4) Fail(at, "expected four hex digits after \\u");
            int v = 0;
            for (int i = 0; i < 4; i++)
            {
                int c = _data[_pos++];
                int d;
                if (c >= '0' && c <= '9') d = c - '0';
                else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
                else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
                else { Fail(at, "expected four hex digits after \\u"); return 0; }
                v = (v << 4) | d;
            }
            return v;
        }

        private void Append(char c, ref int count, JsonNode at)
        {
            if (count >= _limits.StringChars) Fail(at, "text longer than the limit of " + _limits.StringChars.ToString() + " characters");
            if (count == _chars.Length)
            {
                char[] bigger = new char[_chars.Length * 2];
                Array.Copy(_chars, bigger, count);
                _chars = bigger;
            }
            _chars[count++] = c;
        }

        private void ExpectWord(byte[] word, JsonNode at)
        {
            if (_end - _pos < word.Length) Fail(at, "expected '" + WordText(word) + "'");
            for (int i = 0; i < word.Length; i++)
            {
                if (_data[_pos + i] != word[i]) Fail(at, "expected '" + WordText(word) + "'");
            }
            _pos += word.Length;
        }

        private static string WordText(byte[] word)
        {
            return word == TrueWord ? "true" : word == FalseWord ? "false" : "null";
        }

        private int Peek()
        {
            return _pos < _end ? _data[_pos] : -1;
        }

        private void SkipWhitespace()
        {
            while (_pos < _end)
            {
                byte b = _data[_pos];
                if (b == ' ' || b == '\t' || b == '\n' || b == '\r') _pos++; else return;
            }
        }

        private static bool IsDigit(byte b)
        {
            return b >= '0' && b <= '9';
        }

        private void Fail(JsonNode at, string message)
        {
            throw new JsonException(at.Path, message + " (at byte " + _pos.ToString() + ")");
        }

        /// <summary>An error about a value not yet read: its path is that of the node it would have been.</summary>
        private void FailAt(JsonNode parent, string name, int index, string message)
        {
            Fail(new JsonNode(JsonKind.Null, parent, name, index), message);
        }
    }
}
