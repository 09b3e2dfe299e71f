// System.SpanByte is a nanoFramework mscorlib type (a span over a byte array), which .NET does not have.
// Written from its public API (tests/api-listings/nanoFramework.CoreLibrary.txt), for the virtual build only.
namespace System
{
    public readonly ref struct SpanByte
    {
        private readonly byte[] _array;
        private readonly int _start;
        private readonly int _length;

        public SpanByte(byte[] array)
        {
            _array = array;
            _start = 0;
            _length = array == null ? 0 : array.Length;
        }

        public SpanByte(byte[] array, int start, int length)
        {
            if (array == null)
            {
                if (start != 0 || length != 0) throw new ArgumentOutOfRangeException();
            }
            else if (start < 0 || length < 0 || start + length > array.Length)
            {
                throw new ArgumentOutOfRangeException();
            }
            _array = array;
            _start = start;
            _length = length;
        }

        public static SpanByte Empty { get { return new SpanByte(null); } }

        public bool IsEmpty { get { return _length == 0; } }

        public int Length { get { return _length; } }

        public byte this[int index]
        {
            get
            {
                if (index < 0 || index >= _length) throw new IndexOutOfRangeException();
                return _array[_start + index];
            }
            set
            {
                if (index < 0 || index >= _length) throw new IndexOutOfRangeException();
                _array[_start + index] = value;
            }
        }

        public SpanByte Slice(int start) { return Slice(start, _length - start); }

        public SpanByte Slice(int start, int length)
        {
            if (start < 0 || length < 0 || start + length > _length) throw new ArgumentOutOfRangeException();
            return new SpanByte(_array, _start + start, length);
        }

        public byte[] ToArray()
        {
            byte[] copy = new byte[_length];
            if (_length > 0) Array.Copy(_array, _start, copy, 0, _length);
            return copy;
        }

        public void CopyTo(SpanByte destination)
        {
            if (destination.Length < _length) throw new ArgumentException("destination too short");
            for (int i = 0; i < _length; i++) destination[i] = this[i];
        }

        public static implicit operator SpanByte(byte[] array) { return new SpanByte(array); }
    }
}
