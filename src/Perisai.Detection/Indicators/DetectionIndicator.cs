using Perisai.Stix;

namespace Perisai.Detection.Indicators;

/// <summary>One value an indicator looks for, in canonical form (<see cref="IocNormalizer"/>).</summary>
/// <param name="Kind">What kind of value.</param>
/// <param name="Value">The canonical value; for <see cref="IocKind.Address"/> the key of its address set.</param>
public readonly record struct IocLookup(IocKind Kind, string Value);

/// <summary>
/// An indicator as the scanner uses it: where it came from, when it is valid, and the lookups its pattern reduces to
/// (empty when it needs the pattern engine).
/// </summary>
/// <param name="Id">The STIX id, or <c>list:FILE:LINE</c> for a line of a plain list.</param>
/// <param name="Name">Its name, when it has one.</param>
/// <param name="Pattern">The STIX pattern, or the list line.</param>
/// <param name="ValidFrom"><c>valid_from</c>; null for a list line.</param>
/// <param name="ValidUntil"><c>valid_until</c>; null when open-ended.</param>
/// <param name="Revoked">STIX <c>revoked</c>.</param>
/// <param name="Forced">True to alert even on an allow-listed value (STIX custom property <c>x_perisai_force</c>).</param>
/// <param name="Lookups">The values that make a hit.</param>
public sealed record DetectionIndicator(
    string Id,
    string? Name,
    string Pattern,
    StixTimestamp? ValidFrom,
    StixTimestamp? ValidUntil,
    bool Revoked,
    bool Forced,
    IReadOnlyList<IocLookup> Lookups)
{
    /// <summary>
    /// The pattern already parsed, when it needs the pattern engine and its reader parsed it (so that it is compiled
    /// without being parsed a second time); null otherwise.
    /// </summary>
    public Perisai.Patterning.Syntax.Pattern? Parsed { get; init; }

    /// <summary>
    /// Whether the indicator may alert at <paramref name="now"/>: not revoked, <c>valid_from</c> reached and
    /// <c>valid_until</c> not (§4.7: "the time at which this Indicator should no longer be considered a valid
    /// indicator").
    /// </summary>
    public bool IsActive(DateTimeOffset now) =>
        !Revoked && (ValidFrom is not { } from || from.Instant <= now) && (ValidUntil is not { } until || now < until.Instant);
}
