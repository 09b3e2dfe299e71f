using System.Reflection;
using System.Reflection.Emit;

namespace PingAnTong.Edge.Tests.NanoCompat;

/// <summary>Operand type of each IL opcode, from System.Reflection.Emit.OpCodes, to walk method bodies.</summary>
internal static class IlOperands
{
    private static readonly Dictionary<int, OperandType> Table = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => (int)(ushort)o.Value, o => o.OperandType);

    public static OperandType Of(int opcode) =>
        Table.TryGetValue(opcode, out var t) ? t : throw new InvalidDataException($"unknown IL opcode 0x{opcode:X}");
}
