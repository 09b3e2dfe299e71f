using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace PingAnTong.Edge.Tests.NanoCompat;

/// <summary>
/// Reads a compiled assembly's metadata and IL and lists what nanoFramework 1.x cannot run even
/// though it compiles against the real mscorlib: generic type or method definitions and
/// instantiations of any kind (Action&lt;T&gt; included), multidimensional arrays (the metadata
/// processor fails on them), Enum.ToString (prints the number on nanoFramework; also through boxing
/// into string.Concat/Format), and references to any assembly other than mscorlib.
/// </summary>
public static class NanoMetadataCheck
{
    public static List<string> Check(string assemblyPath) => Check(assemblyPath, "mscorlib");

    /// <summary>Checks an assembly that may reference <paramref name="allowedReferences"/> (the device check references the facades).</summary>
    public static List<string> Check(string assemblyPath, params string[] allowedReferences)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        return Check(pe, allowedReferences);
    }

    public static List<string> Check(byte[] image)
    {
        using var pe = new PEReader(ImmutableArray.Create(image));
        return Check(pe, new[] { "mscorlib" });
    }

    private static List<string> Check(PEReader pe, string[] allowedReferences)
    {
        var md = pe.GetMetadataReader();
        var problems = new List<string>();
        var provider = new FlaggingProvider(md, problems);

        foreach (var h in md.AssemblyReferences)
        {
            string name = md.GetString(md.GetAssemblyReference(h).Name);
            if (!allowedReferences.Contains(name)) problems.Add($"assembly reference '{name}': only {string.Join(", ", allowedReferences)} may be referenced");
        }
        for (int row = 1; row <= md.GetTableRowCount(TableIndex.GenericParam); row++)
        {
            var gp = md.GetGenericParameter(MetadataTokens.GenericParameterHandle(row));
            string owner = gp.Parent.Kind == HandleKind.TypeDefinition
                ? "type " + TypeName(md, (TypeDefinitionHandle)gp.Parent)
                : "method " + MethodName(md, (MethodDefinitionHandle)gp.Parent);
            problems.Add($"generic definition: {owner} declares type parameter '{md.GetString(gp.Name)}'");
        }
        for (int row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
        {
            var spec = md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row));
            provider.Context = "type specification";
            spec.DecodeSignature(provider, null);
        }
        for (int row = 1; row <= md.GetTableRowCount(TableIndex.MethodSpec); row++)
        {
            var spec = md.GetMethodSpecification(MetadataTokens.MethodSpecificationHandle(row));
            string target = spec.Method.Kind == HandleKind.MemberReference
                ? md.GetString(md.GetMemberReference((MemberReferenceHandle)spec.Method).Name)
                : md.GetString(md.GetMethodDefinition((MethodDefinitionHandle)spec.Method).Name);
            problems.Add($"generic method instantiation: {target}<...>");
        }
        foreach (var h in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(h);
            foreach (var fh in type.GetFields())
            {
                provider.Context = "field " + TypeName(md, h) + "." + md.GetString(md.GetFieldDefinition(fh).Name);
                md.GetFieldDefinition(fh).DecodeSignature(provider, null);
            }
            foreach (var mh in type.GetMethods())
            {
                var method = md.GetMethodDefinition(mh);
                provider.Context = "method " + MethodName(md, mh);
                method.DecodeSignature(provider, null);
                if (method.RelativeVirtualAddress != 0) ScanBody(md, pe.GetMethodBody(method.RelativeVirtualAddress), provider.Context, problems, provider);
            }
        }
        return problems.Distinct().ToList();
    }

    private static void ScanBody(MetadataReader md, MethodBodyBlock body, string where, List<string> problems, FlaggingProvider provider)
    {
        if (!body.LocalSignature.IsNil)
        {
            provider.Context = where + " locals";
            md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null);
        }
        var il = body.GetILReader();
        EntityHandle lastEnumBox = default;
        while (il.RemainingBytes > 0)
        {
            int token = NextInstruction(ref il, out int op);
            bool isBoxOrConstrained = op == 0x8C || op == 0xFE16;
            if (isBoxOrConstrained)
            {
                var handle = MetadataTokens.EntityHandle(token);
                lastEnumBox = IsEnum(md, handle) ? handle : default;
                continue;
            }
            if ((op == 0x28 || op == 0x6F) && !lastEnumBox.IsNil)
            {
                string callee = CalleeName(md, MetadataTokens.EntityHandle(token));
                if (callee.EndsWith("::ToString") || callee.StartsWith("System.String::Concat") || callee.StartsWith("System.String::Format"))
                    problems.Add($"Enum.ToString in {where}: {callee} on enum {TypeNameOf(md, lastEnumBox)} prints the number on nanoFramework; use a name table");
            }
            if (op == 0x28 || op == 0x6F)
            {
                string callee = CalleeName(md, MetadataTokens.EntityHandle(token));
                if (callee == "System.Enum::ToString") problems.Add($"Enum.ToString in {where}: prints the number on nanoFramework; use a name table");
            }
            // A box is consumed by the next call or store; keep it only across loads of further arguments.
            if (op == 0x28 || op == 0x6F || op == 0x73 || (op >= 0x0A && op <= 0x0E) || op == 0x26 || op == 0x2A) lastEnumBox = default;
        }
    }

    /// <summary>Reads one IL instruction; returns its metadata token operand (0 when it has none).</summary>
    private static int NextInstruction(ref BlobReader il, out int op)
    {
        op = il.ReadByte();
        if (op == 0xFE) op = 0xFE00 | il.ReadByte();
        switch (IlOperands.Of(op))
        {
            case System.Reflection.Emit.OperandType.InlineNone: return 0;
            case System.Reflection.Emit.OperandType.ShortInlineBrTarget:
            case System.Reflection.Emit.OperandType.ShortInlineI:
            case System.Reflection.Emit.OperandType.ShortInlineVar: il.ReadByte(); return 0;
            case System.Reflection.Emit.OperandType.InlineVar: il.ReadInt16(); return 0;
            case System.Reflection.Emit.OperandType.InlineI8:
            case System.Reflection.Emit.OperandType.InlineR: il.ReadInt64(); return 0;
            case System.Reflection.Emit.OperandType.InlineSwitch:
                int n = il.ReadInt32();
                for (int i = 0; i < n; i++) il.ReadInt32();
                return 0;
            case System.Reflection.Emit.OperandType.InlineBrTarget:
            case System.Reflection.Emit.OperandType.InlineI:
            case System.Reflection.Emit.OperandType.ShortInlineR:
            case System.Reflection.Emit.OperandType.InlineString:
            case System.Reflection.Emit.OperandType.InlineSig: il.ReadInt32(); return 0;
            default: return il.ReadInt32();
        }
    }

    /// <summary>The methods (Type::Method) of types in <paramref name="namespacePrefix"/> that call <paramref name="callee"/> (e.g. System.String::get_Chars).</summary>
    public static List<string> CallersOf(string assemblyPath, string callee, string namespacePrefix)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var callers = new List<string>();
        foreach (var h in md.TypeDefinitions)
        {
            if (!TypeName(md, h).StartsWith(namespacePrefix, StringComparison.Ordinal)) continue;
            foreach (var mh in md.GetTypeDefinition(h).GetMethods())
            {
                var method = md.GetMethodDefinition(mh);
                if (method.RelativeVirtualAddress == 0) continue;
                var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
                while (il.RemainingBytes > 0)
                {
                    int token = NextInstruction(ref il, out int op);
                    if ((op == 0x28 || op == 0x6F) && CalleeName(md, MetadataTokens.EntityHandle(token)) == callee)
                    {
                        callers.Add(MethodName(md, mh));
                        break;
                    }
                }
            }
        }
        return callers;
    }

    private static bool IsEnum(MetadataReader md, EntityHandle handle)
    {
        if (handle.Kind == HandleKind.TypeDefinition)
        {
            var baseType = md.GetTypeDefinition((TypeDefinitionHandle)handle).BaseType;
            return !baseType.IsNil && TypeNameOf(md, baseType) == "System.Enum";
        }
        return false;
    }

    private static string CalleeName(MetadataReader md, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MemberReference:
                var mr = md.GetMemberReference((MemberReferenceHandle)handle);
                return TypeNameOf(md, mr.Parent) + "::" + md.GetString(mr.Name);
            case HandleKind.MethodDefinition:
                return MethodName(md, (MethodDefinitionHandle)handle);
            default:
                return "";
        }
    }

    internal static string TypeNameOf(MetadataReader md, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeReference:
                var tr = md.GetTypeReference((TypeReferenceHandle)handle);
                string ns = md.GetString(tr.Namespace);
                return (ns.Length > 0 ? ns + "." : "") + md.GetString(tr.Name);
            case HandleKind.TypeDefinition:
                return TypeName(md, (TypeDefinitionHandle)handle);
            default:
                return "(type specification)";
        }
    }

    private static string TypeName(MetadataReader md, TypeDefinitionHandle h)
    {
        var t = md.GetTypeDefinition(h);
        string ns = md.GetString(t.Namespace);
        return (ns.Length > 0 ? ns + "." : "") + md.GetString(t.Name);
    }

    private static string MethodName(MetadataReader md, MethodDefinitionHandle h)
    {
        var m = md.GetMethodDefinition(h);
        return TypeName(md, m.GetDeclaringType()) + "::" + md.GetString(m.Name);
    }

    /// <summary>Decodes signatures to names and records generic instantiations and multidimensional arrays.</summary>
    private sealed class FlaggingProvider : ISignatureTypeProvider<string, object>
    {
        private readonly MetadataReader _md;
        private readonly List<string> _problems;

        public FlaggingProvider(MetadataReader md, List<string> problems)
        {
            _md = md;
            _problems = problems;
        }

        public string Context { get; set; } = "";

        public string GetArrayType(string elementType, ArrayShape shape)
        {
            _problems.Add($"multidimensional array {elementType}[{new string(',', shape.Rank - 1)}] in {Context}: use a jagged array");
            return elementType + "[,]";
        }

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
        {
            string name = genericType + "<" + string.Join(",", typeArguments) + ">";
            _problems.Add($"generic instantiation {name} in {Context}");
            return name;
        }

        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetGenericMethodParameter(object genericContext, int index) => "!!" + index;
        public string GetGenericTypeParameter(object genericContext, int index) => "!" + index;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => TypeName(reader, handle);
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => TypeNameOf(reader, handle);
        public string GetTypeFromSpecification(MetadataReader reader, object genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
