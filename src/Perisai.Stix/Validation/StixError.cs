namespace Perisai.Stix.Validation;

/// <summary>How serious a finding is: errors make an object invalid, warnings do not.</summary>
public enum Severity
{
    /// <summary>The object breaks a MUST of the specification and is rejected.</summary>
    Error,

    /// <summary>The object is accepted but departs from a SHOULD or an open vocabulary.</summary>
    Warning,
}

/// <summary>One finding about a STIX document: a stable code, where it is (JSON path) and what to do about it.</summary>
/// <param name="Code">Stable machine-readable code, e.g. <c>required-property</c>.</param>
/// <param name="Path">JSON path of the offending value, e.g. <c>$.objects[2].created</c>.</param>
/// <param name="Message">A sentence a person can act on.</param>
/// <param name="Severity">Error or warning.</param>
public sealed record StixError(string Code, string Path, string Message, Severity Severity = Severity.Error)
{
    /// <inheritdoc />
    public override string ToString() => $"{(Severity == Severity.Error ? "error" : "warning")} {Code} at {Path}: {Message}";
}
