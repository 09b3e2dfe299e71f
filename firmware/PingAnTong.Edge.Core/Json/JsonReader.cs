using System;

namespace PingAnTong.Edge.Core.Json
{
    /// <summary>
    /// A strict RFC 8259 reader for downlink commands and config files: UTF-8 input, no comments,
    /// no trailing commas, no duplicate member names, bounded depth and size. Errors name the
    /// path and byte offset and say what was expected.
    /// </summary>
    public sealed class JsonReader
    {
        public const int MaxDepth = 24;

        private readonly byte[] _data;
        private readonly int _end;
        private int _pos;
        private char[] _chars = new char[64];

        private JsonReader(byte[] data, int offset, int count)
        {
            _data = data;
            _pos = offset;
            _end = offset + count;
        }

        public static JsonNode Parse(byte[] data)
        {
            return Parse(data, 0, data.Length);
        }

        public static JsonNode Parse(byte[] data, int offset, int count)
        {
            if (data == null) throw new JsonException("$", "expected a JSON document, got nothing");
            JsonReader reader = new JsonReader(data, offset, count);
            reader.SkipBom();
            reader.SkipWhitespace();
            JsonNode root = reader.ReadValue("$", 0);
            reader.SkipWhitespace();
            if (reader._pos != reader._end) reader.Fail("$", "unexpected text after the end of the document");
            return root;
        }

        private void SkipBom()
        {
            if (_end - _pos >= 3 && _data[_pos] == 0xEF && _data[_pos + 1] == 0xBB && _data[_pos + 2] == 0xBF) _pos += 3;
        }

        private JsonNode ReadValue(string path, int depth)
        {
            if (depth > MaxDepth) Fail(path, "nesting deeper than " + MaxDepth.ToString());
            if (_pos >= _end) Fail(path, "expected a value, got the end of the document");
            byte b = _data[_pos];
            switch (b)
            {
                case (byte)'{': return ReadObject(path, depth);
                case (byte)'[': return ReadArray(path, depth);
                case (byte)'"':
                    JsonNode s = new JsonNode(JsonKind.String, path);
                    s.StringValue = ReadString(path);
                    return s;
                case (byte)'t': ExpectWord("true", path); return BoolNode(path, true);
                case (byte)'f': ExpectWord("false", path); return BoolNode(path, false);
                case (byte)'n': ExpectWord("null", path); return new JsonNode(JsonKind.Null, path);
                default:
                    if (b == '-' || (b >= '0' && b <= '9')) return ReadNumber(path);
                    Fail(path, "expected a value (object, array, string, number, true, false or null)");
                    return null;
            }
        }

        private static JsonNode BoolNode(string path, bool value)
        {
            JsonNode n = new JsonNode(JsonKind.Bool, path);
            n.BoolValue = value;
            return n;
        }

        private JsonNode ReadObject(string path, int depth)
        {
            JsonNode obj = new JsonNode(JsonKind.Object, path);
            _pos++;
            SkipWhitespace();
            if (Peek() == '}') { _pos++; return obj; }
            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"') Fail(path, "expected a member name in double quotes");
                string name = ReadString(path);
                if (obj.Get(name) != null) Fail(path, "duplicate member \"" + name + "\"");
                SkipWhitespace();
                if (Peek() != ':') Fail(path, "expected ':' after member name \"" + name + "\"");
                _pos++;
                SkipWhitespace();
                JsonNode child = ReadValue(path + "." + name, depth + 1);
                child.Name = name;
                obj.Items.Add(child);
                SkipWhitespace();
                int c = Peek();
                if (c == ',') { _pos++; continue; }
                if (c == '}') { _pos++; return obj; }
                Fail(path, "expected ',' or '}' after member \"" + name + "\"");
            }
        }

        private JsonNode ReadArray(string path, int depth)
        {
            JsonNode arr = new JsonNode(JsonKind.Array, path);
            _pos++;
            SkipWhitespace();
            if (Peek() == ']') { _pos++; return arr; }
            while (true)
            {
                SkipWhitespace();
                arr.Items.Add(ReadValue(path + "[" + arr.Items.Count.ToString() + "]", depth + 1));
                SkipWhitespace();
                int c = Peek();
                if (c == ',') { _pos++; continue; }
                if (c == ']') { _pos++; return arr; }
                Fail(path, "expected ',' or ']' in array");
            }
        }

        private JsonNode ReadNumber(string path)
        {
            int start = _pos;
            bool negative = false;
            if (_data[_pos] == '-') { negative = true; _pos++; }
            if (_pos >= _end || !IsDigit(_data[_pos])) Fail(path, "expected a digit in number");
            if (_data[_pos] == '0' && _pos + 1 < _end && IsDigit(_data[_pos + 1])) Fail(path, "numbers must not have leading zeros");
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
                if (_pos >= _end || !IsDigit(_data[_pos])) Fail(path, "expected a digit after the decimal point");
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
                if (_pos >= _end || !IsDigit(_data[_pos])) Fail(path, "expected a digit in the exponent");
                int exp = 0;
                while (_pos < _end && IsDigit(_data[_pos]))
                {
                    if (exp < 10000) exp = exp * 10 + (_data[_pos] - '0');
                    _pos++;
                }
                for (int i = 0; i < exp && value != 0; i++)
                {
                    if (expNegative) value /= 10; else value *= 10;
                    if (value > 1e308) Fail(path, "number out of range");
                }
            }
            if (_pos - start > 64) Fail(path, "number too long");
            JsonNode n = new JsonNode(JsonKind.Number, path);
            n.IsInteger = isInteger;
            n.IntegerValue = negative ? integer : -integer;
            n.NumberValue = negative ? -value : value;
            return n;
        }

        private string ReadString(string path)
        {
            _pos++; // opening quote
            int count = 0;
            while (true)
            {
                if (_pos >= _end) Fail(path, "unterminated string");
                int b = _data[_pos++];
                if (b == '"') break;
                if (b < 0x20) Fail(path, "control character in string (escape it)");
                if (b == '\\')
                {
                    if (_pos >= _end) Fail(path, "unterminated escape in string");
                    int e = _data[_pos++];
                    switch (e)
                    {
                        case '"': Append((char)'"', ref count); break;
                        case '\\': Append('\\', ref count); break;
                        case '/': Append('/', ref count); break;
                        case 'b': Append('\b', ref count); break;
                        case 'f': Append('\f', ref count); break;
                        case 'n': Append('\n', ref count); break;
                        case 'r': Append('\r', ref count); break;
                        case 't': Append('\t', ref count); break;
                        case 'u': Append((char)ReadHex4(path), ref count); break;
                        default: Fail(path, "unknown escape '\\" + ((char)e).ToString() + "' in string"); break;
                    }
                    continue;
                }
                if (b < 0x80) { Append((char)b, ref count); continue; }
                int cp;
                int more;
                if ((b & 0xE0) == 0xC0) { cp = b & 0x1F; more = 1; }
                else if ((b & 0xF0) == 0xE0) { cp = b & 0x0F; more = 2; }
                else if ((b & 0xF8) == 0xF0) { cp = b & 0x07; more = 3; }
                else { Fail(path, "invalid UTF-8 in string"); return null; }
                for (int i = 0; i < more; i++)
                {
                    if (_pos >= _end || (_data[_pos] & 0xC0) != 0x80) Fail(path, "invalid UTF-8 in string");
                    cp = (cp << 6) | (_data[_pos++] & 0x3F);
                }
                if ((more == 1 && cp < 0x80) || (more == 2 && cp < 0x800) || (more == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                    Fail(path, "invalid UTF-8 in string");
                if (cp >= 0x10000)
                {
                    cp -= 0x10000;
                    Append((char)(0xD800 + (cp >> 10)), ref count);
                    Append((char)(0xDC00 + (cp & 0x3FF)), ref count);
                }
                else Append((char)cp, ref count);
            }
            return new string(_chars, 0, count);
        }

        private int ReadHex4(string path)
        {
            if (_end - _pos < 4) Fail(path, "expected four hex digits after \\u");
            int v = 0;
            for (int i = 0; i < 4; i++)
            {
                int c = _data[_pos++];
                int d;
                if (c >= '0' && c <= '9') d = c - '0';
                else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
                else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
                else { Fail(path, "expected four hex digits after \\u"); return 0; }
                v = (v << 4) | d;
            }
            return v;
        }

        private void Append(char c, ref int count)
        {
            if (count == _chars.Length)
            {
                char[] bigger = new char[_chars.Length * 2];
                Array.Copy(_chars, bigger, count);
                _chars = bigger;
            }
            _chars[count++] = c;
        }

        private void ExpectWord(string word, string path)
        {
            if (_end - _pos < word.Length) Fail(path, "expected '" + word + "'");
            for (int i = 0; i < word.Length; i++)
            {
                if (_data[_pos + i] != word[i]) Fail(path, "expected '" + word + "'");
            }
            _pos += word.Length;
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

        private void Fail(string path, string message)
        {
            throw new JsonException(path, message + " (at byte " + _pos.ToString() + ")");
        }
    }
}
