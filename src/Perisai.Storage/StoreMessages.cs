namespace Perisai.Storage;

/// <summary>The text of what the store reports to people (a refused object's message).</summary>
internal static class StoreMessages
{
    public static string Conflict(string keptProducer) =>
        $"{LinkReasons.ConflictPrefix} this id and modified are already stored with other content (produced by {keptProducer}); the first is kept and this one recorded.";
}
