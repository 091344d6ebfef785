namespace Perisai.Patterning;

/// <summary>One thing wrong with a pattern.</summary>
/// <param name="Code">A stable code from <see cref="PatternErrorCode"/>, for scripts and tests.</param>
/// <param name="Offset">1-based offset of the first character at fault, in UTF-16 code units (as .NET and JavaScript count).</param>
/// <param name="Message">What was wrong, or what was expected, in words a person can act on.</param>
public sealed record PatternError(string Code, int Offset, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Code} at {Offset}: {Message}";
}

/// <summary>A pattern that does not parse or does not make sense; carries every error found, the first one first.</summary>
public sealed class PatternException : FormatException
{
    /// <summary>Creates the exception for a non-empty list of errors.</summary>
    public PatternException(IReadOnlyList<PatternError> errors)
        : base(errors is { Count: > 0 } ? errors[0].ToString() : "invalid pattern")
    {
        Errors = errors ?? [];
    }

    /// <summary>Creates the exception with a message only.</summary>
    public PatternException() : this([]) { }

    /// <summary>Creates the exception with a message only.</summary>
    public PatternException(string message) : base(message) => Errors = [];

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public PatternException(string message, Exception innerException) : base(message, innerException) => Errors = [];

    /// <summary>Every error found.</summary>
    public IReadOnlyList<PatternError> Errors { get; }

    /// <summary>The first error's code.</summary>
    public string? Code => Errors.Count > 0 ? Errors[0].Code : null;

    /// <summary>The first error's 1-based offset.</summary>
    public int Offset => Errors.Count > 0 ? Errors[0].Offset : 0;
}
