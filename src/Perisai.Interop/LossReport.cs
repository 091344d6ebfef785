namespace Perisai.Interop;

/// <summary>What became of a field that has no counterpart in the target format.</summary>
public enum LossFate
{
    /// <summary>Carried over as a custom property (<c>x_misp_*</c> in STIX), so a conversion back restores it.</summary>
    Kept,

    /// <summary>Carried over in a nearby form that does not say exactly the same thing.</summary>
    Approximated,

    /// <summary>Not carried over.</summary>
    Dropped,
}

/// <summary>One field of one item that did not carry over as such.</summary>
/// <param name="Where">The item, e.g. <c>Attribute 5f0c…</c> or <c>indicator--…</c>.</param>
/// <param name="Field">The field, e.g. <c>Attribute.category</c> or <c>kill_chain_phases</c>.</param>
/// <param name="Fate">What became of it.</param>
/// <param name="Detail">How, in a few words.</param>
public sealed record LossEntry(string Where, string Field, LossFate Fate, string Detail);

/// <summary>
/// Every field of a conversion that did not carry over one for one. Conversions are judged by this report: a field
/// absent from it arrived intact. The counts per field cover everything; the entries themselves are kept up to
/// <see cref="MaxEntries"/>, so that exporting a million indicators reports in constant memory.
/// </summary>
public sealed class LossReport
{
    /// <summary>Entries kept one by one; beyond them only the counts grow.</summary>
    public const int MaxEntries = 10_000;

    private readonly List<LossEntry> _entries = [];
    private readonly Dictionary<(string Field, LossFate Fate), (string Detail, int Count)> _counts = [];

    /// <summary>The first <see cref="MaxEntries"/> entries, in the order the conversion met them.</summary>
    public IReadOnlyList<LossEntry> Entries => _entries;

    /// <summary>All entries, including those beyond <see cref="MaxEntries"/>.</summary>
    public long Total { get; private set; }

    /// <summary>Items converted.</summary>
    public int Converted { get; internal set; }

    /// <summary>Adds another conversion's entries (an import of several events reports once).</summary>
    public void AddRange(LossReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var e in other._entries)
        {
            if (_entries.Count < MaxEntries)
            {
                _entries.Add(e);
            }
        }
        foreach (var (key, (detail, count)) in other._counts)
        {
            _counts[key] = (_counts.TryGetValue(key, out var mine) ? mine.Detail : detail, (mine.Count) + count);
        }
        Total += other.Total;
        Converted += other.Converted;
    }

    internal void Kept(string where, string field, string detail) => Add(new LossEntry(where, field, LossFate.Kept, detail));

    internal void Approximated(string where, string field, string detail) => Add(new LossEntry(where, field, LossFate.Approximated, detail));

    internal void Dropped(string where, string field, string detail) => Add(new LossEntry(where, field, LossFate.Dropped, detail));

    private void Add(LossEntry e)
    {
        Total++;
        if (_entries.Count < MaxEntries)
        {
            _entries.Add(e);
        }
        var key = (e.Field, e.Fate);
        _counts[key] = (_counts.TryGetValue(key, out var c) ? c.Detail : e.Detail, c.Count + 1);
    }

    /// <summary>The entries grouped by field and fate, with how many items each concerns: what a person reads.</summary>
    public IReadOnlyList<(string Field, LossFate Fate, string Detail, int Count)> Summary() =>
        [.. _counts.Select(kv => (kv.Key.Field, kv.Key.Fate, kv.Value.Detail, kv.Value.Count))
            .OrderBy(s => s.Fate).ThenBy(s => s.Field, StringComparer.Ordinal)];
}
