namespace Perisai.Server.Taxii;

/// <summary>Every title and description the TAXII surface sends in an error resource, in one place.</summary>
internal static class TaxiiMessages
{
    public const string Unauthenticated = "Authentication required";
    public const string UnauthenticatedDetail = "Send 'Authorization: Bearer <API key>' or HTTP Basic with your account name and API key.";
    public const string BadCredentials = "The credentials are not valid, or the key was revoked.";
    public const string Forbidden = "Forbidden";
    public const string NoRead = "Your organization may not read this collection.";
    public const string NoWrite = "Your organization may not write to this collection.";
    public const string RoleNoWrite = "Your account's role may read but not write intelligence.";
    public const string NotYours = "You may delete only your organization's versions of an object, unless you lead the organization that owns the collection.";
    public const string Conflict = "Conflict";
    public const string AdminOnly = "Only a node administrator may do this.";
    public const string LeadOrAdminOnly = "Only a lead or an administrator may change communities.";
    public static string BadField(string name, string expected) => $"'{name}' must be {expected}.";
    public const string NotFound = "Not found";
    public const string NoApiRoot = "There is no API root at this address.";
    public const string NoCollection = "There is no such collection, or you may not see it.";
    public const string NoObject = "No object with this id matches the request in this collection.";
    public const string NoStatus = "There is no status resource with this id for you.";
    public const string NoResource = "There is no TAXII resource at this address.";
    public const string NotAcceptable = "Not acceptable";
    public const string NotAcceptableDetail = "This server answers with application/taxii+json;version=2.1 (and application/stix+json;version=2.1 for objects); send an Accept header that allows it.";
    public const string UnsupportedMediaType = "Unsupported media type";
    public const string UnsupportedMediaTypeDetail = "POST a TAXII envelope with Content-Type: application/taxii+json;version=2.1.";
    public const string TooLarge = "Request too large";
    public const string BadRequest = "Bad request";
    public const string Unprocessable = "Unprocessable envelope";
    public const string Internal = "Internal server error";
    public const string InternalDetail = "The server failed to complete the request. It has been logged; no detail is sent to clients.";

    public static string TooLargeDetail(long max) => $"The body exceeds this API root's max_content_length of {max} bytes.";
    public static string Repeated(string name) => $"The query parameter '{name}' may appear only once (TAXII 2.1 §3.4).";
    public static string BadTimestamp(string name, string value) => $"'{value}' in {name} is not a timestamp (YYYY-MM-DDTHH:mm:ss[.s+]Z).";
    public static string BadLimit(string value) => $"limit must be a positive integer, not '{value}'.";
    public static string BadNext(string value) => $"'{value}' is not a 'next' value this server issued.";
    public static string VersionDuplicate(string value) => $"match[version] names '{value}' more than once (TAXII 2.1 §3.4.1).";
    public const string VersionAllAlone = "match[version]=all cannot be combined with other versions (TAXII 2.1 §3.4.1).";
    public static string EmptyMatch(string name) => $"{name} has an empty value.";
    public static string NotJson(string detail) => $"The body is not a TAXII envelope: {detail}";
}
