using System.Reflection;
using System.Reflection.Emit;
using Perisai.Storage;

namespace Perisai.Web.Tests.Architecture;

/// <summary>
/// The layers hold (issue 15): no type of the web interface or the command line depends on the store, whether in a
/// signature (fields, properties, parameters, returns, injected services) or in a method body (every call, field and
/// type its IL names, lambdas and async state machines included). Only the command line's composition root
/// (<c>LocalNode</c>) opens a store; everything else goes through the application layer of Perisai.Server.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Type[] Forbidden = [typeof(IStixStore), typeof(Perisai.Storage.Sqlite.SqliteStore), typeof(Perisai.Storage.Postgres.PostgresStore)];

    private static readonly Dictionary<short, OpCode> OpCodes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    public static TheoryData<string> Assemblies() => ["Perisai.Web", "perisai"];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void No_type_but_the_composition_root_depends_on_the_store(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);
        var offences = new List<string>();
        foreach (var type in assembly.GetTypes().Where(t => !InCompositionRoot(t)))
        {
            offences.AddRange(Offences(type).Select(o => $"{type.FullName}: {o}"));
        }
        Assert.True(offences.Count == 0, string.Join("\n", offences.Distinct()));
    }

    [Fact]
    public void The_scan_finds_a_dependency_in_a_signature_and_in_a_method_body()
    {
        // The check itself can fail: a type that names the store in a field and one that calls it in a lambda.
        Assert.NotEmpty(Offences(typeof(Planted)));
        Assert.Contains(typeof(Planted).GetNestedTypes(BindingFlags.NonPublic).Append(typeof(Planted)), t => Offences(t).Any(o => o.Contains("calls", StringComparison.Ordinal)));
    }

    private sealed class Planted
    {
        public IStixStore? Store { get; set; }

        public static Func<Task> Lambda(object o) => () => ((IStixStore)o).MigrateAsync();
    }

    // The composition root of the command line, and what the compiler made of its lambdas.
    private static bool InCompositionRoot(Type t) => t.FullName!.StartsWith("Perisai.Cli.Commands.LocalNode", StringComparison.Ordinal);

    private static IEnumerable<string> Offences(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (Involves(type.BaseType) || type.GetInterfaces().Any(Involves))
        {
            yield return "derives from the store";
        }
        foreach (var f in type.GetFields(all).Where(f => Involves(f.FieldType)))
        {
            yield return $"field {f.Name}";
        }
        foreach (var p in type.GetProperties(all).Where(p => Involves(p.PropertyType)))
        {
            yield return $"property {p.Name}";
        }
        foreach (var m in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (m is MethodInfo mi && Involves(mi.ReturnType) || m.GetParameters().Any(p => Involves(p.ParameterType)))
            {
                yield return $"signature of {m.Name}";
            }
            foreach (string named in Named(m))
            {
                yield return $"{m.Name} calls {named}";
            }
        }
    }

    private static bool Involves(Type? t) =>
        t is not null && (Forbidden.Contains(t) || (t.HasElementType && Involves(t.GetElementType())) || (t.IsGenericType && t.GetGenericArguments().Any(Involves)));

    /// <summary>What a method's IL names that involves the store: every token of a call, a field access or a type operand.</summary>
    private static IEnumerable<string> Named(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (InvalidOperationException)
        {
            yield break;
        }
        if (il is null)
        {
            yield break;
        }
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            short code = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var op = OpCodes[code];
            int size = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                MemberInfo? member = null;
                try
                {
                    member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs);
                }
                catch (ArgumentException)
                {
                    // A token the generic context cannot resolve here: it names nothing of ours.
                }
                if (member switch
                {
                    Type t => Involves(t),
                    FieldInfo f => Involves(f.FieldType) || Involves(f.DeclaringType),
                    MethodBase m => Involves(m.DeclaringType) || (m is MethodInfo r && Involves(r.ReturnType)) || m.GetParameters().Any(p => Involves(p.ParameterType)),
                    _ => false,
                })
                {
                    yield return $"{member!.DeclaringType?.Name}.{member.Name}";
                }
            }
            i += size;
        }
    }
}
