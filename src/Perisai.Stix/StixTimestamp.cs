using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Perisai.Stix;

/// <summary>
/// A STIX timestamp (STIX 2.1 §2.16): <c>YYYY-MM-DDTHH:mm:ss[.s+]Z</c>, always UTC with the "Z" designator.
/// Keeps the text as written and a sortable key normalised to nanoseconds, so that two spellings of one
/// instant (<c>...:00Z</c> and <c>...:00.000Z</c>) compare equal while the original text is served back unchanged.
/// </summary>
public readonly record struct StixTimestamp : IComparable<StixTimestamp>
{
    private StixTimestamp(string text, string key, int fractionDigits, DateTimeOffset instant)
    {
        Text = text;
        Key = key;
        FractionDigits = fractionDigits;
        Instant = instant;
    }

    /// <summary>The timestamp exactly as written.</summary>
    public string Text { get; }

    /// <summary>Fixed-width form <c>yyyy-MM-ddTHH:mm:ss.fffffffffZ</c>; ordinal order is time order.</summary>
    public string Key { get; }

    /// <summary>How many sub-second digits were written (0 when there is no decimal point).</summary>
    public int FractionDigits { get; }

    /// <summary>The instant, truncated to the 100 ns resolution of <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset Instant { get; }

    /// <summary>Parses a STIX timestamp; false for anything that is not exactly of the §2.16.1 form.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out StixTimestamp? result)
    {
        result = null;
        if (text is null || text.Length < 20 || text[^1] != 'Z')
        {
            return false;
        }
        ReadOnlySpan<char> s = text;
        if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        {
            return false;
        }
        if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day)
            || !Digits(s, 11, 2, out int hour) || !Digits(s, 14, 2, out int minute) || !Digits(s, 17, 2, out int second))
        {
            return false;
        }
        ReadOnlySpan<char> fraction = [];
        if (s.Length > 20)
        {
            // "The brackets denote that sub-second precision is optional, and that if no digits are provided,
            // the decimal place MUST NOT be present." (§2.16.1)
            if (s[19] != '.' || s.Length == 21)
            {
                return false;
            }
            fraction = s[20..^1];
            foreach (char c in fraction)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }
        }
        else if (s[19] != 'Z')
        {
            return false;
        }
        // RFC 3339 allows a leap second (:60); .NET cannot represent it, and neither can most stores.
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        string nanos = fraction.Length >= 9 ? fraction[..9].ToString() : fraction.ToString().PadRight(9, '0');
        long ticks = long.Parse(nanos.AsSpan(0, 7), CultureInfo.InvariantCulture);
        var instant = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).AddTicks(ticks);
        string key = string.Create(CultureInfo.InvariantCulture, $"{s[..19]}.{nanos}Z");
        result = new StixTimestamp(text, key, fraction.Length, instant);
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/>.</summary>
    public static StixTimestamp Parse(string text) =>
        TryParse(text, out var ts) ? ts.Value : throw new FormatException($"'{text}' is not a STIX timestamp (YYYY-MM-DDTHH:mm:ss[.s+]Z).");

    /// <summary>Formats an instant with the given number of sub-second digits (0, 3 or 6 are usual).</summary>
    public static string Format(DateTimeOffset instant, int fractionDigits = 3)
    {
        var utc = instant.UtcDateTime;
        return fractionDigits switch
        {
            0 => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            3 => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            6 => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(fractionDigits), fractionDigits, "Use 0, 3 or 6."),
        };
    }

    /// <inheritdoc />
    public int CompareTo(StixTimestamp other) => string.CompareOrdinal(Key, other.Key);

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>Orders by instant.</summary>
    public static bool operator <(StixTimestamp left, StixTimestamp right) => left.CompareTo(right) < 0;

    /// <summary>Orders by instant.</summary>
    public static bool operator >(StixTimestamp left, StixTimestamp right) => left.CompareTo(right) > 0;

    /// <summary>Orders by instant.</summary>
    public static bool operator <=(StixTimestamp left, StixTimestamp right) => left.CompareTo(right) <= 0;

    /// <summary>Orders by instant.</summary>
    public static bool operator >=(StixTimestamp left, StixTimestamp right) => left.CompareTo(right) >= 0;

    private static bool Digits(ReadOnlySpan<char> s, int start, int length, out int value)
    {
        value = 0;
        for (int i = start; i < start + length; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }
            value = (value * 10) + (s[i] - '0');
        }
        return true;
    }
}
