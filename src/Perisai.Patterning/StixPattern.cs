using Perisai.Patterning.Syntax;

namespace Perisai.Patterning;

/// <summary>
/// The front door of the patterning library: parse and check a STIX 2.1 pattern (§9) in one call. A pattern that
/// parses but breaks a rule of §9 (AND across object types, two qualifiers of a kind, a bad regular expression) is
/// invalid too: §9.4 says an invalid pattern MUST NOT match anything, so it is refused before it can be used.
/// </summary>
public static class StixPattern
{
    /// <summary>Parses and checks <paramref name="text"/>; false with every error when it is not a valid pattern.</summary>
    public static bool TryParse(string text, out Pattern? pattern, out IReadOnlyList<PatternError> errors)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<PatternError>();
        pattern = Parser.Parse(text, list);
        if (pattern is not null)
        {
            Analyzer.Check(pattern, list);
        }
        list.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        errors = list;
        if (list.Count > 0)
        {
            pattern = null;
            return false;
        }
        return true;
    }

    /// <summary>
    /// Parses and checks <paramref name="text"/> as <see cref="TryParse(string, out Pattern?, out IReadOnlyList{PatternError})"/>,
    /// and gives the warnings of a valid pattern (what it says cannot be meant: a START/STOP window with no instant in it).
    /// </summary>
    public static bool TryParse(string text, out Pattern? pattern, out IReadOnlyList<PatternError> errors, out IReadOnlyList<PatternError> warnings)
    {
        var list = new List<PatternError>();
        if (TryParse(text, out pattern, out errors))
        {
            Analyzer.Warn(pattern!, list);
        }
        warnings = list;
        return pattern is not null;
    }

    /// <summary>The warnings of a valid pattern; empty when it has none or is invalid.</summary>
    public static IReadOnlyList<PatternError> Warnings(string text)
    {
        return TryParse(text, out _, out _, out var warnings) ? warnings : [];
    }

    /// <summary>Parses and checks <paramref name="text"/>; throws <see cref="PatternException"/> with every error when invalid.</summary>
    public static Pattern Parse(string text)
    {
        if (!TryParse(text, out var pattern, out var errors))
        {
            throw new PatternException(errors);
        }
        return pattern!;
    }

    /// <summary>Every error of <paramref name="text"/>; empty when it is a valid pattern.</summary>
    public static IReadOnlyList<PatternError> Validate(string text)
    {
        return TryParse(text, out _, out var errors) ? [] : errors;
    }
}
