namespace Perisai.Server.Feeds;

/// <summary>Messages of imports and scheduled feeds (house style: one messages file per surface).</summary>
internal static class FeedMessages
{
    public const string NoHttpClient = "a URL source needs an HTTP client";
    public const string NoMispEvent = "no MISP event in the document: expected {\"Event\": …}, a list of events, or a restSearch response";

    public static string Exists(string name) => $"a feed named '{name}' exists already.";

    public static string NoFeed(string name) => $"no feed '{name}'; see 'perisai feed list'.";

    public static string NoFeedToRemove(string name) => $"no feed '{name}'.";

    public static string UnknownPreset(string name, IEnumerable<string> known) => $"no CSV preset '{name}'; known presets: {string.Join(", ", known)}";
}
