using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Perisai.Stix;
using Perisai.Storage;

namespace Perisai.Server.Taxii;

/// <summary>
/// The URL query parameters of TAXII 2.1 §3.4, parsed strictly: a malformed or repeated parameter is a 400.
/// Unknown <c>match[...]</c> fields are ignored, as §3.4 allows.
/// </summary>
public sealed record QueryFilters
{
    /// <summary>added_after, in µs since the epoch.</summary>
    public long? AddedAfter { get; init; }

    /// <summary>limit.</summary>
    public int? Limit { get; init; }

    /// <summary>The position a <c>next</c> value resumes after, in µs since the epoch.</summary>
    public long? Next { get; init; }

    /// <summary>match[id].</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    /// <summary>match[type].</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary>match[version]; "last" when absent.</summary>
    public VersionFilter Versions { get; init; } = VersionFilter.LastOnly;

    /// <summary>match[spec_version].</summary>
    public IReadOnlyList<string>? SpecVersions { get; init; }

    /// <summary>Parses the query string of a request.</summary>
    public static QueryFilters Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var f = new QueryFilters();
        if (Single(query, "added_after") is { } after)
        {
            f = f with { AddedAfter = Micros("added_after", after) };
        }
        if (Single(query, "limit") is { } limit)
        {
            if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n <= 0)
            {
                throw TaxiiException.BadRequest(TaxiiMessages.BadLimit(limit));
            }
            f = f with { Limit = n };
        }
        if (Single(query, "next") is { } next)
        {
            f = f with { Next = Cursor.Decode(next) ?? throw TaxiiException.BadRequest(TaxiiMessages.BadNext(next)) };
        }
        if (Single(query, "match[id]") is { } ids)
        {
            f = f with { Ids = List("match[id]", ids) };
        }
        if (Single(query, "match[type]") is { } types)
        {
            f = f with { Types = List("match[type]", types) };
        }
        if (Single(query, "match[spec_version]") is { } sv)
        {
            f = f with { SpecVersions = List("match[spec_version]", sv) };
        }
        if (Single(query, "match[version]") is { } versions)
        {
            f = f with { Versions = ParseVersions(versions) };
        }
        return f;
    }

    /// <summary>TAXII 2.1 §3.4.1 match[version]: last, first, all, or exact timestamps, comma-separated, no repeats.</summary>
    private static VersionFilter ParseVersions(string value)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool all = false, first = false, last = false;
        var keys = new List<string>();
        foreach (string part in List("match[version]", value))
        {
            string key = part;
            switch (part)
            {
                case "all": all = true; break;
                case "first": first = true; break;
                case "last": last = true; break;
                default:
                    if (!StixTimestamp.TryParse(part, out var ts))
                    {
                        throw TaxiiException.BadRequest(TaxiiMessages.BadTimestamp("match[version]", part));
                    }
                    key = ts.Value.Key;
                    keys.Add(key);
                    break;
            }
            if (!seen.Add(key))
            {
                throw TaxiiException.BadRequest(TaxiiMessages.VersionDuplicate(part));
            }
        }
        if (all && seen.Count > 1)
        {
            throw TaxiiException.BadRequest(TaxiiMessages.VersionAllAlone);
        }
        return new VersionFilter(all, first, last, keys);
    }

    private static string? Single(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }
        if (values.Count > 1)
        {
            // §3.4: added_after "MUST NOT" repeat; each match field "MUST NOT occur more than once".
            throw TaxiiException.BadRequest(TaxiiMessages.Repeated(name));
        }
        return values.Count == 0 ? "" : values[0] ?? "";
    }

    private static string[] List(string name, string value)
    {
        string[] parts = value.Split(',');
        if (parts.Any(p => p.Length == 0))
        {
            throw TaxiiException.BadRequest(TaxiiMessages.EmptyMatch(name));
        }
        return parts;
    }

    private static long Micros(string name, string value)
    {
        if (!StixTimestamp.TryParse(value, out var ts))
        {
            throw TaxiiException.BadRequest(TaxiiMessages.BadTimestamp(name, value));
        }
        // date_added is stamped in whole microseconds; a finer added_after still means "strictly after that instant".
        long ticks = (ts.Value.Instant - DateTimeOffset.UnixEpoch).Ticks;
        return ticks / 10;
    }
}

/// <summary>
/// The opaque <c>next</c> value (TAXII 2.1 §3.5): the date_added of the last object returned. date_added is strictly
/// increasing per collection and assigned in commit order, so "strictly after it" is exact however many objects others
/// add meanwhile, and the value never expires.
/// </summary>
public static class Cursor
{
    private const string Version = "v1.";

    /// <summary>Encodes a position.</summary>
    public static string Encode(long dateAdded) =>
        Version + Base64Url.EncodeToString(Encoding.ASCII.GetBytes(dateAdded.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Decodes a position, or null when the value was not issued by this server.</summary>
    public static long? Decode(string value)
    {
        if (value is null || !value.StartsWith(Version, StringComparison.Ordinal) || value.Length > 40)
        {
            return null;
        }
        try
        {
            string text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(value.AsSpan(Version.Length)));
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
