namespace Perisai.Patterning.Matching;

/// <summary>Every user-facing text of the matcher, in one place so that tests and translations find them.</summary>
internal static class MatchMessages
{
    public const string NotAnObject = "not a JSON object";
    public const string NotObservedData = "not an observed-data object: its \"type\" must be \"observed-data\"";
    public const string LastBeforeFirst = "last_observed is earlier than first_observed";
    public const string BadNumberObserved = "number_observed must be an integer from 1 to 999,999,999";
    public const string ObjectsNotDictionary = "\"objects\" must be a dictionary of cyber-observable objects";
    public const string NoObjects = "neither \"objects\" nor \"object_refs\": there is nothing to match";
    public const string WrongDocument = "expected an observed-data object, a JSON array of them, or a STIX bundle";
    public const string NoObservedData = "the document holds no observed-data object";

    public static string BadTimestamp(string property) => $"{property} must be a STIX timestamp such as 2026-11-29T10:00:00Z";
}
