namespace Perisai.Stix.Validation;

/// <summary>One problem of an indicator's pattern, as a pattern language reports it.</summary>
/// <param name="Code">The language's own code, e.g. <c>PAT003</c>.</param>
/// <param name="Offset">1-based character offset in the pattern.</param>
/// <param name="Message">What was wrong.</param>
public sealed record PatternProblem(string Code, int Offset, string Message)
{
    /// <summary>Valid, but likely not what was meant (reported as a warning, the object is accepted).</summary>
    public bool Warning { get; init; }
}

/// <summary>
/// Checks that validation delegates to other assemblies. Perisai.Stix knows the object model only; the STIX patterning
/// language lives in Perisai.Patterning, which depends on this assembly, so it is plugged in here rather than called.
/// </summary>
public sealed class StixValidationOptions
{
    /// <summary>No pluggable checks: indicator patterns are not looked into.</summary>
    public static readonly StixValidationOptions None = new();

    /// <summary>
    /// Every problem of a STIX pattern (§9), empty when it is valid; applied to the <c>pattern</c> of each indicator whose
    /// <c>pattern_type</c> is <c>stix</c>. Null (the default): not checked.
    /// </summary>
    public Func<string, IReadOnlyList<PatternProblem>>? StixPatternCheck { get; init; }
}
