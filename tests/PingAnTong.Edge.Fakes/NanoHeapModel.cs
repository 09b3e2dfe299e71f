using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace PingAnTong.Edge.Fakes;

/// <summary>
/// Sizes a live object graph as nanoCLR (nanoFramework 1.x, nf-interpreter) would store it, by walking
/// it with reflection on .NET. The rules, from nf-interpreter (github:nanoframework/nf-interpreter,
/// commit a3e8139a, read with the fetch tool):
/// <list type="bullet">
/// <item>A heap block (CLR_RT_HeapBlock) is 12 bytes; every allocation is a whole number of blocks
///   (CONVERTFROMSIZETOHEAPBLOCKS, src/HAL/Include/nanoHAL_Types.h).</item>
/// <item>A class instance is one header block plus one block per instance field, inherited ones
///   included, whatever the field's type: a byte field costs 12 bytes like a long does
///   (src/CLR/Core/Execution.cpp NewObject: m_totalFields + HB_Object_Fields_Offset, which is 1 in
///   src/CLR/Include/nanoCLR_Runtime__HeapBlock.h).</item>
/// <item>An array is sizeof(CLR_RT_HeapBlock_Array) = 12 + 8 bytes of header plus the elements at
///   their data-type size (1 for bool/byte, 2 for char/short, 4 for int/float, 8 for long/double,
///   12 for references, strings, DateTime and value types), rounded up to blocks
///   (Execution.cpp ExtractHeapBlocksForArray; element sizes in src/CLR/Core/TypeSystemLookup.cpp
///   c_CLR_RT_DataTypeLookup, DT_BL = sizeof(CLR_RT_HeapBlock)).</item>
/// <item>A string is a 12-byte header, its UTF-8 bytes and a NUL, rounded up to blocks
///   (src/CLR/Core/CLR_RT_HeapBlock_String.cpp CreateInstance). String literals point into the
///   assembly and take no heap; here an interned .NET string stands for a literal.</item>
/// <item>ArrayList (CoreLibrary System.Collections.ArrayList, native CLR_RT_HeapBlock_ArrayList) is an
///   object of two fields (_items, _size) and an object[] of its capacity; .NET's extra _version field
///   is not counted.</item>
/// <item>A delegate is a CLR_RT_HeapBlock_Delegate: a header, the method index and the target
///   reference (3 blocks here), plus its target when that is not already counted.</item>
/// </list>
/// Only objects of the hub's own assembly and the BCL containers they hold are followed: host
/// adapters and test doubles (clock, store, transport) are not the hub's heap. Calibrated against
/// the figures a reviewer measured on the real interpreter (issue 13): 229 bytes per 17-field outbox
/// entry (216 for the object, 12 for its ArrayList slot) and ~21 KB for a started, connected hub.
/// </summary>
public sealed class NanoHeapModel
{
    public const int Block = 12;
    private const int ArrayHeaderBytes = Block + 8;

    private readonly HashSet<object> _seen = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Type, long> _byType = new();
    private readonly Assembly _core;

    public NanoHeapModel(Assembly hubAssembly) { _core = hubAssembly; }

    /// <summary>Bytes counted so far, over every root measured with this model (shared objects once).</summary>
    public long Bytes { get; private set; }

    /// <summary>Bytes by type, largest first, for the benchmark's breakdown.</summary>
    public IEnumerable<KeyValuePair<Type, long>> ByType => _byType.OrderByDescending(kv => kv.Value);

    /// <summary>Heap bytes of everything reachable from <paramref name="root"/> (not counted before) plus the static fields of the hub's assembly.</summary>
    public static long Measure(object root, bool includeStatics = true)
    {
        var model = new NanoHeapModel(root.GetType().Assembly);
        model.Add(root);
        if (includeStatics) model.AddStatics();
        return model.Bytes;
    }

    public static int ObjectBytes(int instanceFields) => Block * (1 + instanceFields);

    public static int ArrayBytes(int length, int elementBytes) => Blocks(ArrayHeaderBytes + length * elementBytes);

    public static int StringBytes(string s) => Blocks(Block + Encoding.UTF8.GetByteCount(s) + 1);

    /// <summary>Static fields of the hub's types: on the device each is a heap block and what it references lives on the heap too.</summary>
    public void AddStatics()
    {
        foreach (var type in _core.GetTypes())
        {
            if (type.ContainsGenericParameters) continue;
            foreach (var f in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (f.IsLiteral) continue; // const: in the metadata, not on the heap
                Count(type, Block);
                if (!f.FieldType.IsValueType)
                {
                    try { Add(f.GetValue(null)); } catch (TypeInitializationException) { }
                }
            }
        }
    }

    public void Add(object root)
    {
        var stack = new Stack<object>();
        if (root != null) stack.Push(root);
        while (stack.Count > 0)
        {
            object o = stack.Pop();
            if (!_seen.Add(o)) continue;
            Type t = o.GetType();
            switch (o)
            {
                case string s:
                    if (string.IsInterned(s) == null) Count(t, StringBytes(s));
                    continue;
                case Array a:
                    Type et = t.GetElementType()!;
                    Count(t, ArrayBytes(a.Length, ElementBytes(et)));
                    if (!et.IsValueType) foreach (object item in a) if (item != null && Follow(item)) stack.Push(item);
                    continue;
                case ArrayList list:
                    // _items (object[] of the capacity) and _size; elements are references (12 bytes each)
                    Count(t, ObjectBytes(2) + ArrayBytes(Math.Max(list.Capacity, 1), Block));
                    foreach (object item in list) if (item != null && Follow(item)) stack.Push(item);
                    continue;
                case Delegate d:
                    Count(t, 3 * Block);
                    foreach (var inner in d.GetInvocationList())
                        if (inner.Target != null && Follow(inner.Target)) stack.Push(inner.Target);
                    continue;
            }
            var fields = InstanceFields(t);
            Count(t, ObjectBytes(fields.Length));
            foreach (var f in fields)
            {
                if (f.FieldType.IsPrimitive || f.FieldType.IsEnum) continue;
                object v = f.GetValue(o);
                if (v == null) continue;
                if (f.FieldType.IsValueType)
                {
                    // a struct field: nanoCLR holds it boxed (one block in the field, the value type's own blocks)
                    if (v is DateTime || v is TimeSpan) continue;
                    Count(v.GetType(), ObjectBytes(InstanceFields(v.GetType()).Length));
                    continue;
                }
                if (Follow(v)) stack.Push(v);
            }
        }
    }

    private bool Follow(object o)
    {
        Type t = o.GetType();
        if (t.Assembly == _core) return true;
        // BCL containers and values the hub's objects hold; anything else (host adapters, test doubles,
        // System.Threading primitives) is not the hub's own heap.
        return o is string || o is Array || o is ArrayList || o is Hashtable || o is Delegate
            || (t.Namespace == "System" && !t.IsValueType && t != typeof(object) && !(o is Type) && !(o is Exception) && o is not MemberInfo);
    }

    private static readonly Dictionary<Type, FieldInfo[]> Fields = new();

    private static FieldInfo[] InstanceFields(Type t)
    {
        lock (Fields)
        {
            if (Fields.TryGetValue(t, out var cached)) return cached;
            var list = new List<FieldInfo>();
            for (Type? k = t; k != null && k != typeof(object); k = k.BaseType)
                list.AddRange(k.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
            return Fields[t] = list.ToArray();
        }
    }

    private static int ElementBytes(Type et)
    {
        if (et == typeof(bool) || et == typeof(byte) || et == typeof(sbyte)) return 1;
        if (et == typeof(char) || et == typeof(short) || et == typeof(ushort)) return 2;
        if (et == typeof(int) || et == typeof(uint) || et == typeof(float)) return 4;
        if (et == typeof(long) || et == typeof(ulong) || et == typeof(double)) return 8;
        if (et.IsEnum) return ElementBytes(Enum.GetUnderlyingType(et));
        return Block;
    }

    private static int Blocks(int bytes) => (bytes + Block - 1) / Block * Block;

    private void Count(Type t, long bytes)
    {
        Bytes += bytes;
        _byType[t] = _byType.TryGetValue(t, out long b) ? b + bytes : bytes;
    }
}
