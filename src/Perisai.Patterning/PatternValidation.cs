using Perisai.Stix.Validation;

namespace Perisai.Patterning;

/// <summary>Plugs the patterning language into STIX validation, so an indicator with an invalid pattern is refused.</summary>
public static class PatternValidation
{
    /// <summary>Validation options that check every <c>pattern_type: stix</c> indicator's pattern with <see cref="StixPattern"/>.</summary>
    public static StixValidationOptions Options { get; } = new()
    {
        StixPatternCheck = pattern =>
        {
            StixPattern.TryParse(pattern, out _, out var errors, out var warnings);
            return [.. errors.Select(e => new PatternProblem(e.Code, e.Offset, e.Message)), .. warnings.Select(w => new PatternProblem(w.Code, w.Offset, w.Message) { Warning = true })];
        },
    };
}
