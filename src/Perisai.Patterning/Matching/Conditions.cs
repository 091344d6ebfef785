using System.Text.Json;
using Perisai.Patterning.Syntax;

namespace Perisai.Patterning.Matching;

/// <summary>
/// A compiled comparison expression: true or false of one SCO, the root every object path of an observation
/// expression starts from (§9.5: "all Comparison Expressions ... MUST start matching against the same SCO").
/// </summary>
internal abstract class Condition
{
    /// <summary>The bits of every object type the condition can be true of (see <see cref="Observation.TypeBit"/>).</summary>
    public abstract ulong TypeMask { get; }

    public abstract bool Test(JsonElement root, string rootType, Observation observation);

    /// <summary>The object types the condition can be true of.</summary>
    public abstract IEnumerable<string> Types { get; }

    /// <summary>
    /// Values that any SCO satisfying the condition must hold at some path, as index lookups (one of them suffices);
    /// null when the condition has no such equality, and every SCO of its types must be tried.
    /// </summary>
    public virtual IReadOnlyList<IndexProbe>? Lookups => null;

    public static Condition Compile(ComparisonExpression e) => e switch
    {
        ComparisonGroup { Operator: BooleanOperator.And } g => new AllOf([.. g.Operands.Select(Compile)]),
        ComparisonGroup g => new AnyOf([.. g.Operands.Select(Compile)]),
        PropertyComparison p => Compile(p, ValueTest.Create(p)),
        SetComparison s => Compile(s, new InTest(s.Values)),
        ExistsComparison x => new Exists(x.Path, x.Negated),
        _ => throw new ArgumentException($"unknown comparison {e.GetType().Name}", nameof(e)),
    };

    private static Comparison Compile(PropertyComparison p, ValueTest test) => new(p.Path, p.Negated, test, Probes(p, test));

    private static Comparison Compile(SetComparison s, ValueTest test) => new(s.Path, s.Negated, test, Probes(s, test));

    /// <summary>
    /// Where candidates for a comparison can be looked up: equality with strings (=, IN), ISSUBSET, LIKE and MATCHES, not negated,
    /// on a path the indexes cover.
    /// </summary>
    private static IReadOnlyList<IndexProbe>? Probes(ComparisonExpression e, ValueTest test)
    {
        switch (e)
        {
            case PropertyComparison { Negated: false, Operator: ComparisonOperator.Like or ComparisonOperator.Matches } p when IndexPath.From(p.Path) is { } path:
                return [new TextProbe(path, ((TextTest)test).Accepts)];
            case PropertyComparison { Negated: false, Operator: ComparisonOperator.Equal, Value: StringLiteral v } p when IndexPath.From(p.Path) is { } path:
                return [new ValueProbe(path, v.Value)];
            case PropertyComparison { Negated: false, Operator: ComparisonOperator.IsSubset, Value: StringLiteral v } p
                when IndexPath.From(p.Path) is { } path && IpSet.TryParse(v.Value, out var network):
                return [new SubsetProbe(path, network)];
            case SetComparison { Negated: false } s when s.Values.All(v => v is StringLiteral) && IndexPath.From(s.Path) is { } path:
                return [.. s.Values.Select(v => new ValueProbe(path, ((StringLiteral)v).Value))];
            default:
                return null;
        }
    }
}

internal sealed class AllOf(Condition[] operands) : Condition
{
    // AND needs one type for all operands (§9.5, checked by the analyzer): any operand's bits will do, the narrowest best.
    public override ulong TypeMask { get; } = operands.Aggregate(ulong.MaxValue, (m, c) => m & c.TypeMask);

    public override IEnumerable<string> Types => operands[0].Types;

    // Any operand's lookup narrows enough: an SCO satisfying all operands satisfies that one.
    public override IReadOnlyList<IndexProbe>? Lookups { get; } = operands.Select(o => o.Lookups).FirstOrDefault(l => l is not null);

    public override bool Test(JsonElement root, string rootType, Observation observation)
    {
        foreach (var c in operands)
        {
            if (!c.Test(root, rootType, observation))
            {
                return false;
            }
        }
        return true;
    }
}

internal sealed class AnyOf(Condition[] operands) : Condition
{
    public override ulong TypeMask { get; } = operands.Aggregate(0UL, (m, c) => m | c.TypeMask);

    public override IEnumerable<string> Types => operands.SelectMany(o => o.Types).Distinct(StringComparer.Ordinal);

    // Either operand may be the one satisfied, so every operand must offer a lookup.
    public override IReadOnlyList<IndexProbe>? Lookups { get; } =
        operands.All(o => o.Lookups is not null) ? [.. operands.SelectMany(o => o.Lookups!)] : null;

    public override bool Test(JsonElement root, string rootType, Observation observation)
    {
        foreach (var c in operands)
        {
            if (c.Test(root, rootType, observation))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>An object path made ready to walk: the steps, and where a reference must be followed (§9.7.4).</summary>
internal sealed class CompiledPath
{
    public CompiledPath(ObjectPath path)
    {
        Type = path.ObjectType;
        Steps = [.. path.Steps];
        Utf8Keys = [.. Steps.Select(s => s is KeyStep k ? System.Text.Encoding.UTF8.GetBytes(k.Name) : [])];
        FollowBefore = new bool[Steps.Length];
        string? lastKey = null;
        for (int i = 0; i < Steps.Length; i++)
        {
            if (Steps[i] is KeyStep key)
            {
                // A key after x_ref, or after x_refs[n] / x_refs[*], is a property of the object referred to.
                FollowBefore[i] = i > 0 && lastKey is not null
                    && ((Steps[i - 1] is KeyStep && lastKey.EndsWith("_ref", StringComparison.Ordinal))
                        || (Steps[i - 1] is IndexStep or AnyIndexStep && lastKey.EndsWith("_refs", StringComparison.Ordinal)));
                lastKey = key.Name;
            }
        }
    }

    public string Type { get; }

    public PathStep[] Steps { get; }

    /// <summary>Each key step's name in UTF-8, as the JSON document holds names: looked up without transcoding.</summary>
    public byte[][] Utf8Keys { get; }

    public bool[] FollowBefore { get; }

    public ulong TypeMask => Observation.TypeBit(Type);

    /// <summary>
    /// Walks the path from <paramref name="root"/> and asks <paramref name="leaf"/> about each non-null value reached
    /// (one, or one per element under <c>[*]</c>); true as soon as one is accepted. A step that cannot be taken (a
    /// missing key, an index out of range, a reference the observation does not hold) reaches nothing (§9.6, §9.7).
    /// Generic over a struct so that each caller's test is called directly.
    /// </summary>
    public bool Any<TLeaf>(JsonElement root, Observation observation, TLeaf leaf) where TLeaf : struct, IPathLeaf =>
        Walk(root, 0, null, root, observation, leaf);

    private bool Walk<TLeaf>(JsonElement current, int i, string? lastKey, JsonElement owner, Observation observation, TLeaf leaf) where TLeaf : struct, IPathLeaf
    {
        while (i < Steps.Length)
        {
            if (FollowBefore[i] && (current.ValueKind != JsonValueKind.String || !observation.TryResolve(current.GetString()!, out current)))
            {
                return false; // a reference to an object the observation does not hold: not present (§9.7.4)
            }
            switch (Steps[i])
            {
                case KeyStep key:
                    if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(Utf8Keys[i], out var next))
                    {
                        return false;
                    }
                    owner = current;
                    lastKey = key.Name;
                    current = next;
                    break;
                case IndexStep index:
                    // §9.7.2: an index out of range (negative ones included) makes the operation false.
                    if (current.ValueKind != JsonValueKind.Array || index.Index < 0 || index.Index >= current.GetArrayLength())
                    {
                        return false;
                    }
                    current = current[(int)index.Index];
                    break;
                case AnyIndexStep:
                    if (current.ValueKind != JsonValueKind.Array)
                    {
                        return false;
                    }
                    foreach (var item in current.EnumerateArray())
                    {
                        if (Walk(item, i + 1, lastKey, owner, observation, leaf))
                        {
                            return true;
                        }
                    }
                    return false;
            }
            i++;
        }
        return current.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) && leaf.Accept(current, lastKey, owner);
    }
}

/// <summary>What a condition does with a value its path reached: the last key taken and the object it was taken from.</summary>
internal interface IPathLeaf
{
    bool Accept(JsonElement value, string? lastKey, JsonElement parent);
}

/// <summary>
/// <c>path op value</c>, <c>path IN (…)</c>: true when some value the path reaches passes the test (with NOT, fails it).
/// A path that reaches nothing makes the comparison false whatever the operator and NOT (§9.6).
/// </summary>
internal sealed class Comparison(ObjectPath path, bool negated, ValueTest test, IReadOnlyList<IndexProbe>? probes) : Condition
{
    private readonly CompiledPath _path = new(path);
    private readonly ValueTest _test = test;
    private readonly bool _negated = negated;

    public override ulong TypeMask => _path.TypeMask;

    public override IEnumerable<string> Types => [_path.Type];

    public override IReadOnlyList<IndexProbe>? Lookups { get; } = probes;

    public override bool Test(JsonElement root, string rootType, Observation observation)
    {
        if (!string.Equals(rootType, _path.Type, StringComparison.Ordinal))
        {
            return false;
        }
        return _path.Any(root, observation, new Leaf(this));
    }

    /// <summary>Whether one value the path reached passes (with NOT, fails) the test; see <see cref="CompiledPath.Any"/>.</summary>
    private readonly struct Leaf(Comparison owner) : IPathLeaf
    {
        public bool Accept(JsonElement value, string? lastKey, JsonElement parent)
        {
            var outcome = owner._test.Test(value, FormOf(lastKey, parent, owner._test.NeedsAddressForm));
            return outcome != Outcome.Absent && (outcome == Outcome.True) != owner._negated;
        }
    }

    private static ValueForm FormOf(string? key, JsonElement owner, bool addresses)
    {
        if (key is null)
        {
            return ValueForm.Plain;
        }
        // §9.6.4: properties ending in _bin and _hex are binary; their text is decoded before comparing.
        if (key.EndsWith("_bin", StringComparison.Ordinal))
        {
            return ValueForm.Base64;
        }
        if (key.EndsWith("_hex", StringComparison.Ordinal))
        {
            return ValueForm.Hex;
        }
        if (addresses && key == "value" && owner.TryGetProperty("type", out var type) && (type.ValueEquals("ipv4-addr") || type.ValueEquals("ipv6-addr")))
        {
            return ValueForm.Ip;
        }
        return ValueForm.Plain;
    }
}

/// <summary><c>EXISTS path</c>: the path reaches a value (a JSON null counts as absent).</summary>
internal sealed class Exists(ObjectPath path, bool negated) : Condition
{
    private readonly CompiledPath _path = new(path);

    public override ulong TypeMask => _path.TypeMask;

    public override IEnumerable<string> Types => [_path.Type];

    public override bool Test(JsonElement root, string rootType, Observation observation)
    {
        if (!string.Equals(rootType, _path.Type, StringComparison.Ordinal))
        {
            return false; // NOT EXISTS is still a test of an object of the path's type
        }
        return _path.Any(root, observation, default(Leaf)) != negated;
    }

    private readonly struct Leaf : IPathLeaf
    {
        public bool Accept(JsonElement value, string? lastKey, JsonElement parent) => true;
    }
}
