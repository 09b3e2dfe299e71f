#nullable enable
using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace PingAnTong.Edge.ApiListing
{
    /// <summary>
    /// The plain-text public API of a set of types, one line per type and per member, from Roslyn symbols
    /// (so the same text comes from a package's sources, from a compiled assembly and from our compile-only
    /// facades). Shared by the listing tool and by the facade test (tests/PingAnTong.Edge.Tests links this file).
    /// <code>
    /// System.Device.Gpio.GpioPin = public sealed class : object, System.IDisposable
    /// System.Device.Gpio.GpioPin :: public System.Device.Gpio.PinValue Read()
    /// System.Device.Gpio.PinEventTypes = public enum : int [Flags]
    /// System.Device.Gpio.PinEventTypes :: Rising = 1
    /// </code>
    /// A type line is "Name = ..." and a member line "Name :: ..." where Name is the type's full name (nested
    /// types as Outer.Inner); a type line names every interface the type implements that its base type does not. Only what another assembly can use is listed: public types, public and protected
    /// members (protected internal counts as protected); internal, private and explicit interface
    /// implementations are left out, and so are static constructors, finalizers and a struct's implicit
    /// parameterless constructor. Attributes are left out except [Flags], [AttributeUsage] and [Obsolete].
    /// </summary>
    public static class ApiLister
    {
        /// <summary>Type names as C# writes them fully qualified, with keywords for the special types (int, string, object).</summary>
        public static readonly SymbolDisplayFormat TypeFormat = new SymbolDisplayFormat(
            globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

        /// <summary>The type's own full name, without keyword substitution (System.Object, not object).</summary>
        public static readonly SymbolDisplayFormat NameFormat = new SymbolDisplayFormat(
            globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

        /// <summary>Every visible type in the namespaces of <paramref name="assembly"/> (its own declarations only).</summary>
        public static IEnumerable<INamedTypeSymbol> VisibleTypes(IAssemblySymbol assembly)
        {
            var stack = new Stack<INamespaceSymbol>();
            stack.Push(assembly.GlobalNamespace);
            while (stack.Count > 0)
            {
                var ns = stack.Pop();
                foreach (var child in ns.GetNamespaceMembers()) stack.Push(child);
                foreach (var type in ns.GetTypeMembers())
                {
                    foreach (var t in WithNested(type)) yield return t;
                }
            }
        }

        private static IEnumerable<INamedTypeSymbol> WithNested(INamedTypeSymbol type)
        {
            if (!IsVisible(type)) yield break;
            yield return type;
            foreach (var nested in type.GetTypeMembers())
            {
                foreach (var t in WithNested(nested)) yield return t;
            }
        }

        private static bool IsVisible(ISymbol symbol)
        {
            if (symbol.Name.StartsWith("<", StringComparison.Ordinal)) return false;
            switch (symbol.DeclaredAccessibility)
            {
                case Accessibility.Public:
                    break;
                case Accessibility.Protected:
                case Accessibility.ProtectedOrInternal:
                    if (symbol.ContainingType == null || symbol.ContainingType.IsSealed) return false;
                    break;
                default:
                    return false;
            }
            return symbol.ContainingType == null || IsVisible(symbol.ContainingType);
        }

        /// <summary>The sorted listing of <paramref name="types"/>: each type's line, then its members' lines.</summary>
        public static List<string> List(IEnumerable<INamedTypeSymbol> types)
        {
            var lines = new List<string>();
            foreach (var type in types.Where(IsVisible).OrderBy(t => Name(t), StringComparer.Ordinal))
            {
                lines.Add(TypeLine(type));
                lines.AddRange(MemberLines(type).Distinct().OrderBy(l => l, StringComparer.Ordinal));
            }
            return lines;
        }

        public static string Name(INamedTypeSymbol type) => type.ToDisplayString(NameFormat);

        public static string TypeLine(INamedTypeSymbol type)
        {
            var sb = new StringBuilder();
            sb.Append(Name(type)).Append(" = ").Append(Access(type.DeclaredAccessibility));
            switch (type.TypeKind)
            {
                case TypeKind.Enum:
                    sb.Append(" enum : ").Append(Display(type.EnumUnderlyingType!));
                    break;
                case TypeKind.Delegate:
                    var invoke = type.DelegateInvokeMethod!;
                    sb.Append(" delegate ").Append(Display(invoke.ReturnType)).Append(' ').Append(type.Name).Append(Parameters(invoke.Parameters));
                    break;
                case TypeKind.Interface:
                    sb.Append(" interface");
                    AppendInterfaces(sb, type, first: true);
                    break;
                case TypeKind.Struct:
                    if (type.IsReadOnly) sb.Append(" readonly");
                    if (type.IsRefLikeType) sb.Append(" ref");
                    sb.Append(" struct");
                    AppendInterfaces(sb, type, first: true);
                    break;
                default:
                    if (type.IsStatic) sb.Append(" static");
                    else if (type.IsAbstract) sb.Append(" abstract");
                    else if (type.IsSealed) sb.Append(" sealed");
                    sb.Append(" class");
                    if (type.BaseType != null)
                    {
                        sb.Append(" : ").Append(Display(type.BaseType));
                        AppendInterfaces(sb, type, first: false);
                    }
                    else
                    {
                        AppendInterfaces(sb, type, first: true);
                    }
                    break;
            }
            sb.Append(Attributes(type));
            return sb.ToString();
        }

        private static void AppendInterfaces(StringBuilder sb, INamedTypeSymbol type, bool first)
        {
            // All interfaces the type implements and its base type does not: the same from sources (where
            // only some are written) and from metadata (where all are recorded).
            var inherited = type.BaseType?.AllInterfaces ?? ImmutableArray<INamedTypeSymbol>.Empty;
            foreach (var i in type.AllInterfaces.Where(i => !inherited.Contains(i, SymbolEqualityComparer.Default)).Select(Display).Distinct().OrderBy(x => x, StringComparer.Ordinal))
            {
                sb.Append(first ? " : " : ", ").Append(i);
                first = false;
            }
        }

        private static string Attributes(ISymbol symbol)
        {
            var parts = new List<string>();
            foreach (var a in symbol.GetAttributes())
            {
                string? name = a.AttributeClass?.ToDisplayString(NameFormat);
                if (name == "System.FlagsAttribute") parts.Add("[Flags]");
                else if (name == "System.ObsoleteAttribute")
                {
                    bool error = a.ConstructorArguments.Length > 1 && a.ConstructorArguments[1].Value is true;
                    parts.Add(error ? "[Obsolete(error)]" : "[Obsolete]");
                }
                else if (name == "System.AttributeUsageAttribute")
                {
                    // Named arguments only where they differ from the defaults (AllowMultiple = false, Inherited = true).
                    var named = a.NamedArguments.Where(n => !(n.Key == "AllowMultiple" && n.Value.Value is false) && !(n.Key == "Inherited" && n.Value.Value is true));
                    var args = a.ConstructorArguments.Select(c => Constant(c.Type, c.Value))
                        .Concat(named.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => n.Key + " = " + Constant(n.Value.Type, n.Value.Value)));
                    parts.Add("[AttributeUsage(" + string.Join(", ", args) + ")]");
                }
            }
            parts.Sort(StringComparer.Ordinal);
            return parts.Count == 0 ? "" : " " + string.Join(" ", parts);
        }

        private static IEnumerable<string> MemberLines(INamedTypeSymbol type)
        {
            string prefix = Name(type) + " :: ";
            foreach (var member in type.GetMembers())
            {
                if (member is INamedTypeSymbol) continue; // nested types have their own lines
                if (type.TypeKind == TypeKind.Enum)
                {
                    if (member is IFieldSymbol f && f.HasConstantValue)
                        yield return prefix + f.Name + " = " + Convert.ToString(f.ConstantValue, CultureInfo.InvariantCulture);
                    continue;
                }
                if (type.TypeKind == TypeKind.Delegate) continue; // the type line has the signature
                string? line = MemberLine(type, member);
                if (line != null) yield return prefix + line + Attributes(member);
            }
        }

        private static string? MemberLine(INamedTypeSymbol type, ISymbol member)
        {
            if (member.IsImplicitlyDeclared && !(member is IMethodSymbol { MethodKind: MethodKind.Constructor } && type.TypeKind == TypeKind.Class)) return null;
            if (!IsVisible(member)) return null;
            string access = Access(member.DeclaredAccessibility);
            switch (member)
            {
                case IMethodSymbol m:
                    switch (m.MethodKind)
                    {
                        case MethodKind.Constructor:
                            return access + " .ctor" + Parameters(m.Parameters);
                        case MethodKind.Ordinary:
                        case MethodKind.UserDefinedOperator:
                        case MethodKind.Conversion:
                            return access + Modifiers(m) + " " + Display(m.ReturnType) + " " + m.Name + TypeParameters(m) + Parameters(m.Parameters);
                        default:
                            return null; // accessors, static constructors, finalizers, explicit implementations
                    }
                case IPropertySymbol p:
                    if (p.ExplicitInterfaceImplementations.Length > 0) return null;
                    string name = p.IsIndexer ? "this[" + string.Join(", ", p.Parameters.Select(Parameter)) + "]" : p.Name;
                    return access + Modifiers(p) + " " + Display(p.Type) + " " + name + " {" + Accessor("get", p.GetMethod, p) + Accessor("set", p.SetMethod, p) + " }";
                case IEventSymbol e:
                    if (e.ExplicitInterfaceImplementations.Length > 0) return null;
                    return access + Modifiers(e) + " event " + Display(e.Type) + " " + e.Name;
                case IFieldSymbol f:
                    if (f.IsConst) return access + " const " + Display(f.Type) + " " + f.Name + " = " + Constant(f.Type, f.ConstantValue);
                    return access + (f.IsStatic ? " static" : "") + (f.IsReadOnly ? " readonly" : "") + " " + Display(f.Type) + " " + f.Name;
                default:
                    return null;
            }
        }

        private static string Accessor(string keyword, IMethodSymbol? accessor, IPropertySymbol property)
        {
            if (accessor == null || !IsVisible(accessor)) return "";
            if (accessor.IsInitOnly) keyword = "init";
            return accessor.DeclaredAccessibility == property.DeclaredAccessibility ? " " + keyword + ";" : " " + Access(accessor.DeclaredAccessibility) + " " + keyword + ";";
        }

        private static string Modifiers(ISymbol member)
        {
            var sb = new StringBuilder();
            if (member.IsStatic) sb.Append(" static");
            if (member.ContainingType.TypeKind != TypeKind.Interface)
            {
                if (member.IsAbstract) sb.Append(" abstract");
                else if (member.IsOverride) sb.Append(member.IsSealed ? " sealed override" : " override");
                else if (member.IsVirtual) sb.Append(" virtual");
            }
            return sb.ToString();
        }

        private static string TypeParameters(IMethodSymbol m) =>
            m.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", m.TypeParameters.Select(t => t.Name)) + ">";

        private static string Parameters(IEnumerable<IParameterSymbol> parameters) => "(" + string.Join(", ", parameters.Select(Parameter)) + ")";

        private static string Parameter(IParameterSymbol p)
        {
            var sb = new StringBuilder();
            if (p.Ordinal == 0 && p.ContainingSymbol is IMethodSymbol { IsExtensionMethod: true }) sb.Append("this ");
            if (p.IsParams) sb.Append("params ");
            switch (p.RefKind)
            {
                case RefKind.Ref: sb.Append("ref "); break;
                case RefKind.Out: sb.Append("out "); break;
                case RefKind.In: sb.Append("in "); break;
            }
            sb.Append(Display(p.Type)).Append(' ').Append(p.Name);
            if (p.HasExplicitDefaultValue) sb.Append(" = ").Append(Constant(p.Type, p.ExplicitDefaultValue));
            return sb.ToString();
        }

        private static string Display(ITypeSymbol type)
        {
            if (type is IErrorTypeSymbol) throw new InvalidOperationException("unresolved type in a public signature: " + type.ToDisplayString());
            if (type is IArrayTypeSymbol a && a.ElementType is IErrorTypeSymbol) throw new InvalidOperationException("unresolved type in a public signature: " + type.ToDisplayString());
            return type.ToDisplayString(TypeFormat);
        }

        private static string Constant(ITypeSymbol? type, object? value)
        {
            if (value == null) return type != null && type.IsValueType ? "default" : "null";
            if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum } e)
            {
                var match = e.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
                return match != null ? Display(e) + "." + match.Name : "(" + Display(e) + ")" + Convert.ToString(value, CultureInfo.InvariantCulture);
            }
            switch (value)
            {
                case string s: return "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r", "\\r").Replace("\n", "\\n") + "\"";
                case char c: return "'" + (c == '\'' || c == '\\' ? "\\" + c : c < ' ' ? "\\u" + ((int)c).ToString("x4") : c.ToString()) + "'";
                case bool b: return b ? "true" : "false";
                case float f: return f.ToString("R", CultureInfo.InvariantCulture) + "f";
                case double d: return d.ToString("R", CultureInfo.InvariantCulture);
                case ITypeSymbol t: return "typeof(" + Display(t) + ")";
                default: return Convert.ToString(value, CultureInfo.InvariantCulture)!;
            }
        }

        private static string Access(Accessibility a)
        {
            switch (a)
            {
                case Accessibility.Public: return "public";
                case Accessibility.Protected:
                case Accessibility.ProtectedOrInternal: return "protected";
                default: return a.ToString().ToLowerInvariant();
            }
        }
    }
}
