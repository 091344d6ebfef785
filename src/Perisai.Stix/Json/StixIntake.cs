using System.Text.Json;
using Perisai.Stix.Identifiers;
using Perisai.Stix.Validation;

namespace Perisai.Stix.Json;

/// <summary>An object that did not pass validation, with every error found in it.</summary>
public sealed record IntakeFailure(int Index, string Id, string Version, IReadOnlyList<StixError> Errors)
{
    /// <summary>The errors as one line for a status message: the first five, then a count of the rest.</summary>
    public string Summary() =>
        string.Join(" ", Errors.Take(5).Select(x => $"{x.Code} at {x.Path}: {x.Message}")) + (Errors.Count > 5 ? $" (+{Errors.Count - 5} more)" : "");
}

/// <summary>What an incoming document yields: the valid objects and the failures, in document order.</summary>
public sealed record IntakeResult(int Total, IReadOnlyList<StixObject> Valid, IReadOnlyList<IntakeFailure> Failures, IReadOnlyList<StixError> Warnings);

/// <summary>
/// The one intake path of a node (TAXII POST and <c>perisai import</c> alike): fill in SCO ids (§2.9), validate every
/// object, keep the valid ones.
/// </summary>
public static class StixIntake
{
    /// <summary>
    /// Checks every object of a parsed document. <paramref name="newUuid"/> supplies UUIDv4s where §2.9 needs them;
    /// <paramref name="options"/> adds the checks this assembly cannot make itself (indicator patterns).
    /// </summary>
    public static IntakeResult Check(ParsedDocument document, Func<Guid> newUuid, StixValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(document);
        var valid = new List<StixObject>(document.Objects.Count);
        var failures = new List<IntakeFailure>();
        var warnings = new List<StixError>();
        for (int i = 0; i < document.Objects.Count; i++)
        {
            var obj = StixNormalizer.FillScoId(document.Objects[i], newUuid);
            var findings = StixValidator.Validate(obj, document.PathOf(i), options);
            var errors = findings.Where(x => x.Severity == Severity.Error).ToList();
            warnings.AddRange(findings.Where(x => x.Severity == Severity.Warning));
            if (errors.Count > 0)
            {
                failures.Add(new IntakeFailure(i, Str(obj, "id") ?? $"(objects[{i}] without id)", Str(obj, "modified") ?? Str(obj, "created") ?? "", errors));
                continue;
            }
            valid.Add(StixObject.FromJson(obj));
        }
        return new IntakeResult(document.Objects.Count, valid, failures, warnings);
    }

    private static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
