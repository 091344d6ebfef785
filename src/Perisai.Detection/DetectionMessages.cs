namespace Perisai.Detection;

/// <summary>Every text the detection library shows a person, in one place.</summary>
internal static class DetectionMessages
{
    public const string NotJson = "not valid JSON";
    public const string IndicatorIncomplete = "an indicator without an id or a pattern";
    public static string OtherLanguage(string language) => $"pattern_type '{language}' is not STIX; the scanner reads STIX patterns only";
    public const string NoMispAttributes = "a MISP event with no attribute of a type the scanner looks for";
    public static string Unrecognized(string line) => $"'{line}' is not an address, domain, URL, e-mail address or hash";
    public static string Malformed(string format, string why) => $"not a {format} line: {why}";
    public static string Truncated(long offset) => $"the gzip stream ends early, after {offset:N0} compressed bytes";
    public static string Unreadable(string why) => $"cannot be read: {why}";
    public const string NoHeader = "a CSV file needs a header line naming its columns";
    public const string ZeekNoFields = "no #fields line before the first record";
    public const string JsonNotObject = "a JSON line must be an object";
}
