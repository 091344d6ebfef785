namespace Perisai.Server.Federation;

/// <summary>Messages of the node's TAXII client (house style: one messages file per surface).</summary>
internal static class FederationMessages
{
    public const string NoStatusId = "the server accepted the objects but its answer names no status resource (TAXII 2.1 §4.3)";

    public static string NotAUrl(string url) => $"'{url}' is not an http:// or https:// address of a TAXII server or API root";

    public static string Unreachable(Uri uri, string why) => $"{uri} could not be reached: {why}";

    public static string TimedOut(Uri uri) => $"{uri} did not answer in time, even after retries";

    public static string TooLarge(Uri uri, long max) => $"{uri} answered with more than {max} bytes, the most this client reads";

    public static string Refused(Uri uri, int status, string title) => $"{status} {title} ({uri})".Replace("  ", " ", StringComparison.Ordinal);
}
