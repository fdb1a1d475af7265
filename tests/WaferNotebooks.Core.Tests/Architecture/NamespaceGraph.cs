using System.Reflection;
using System.Reflection.Emit;

namespace WaferNotebooks.Core.Tests.Architecture;

/// <summary>
/// Which namespaces of an assembly use which, read from the compiled assembly rather than from
/// <c>using</c> lines: a type depends on every type named in its signatures (base type,
/// interfaces, fields, properties, method parameters and returns, generic arguments, attributes)
/// and in the IL of its method bodies (types, methods and fields it calls, creates or reads,
/// lambdas included, since the compiler puts them in nested types of the same namespace).
/// Fully qualified names, implicit parent-namespace lookups and global usings are all seen,
/// which a scan of source text would miss.
/// </summary>
internal sealed class NamespaceGraph
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Namespace → the namespaces it uses, each with one example "Type → Type" for the message.</summary>
    public Dictionary<string, Dictionary<string, string>> Edges { get; } = [];

    public NamespaceGraph(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            var from = type.Namespace;
            if (from is null) continue;
            foreach (var used in Referenced(type).SelectMany(Flatten).Where(t => t.Assembly == assembly))
            {
                var to = used.Namespace;
                if (to is null || to == from) continue;
                if (!Edges.TryGetValue(from, out var targets)) Edges[from] = targets = [];
                targets.TryAdd(to, $"{Name(type)} → {Name(used)}");
            }
        }
    }

    /// <summary>The sets of namespaces that use each other in a circle (strongly connected components of more than one).</summary>
    public List<List<string>> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var cycles = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in Edges.TryGetValue(v, out var t) ? t.Keys.ToList() : [])
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); component.Add(x); } while (x != v);
            if (component.Count > 1) cycles.Add([.. component.Order()]);
        }
        foreach (var v in Edges.Keys.Concat(Edges.Values.SelectMany(t => t.Keys)).Distinct().Order().ToList())
            if (!index.ContainsKey(v)) Visit(v);
        return cycles;
    }

    /// <summary>The edges inside one cycle, with their examples, for the failure message.</summary>
    public IEnumerable<string> Describe(IReadOnlyCollection<string> cycle) =>
        from a in cycle
        from b in Edges.TryGetValue(a, out var t) ? t.ToList() : []
        where cycle.Contains(b.Key)
        select $"{a} → {b.Key} (e.g. {b.Value})";

    private static string Name(Type t) => t.FullName ?? t.Name;

    /// <summary>A type with its element type and generic arguments, each as a definition.</summary>
    private static IEnumerable<Type> Flatten(Type? t)
    {
        if (t is null || t.IsGenericParameter) yield break;
        if (t.HasElementType)
        {
            foreach (var e in Flatten(t.GetElementType())) yield return e;
            yield break;
        }
        if (t.IsGenericType)
        {
            yield return t.GetGenericTypeDefinition();
            foreach (var a in t.GetGenericArguments().SelectMany(Flatten)) yield return a;
            yield break;
        }
        yield return t;
    }

    private static IEnumerable<Type?> Referenced(Type type)
    {
        yield return type.BaseType;
        foreach (var i in type.GetInterfaces()) yield return i;
        foreach (var a in type.CustomAttributes) yield return a.AttributeType;
        foreach (var f in type.GetFields(Declared)) yield return f.FieldType;
        foreach (var p in type.GetProperties(Declared)) yield return p.PropertyType;
        foreach (var e in type.GetEvents(Declared)) yield return e.EventHandlerType;
        foreach (var m in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (m is MethodInfo mi) yield return mi.ReturnType;
            foreach (var p in m.GetParameters()) yield return p.ParameterType;
            var body = m.GetMethodBody();
            if (body is null) continue;
            foreach (var l in body.LocalVariables) yield return l.LocalType;
            foreach (var t in BodyReferences(m, body.GetILAsByteArray() ?? [])) yield return t;
        }
    }

    /// <summary>The types named by the metadata tokens of a method body's instructions.</summary>
    private static IEnumerable<Type?> BodyReferences(MethodBase method, byte[] il)
    {
        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            short value = il[i++];
            if (value == 0xFE) value = unchecked((short)(0xFE00 | il[i++]));
            var op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineTok or OperandType.InlineMethod or OperandType.InlineField:
                    var token = BitConverter.ToInt32(il, i);
                    i += 4;
                    MemberInfo? member = null;
                    try { member = module.ResolveMember(token, typeArgs, methodArgs); }
                    catch (ArgumentException) { }
                    catch (BadImageFormatException) { }
                    switch (member)
                    {
                        case Type t: yield return t; break;
                        case MethodBase mb:
                            yield return mb.DeclaringType;
                            if (mb is MethodInfo { IsGenericMethod: true } gm)
                                foreach (var a in gm.GetGenericArguments()) yield return a;
                            break;
                        case FieldInfo f: yield return f.DeclaringType; yield return f.FieldType; break;
                    }
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig or OperandType.InlineString or OperandType.ShortInlineR:
                    i += 4;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
            }
        }
    }
}
