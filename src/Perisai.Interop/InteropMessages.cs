namespace Perisai.Interop;

/// <summary>Every message the conversions show a person, in one place (house style: one messages file per surface).</summary>
internal static class InteropMessages
{
    public const string NotAnEvent = "not a MISP event: expected a JSON object, with or without an \"Event\" wrapper";
    public const string EventWithoutUuid = "the MISP event has no valid uuid";
    public const string EventWithoutTime = "the MISP event has neither a timestamp nor a date";

    public static string NoManifest(string where) => $"no manifest.json at {where}: not a MISP feed";

    public static string BadManifest(string detail) => $"manifest.json is not a MISP feed manifest: {detail}";

    public static string FeedEvent(string uuid, string detail) => $"event {uuid}: {detail}";

    public static string UnknownPreset(string name, IEnumerable<string> known) => $"no CSV preset '{name}'; known: {string.Join(", ", known)}";

    public static string NoValueColumn(string header) => $"no value column: none of the columns ({header}) is named or mapped as an indicator value; use --column NAME=KIND";

    public static string CsvLine(long line, string detail) => $"line {line}: {detail}";

    public static string UnrecognizedValue(string value) => $"'{value}' is not an address, domain, URL, e-mail address or hash";
}
