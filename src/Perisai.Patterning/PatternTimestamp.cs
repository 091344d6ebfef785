using System.Globalization;

namespace Perisai.Patterning;

/// <summary>
/// A STIX timestamp (STIX 2.1 §2.16): <c>YYYY-MM-DDTHH:mm:ss[.s+]Z</c>, always UTC. Kept as ticks (100 ns): finer
/// fractions are accepted and compared at that precision. A leap second (<c>:60</c>) is accepted by the grammar and
/// read as the first instant of the next minute.
/// </summary>
public readonly record struct PatternTimestamp(long Ticks) : IComparable<PatternTimestamp>
{
    /// <summary>The instant as a UTC <see cref="DateTime"/>.</summary>
    public DateTime Utc => new(Ticks, DateTimeKind.Utc);

    /// <summary>Parses the STIX form; false when <paramref name="text"/> is not one.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out PatternTimestamp value)
    {
        value = default;
        // YYYY-MM-DDTHH:mm:ss then an optional fraction, then Z.
        if (text.Length < 20 || text[^1] != 'Z' || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
        {
            return false;
        }
        if (!Digits(text[..4], out int year) || !Digits(text.Slice(5, 2), out int month) || !Digits(text.Slice(8, 2), out int day)
            || !Digits(text.Slice(11, 2), out int hour) || !Digits(text.Slice(14, 2), out int minute) || !Digits(text.Slice(17, 2), out int second))
        {
            return false;
        }
        long fractionTicks = 0;
        var rest = text[19..^1];
        if (rest.Length > 0)
        {
            if (rest[0] != '.' || rest.Length < 2)
            {
                return false;
            }
            var digits = rest[1..];
            for (int i = 0; i < digits.Length; i++)
            {
                if (!char.IsAsciiDigit(digits[i]))
                {
                    return false;
                }
                if (i < 7)
                {
                    fractionTicks += (digits[i] - '0') * TickScale[i];
                }
            }
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }
        var at = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc).AddSeconds(second);
        value = new PatternTimestamp(at.Ticks + fractionTicks);
        return true;
    }

    private static readonly long[] TickScale = [1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

    private static bool Digits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = (value * 10) + (c - '0');
        }
        return true;
    }

    /// <inheritdoc />
    public int CompareTo(PatternTimestamp other) => Ticks.CompareTo(other.Ticks);

    /// <summary>Compares two timestamps.</summary>
    public static bool operator <(PatternTimestamp a, PatternTimestamp b) => a.Ticks < b.Ticks;

    /// <summary>Compares two timestamps.</summary>
    public static bool operator >(PatternTimestamp a, PatternTimestamp b) => a.Ticks > b.Ticks;

    /// <summary>Compares two timestamps.</summary>
    public static bool operator <=(PatternTimestamp a, PatternTimestamp b) => a.Ticks <= b.Ticks;

    /// <summary>Compares two timestamps.</summary>
    public static bool operator >=(PatternTimestamp a, PatternTimestamp b) => a.Ticks >= b.Ticks;

    /// <summary>The STIX form, with as many fraction digits as the ticks need (none for whole seconds).</summary>
    public override string ToString()
    {
        string s = Utc.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return s + "Z";
    }
}
