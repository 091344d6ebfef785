namespace Perisai.Stix.Validation;

/// <summary>
/// Every code and message text that STIX parsing and validation produce, in one place so that tests can
/// assert them exactly and a translator can find them.
/// </summary>
public static class ErrorCodes
{
#pragma warning disable CS1591 // The names are the documentation: each is the code it holds.
    public const string MalformedJson = "malformed-json";
    public const string TooDeep = "too-deep";
    public const string NotAnObject = "not-an-object";
    public const string WrongTopLevel = "wrong-top-level";
    public const string RequiredProperty = "required-property";
    public const string WrongJsonType = "wrong-json-type";
    public const string InvalidType = "invalid-type";
    public const string UnknownType = "unknown-type";
    public const string InvalidIdentifier = "invalid-identifier";
    public const string IdTypeMismatch = "id-type-mismatch";
    public const string InvalidTimestamp = "invalid-timestamp";
    public const string TimestampPrecision = "timestamp-precision";
    public const string ModifiedBeforeCreated = "modified-before-created";
    public const string TimeOrder = "time-order";
    public const string InvalidSpecVersion = "invalid-spec-version";
    public const string ReferenceType = "reference-type";
    public const string EnumValue = "enum-value";
    public const string VocabularyValue = "vocabulary-value";
    public const string OutOfRange = "out-of-range";
    public const string NotApplicable = "not-applicable";
    public const string MissingOneOf = "missing-one-of";
    public const string InvalidPattern = "invalid-pattern";
    public const string MutuallyExclusive = "mutually-exclusive";
    public const string DependentProperty = "dependent-property";
    public const string InvalidHash = "invalid-hash";
    public const string InvalidPropertyName = "invalid-property-name";
    public const string EmptyList = "empty-list";
    public const string ScoIdMismatch = "sco-id-mismatch";
    public const string InvalidEncoding = "invalid-encoding";
    public const string DuplicateProperty = "duplicate-property";
    public const string NonStandardTlp = "non-standard-tlp";
    public const string InvalidUrl = "invalid-url";
    public const string InvalidRegistryKey = "invalid-registry-key";
    public const string InvalidExternalId = "invalid-external-id";
    public const string InvalidSelector = "invalid-selector";
    public const string CircularMarking = "circular-marking";
    public const string InvalidLanguage = "invalid-language";
    public const string InvalidMimeType = "invalid-mime-type";
#pragma warning restore CS1591

    internal static string Pattern(string code, int offset, string message) => $"{code} at character {offset}: {message}";
    internal static string Required(string property) => $"The required property '{property}' is missing.";
    internal static string JsonType(string expected, string actual) => $"Expected {expected}, found {actual}.";
    internal static string Identifier(string value) => $"'{value}' is not a STIX identifier of the form type--UUID (RFC 4122, lowercase).";
    internal static string IdType(string id, string type) => $"The identifier '{id}' does not start with the object's type '{type}--'.";
    internal static string Timestamp(string value) => $"'{value}' is not a STIX timestamp; use YYYY-MM-DDTHH:mm:ss[.s+]Z in UTC.";
    internal static string Millis(string property) => $"'{property}' must be precise to at least milliseconds (three digits after the decimal point).";
    internal static string ModifiedCreated => "'modified' must be later than or equal to 'created'.";
    internal static string Order(string later, string earlier) => $"'{later}' must not be earlier than '{earlier}'.";
    internal static string SpecVersion(string value) => $"spec_version '{value}' is not supported; this node stores STIX 2.1.";
    internal static string RefType(string value, IEnumerable<string> allowed) => $"'{value}' may only refer to objects of type {string.Join(", ", allowed)}.";
    internal static string Enum(string value, string vocabulary) => $"'{value}' is not a value of the closed enumeration {vocabulary}.";
    internal static string Vocabulary(string value, string vocabulary) => $"'{value}' is not in the open vocabulary {vocabulary}; it is accepted but peers may not understand it.";
    internal static string Range(long min, long max) => $"The value must be between {min} and {max}.";
    internal static string NotApplicableTo(string property, string kind) => $"'{property}' does not apply to {kind}.";
    internal static string OneOf(IEnumerable<string> properties) => $"At least one of {string.Join(", ", properties)} must be present.";
    internal static string Exclusive(string a, string b) => $"'{a}' and '{b}' must not both be present.";
    internal static string Dependent(string property, string requires) => $"'{property}' requires '{requires}' to be present.";
    internal static string Hash(string algorithm) => $"The value is not a valid {algorithm} hash.";
    internal static string PropertyName(string name) => $"'{name}' is not a valid property name: 3–250 lowercase ASCII letters, digits or underscores, starting with a letter.";
    internal static string TypeName(string name) => $"'{name}' is not a valid type name: 3–250 lowercase ASCII letters, digits or single hyphens, starting with a letter.";
    internal static string Unknown(string type) => $"'{type}' is not a STIX 2.1 type; it is kept as a custom object.";
    internal static string ListEmpty => "The list must not be empty.";
    internal static string ScoId(string expected) => $"The identifier is a UUIDv5 but not the one its ID contributing properties give ({expected}).";
    internal static string Base64 => "The value is not valid base64.";
    internal static string Hex => "The value is not valid hexadecimal.";
    internal static string Malformed(string detail) => $"The document is not valid JSON: {detail}";
    internal static string Depth(int max) => $"The document nests deeper than {max} levels.";
    internal static string TopLevel(string expected) => $"The top-level value must be {expected}.";
    internal static string TlpMarking(string level) => $"A TLP marking ('{level}') must be one of the predefined marking definitions with its own id and level; define no other.";
    internal static string Url(string value) => $"'{value}' is not a URL (RFC 3986 §3: a scheme such as http: or https:, and no spaces).";
    internal static string RegistryKey(string value) => $"'{value}' does not start with a registry hive in full (HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, ...; not HKLM or HKCU).";
    internal static string ExternalId(string source, string expected) => $"An external reference from '{source}' must have an external_id of the form {expected}.";
    internal static string Selector(string selector, string why) => $"The selector '{selector}' does not resolve to a part of this object: {why}.";
    internal static string Circular(string property) => $"A marking definition must not mark itself ({property}).";
    internal static string Language(string value, string standard) => $"'{value}' is not a {standard} language code.";
    internal static string MimeType(string value) => $"'{value}' is not a media type of the form type/subtype from the IANA registry (e.g. application/zip).";
    internal static string Duplicate(string name) => $"The property '{name}' appears more than once.";
}
