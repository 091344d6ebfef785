using System.Runtime.CompilerServices;
using Perisai.Detection.Indicators;

namespace Perisai.Detection.Logs;

/// <summary>
/// Field names (dotted paths) to the kind of value they hold, looked up from characters on the stack: a small
/// open-addressing table with its own hash, built once per parser. The dictionary's span lookup went through the runtime's
/// generic dispatch on every string of every JSON line, which cost more than reading the line.
/// </summary>
internal sealed class FieldTable
{
    private readonly string?[] _names;
    private readonly IocKind[] _kinds;
    private readonly int _mask;

    public FieldTable(IEnumerable<KeyValuePair<string, IocKind>> fields)
    {
        var all = fields.ToList();
        int size = 64;
        while (size < all.Count * 4)
        {
            size *= 2;
        }
        _names = new string?[size];
        _kinds = new IocKind[size];
        _mask = size - 1;
        foreach (var (name, kind) in all)
        {
            int i = Hash(name) & _mask;
            while (_names[i] is { } other && other != name)
            {
                i = (i + 1) & _mask;
            }
            // A later entry for the same name wins: mapped fields (--field) over the known ones.
            _names[i] = name;
            _kinds[i] = kind;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetValue(ReadOnlySpan<char> name, out IocKind kind)
    {
        for (int i = Hash(name) & _mask; _names[i] is { } candidate; i = (i + 1) & _mask)
        {
            if (candidate.AsSpan().SequenceEqual(name))
            {
                kind = _kinds[i];
                return true;
            }
        }
        kind = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ReadOnlySpan<char> s)
    {
        uint h = 2166136261;
        foreach (char c in s)
        {
            h = (h ^ c) * 16777619;
        }
        return (int)(h ^ (h >> 15));
    }
}
