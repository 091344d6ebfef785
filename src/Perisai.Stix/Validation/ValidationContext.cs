using System.Text.Json;

namespace Perisai.Stix.Validation;

/// <summary>The object under validation, its path, and the findings so far. Conditional rules use its helpers.</summary>
internal sealed class ValidationContext(JsonElement obj, string path, List<StixError> errors)
{
    public JsonElement Object { get; } = obj;

    public string Path { get; } = path;

    public List<StixError> Errors { get; } = errors;

    public bool Has(string property) => Object.TryGetProperty(property, out _);

    public string At(string property) => property == "$" ? Path : $"{Path}.{property}";

    public void Add(string code, string property, string message, Severity severity = Severity.Error) =>
        Errors.Add(new StixError(code, At(property), message, severity));

    public void OneOf(params string[] properties)
    {
        if (!properties.Any(Has))
        {
            Add(ErrorCodes.MissingOneOf, "$", ErrorCodes.OneOf(properties));
        }
    }

    public void ExactlyOne(string a, string b)
    {
        OneOf(a, b);
        Exclusive(a, b);
    }

    public void Exclusive(string a, string b)
    {
        if (Has(a) && Has(b))
        {
            Add(ErrorCodes.MutuallyExclusive, b, ErrorCodes.Exclusive(a, b));
        }
    }

    public void Requires(string property, string required)
    {
        if (Has(property) && !Has(required))
        {
            Add(ErrorCodes.DependentProperty, property, ErrorCodes.Dependent(property, required));
        }
    }

    /// <summary>Rules of the form "last_seen MUST be greater than or equal to first_seen".</summary>
    public void TimeNotBefore(string later, string earlier) => CompareTimes(later, earlier, strict: false);

    /// <summary>Rules of the form "valid_until MUST be greater than valid_from".</summary>
    public void TimeAfter(string later, string earlier) => CompareTimes(later, earlier, strict: true);

    /// <summary>SCOs whose properties are all optional must still carry at least one (§6.13, §6.16–§6.18).</summary>
    public void AnyBeyondCommon()
    {
        foreach (var p in Object.EnumerateObject())
        {
            if (!StixValidator.CommonPropertyNames.Contains(p.Name))
            {
                return;
            }
        }
        Add(ErrorCodes.MissingOneOf, "$", "The object must have at least one property besides the common properties.");
    }

    /// <summary>The value of a string property, or null.</summary>
    public string? String(string property) => Object.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>§6.15 (url), §6.1 (artifact url): the value is a URL by RFC 3986.</summary>
    public void Url(string property)
    {
        if (String(property) is { } value && !UrlSyntax.IsUrl(value))
        {
            Add(ErrorCodes.InvalidUrl, property, ErrorCodes.Url(value));
        }
    }

    /// <summary>§6.1, §6.7: a media type of the form type/subtype (the IANA registry's top-level types).</summary>
    public void MimeType(string property)
    {
        if (String(property) is { } value && !MediaTypeForm.IsMatch(value))
        {
            Add(ErrorCodes.InvalidMimeType, property, ErrorCodes.MimeType(value));
        }
    }

    // RFC 6838 §4.2: the registry's top-level types, then a restricted-name subtype.
    private static readonly System.Text.RegularExpressions.Regex MediaTypeForm = new(
        "^(application|audio|font|haptics|image|message|model|multipart|text|video|example)/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private void CompareTimes(string later, string earlier, bool strict)
    {
        if (TryTime(later, out var l) && TryTime(earlier, out var e) && (strict ? l <= e : l < e))
        {
            Add(ErrorCodes.TimeOrder, later, strict ? $"'{later}' must be later than '{earlier}'." : ErrorCodes.Order(later, earlier));
        }
    }

    private bool TryTime(string property, out StixTimestamp ts)
    {
        ts = default;
        if (Object.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String
            && StixTimestamp.TryParse(v.GetString(), out var parsed))
        {
            ts = parsed.Value;
            return true;
        }
        return false;
    }
}
