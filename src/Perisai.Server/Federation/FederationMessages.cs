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

    public static string PeerGone(string name) => $"peer '{name}' is no longer known to this node";

    public static string NotLinked(string collection) => $"collection '{collection}' is not linked to this peer";

    public static string BadPage(string why) => $"the peer sent a page that is not a TAXII envelope: {why}";

    public const string NotAToken = "this is not a Perisai peer invitation (it starts with 'perisai-peer1.'; copy the whole line perisai peer invite printed)";

    public const string NoIdentity = "this node does not know its own home organization and public address yet: give --home ORG and --url URL once";

    public const string NoCollections = "an invitation links at least one collection: give --collection";

    public const string NoLinks = "a peer needs at least one link: give --pull REMOTE=LOCAL or --push LOCAL=REMOTE";

    public const string InviteSpent = "this invitation is unknown, already used or expired; ask for a new one (perisai peer invite)";

    public const string BadPeerName = "a peer's name is 1 to 100 characters";

    public static string AccountNotSync(string account) => $"account '{account}' exists and is not a sync account; remove it or choose another peer name";

    public static string InviteForOther(string invitee, string home) => $"this invitation is for {invitee}, and this node's home organization is {home}";

    public static string NoCollectionInCommon(string offered) => $"none of the collections offered ({offered}) exists here by id or alias; create one, then join again";

    public static string OrganizationIdDiffers(string name, string here, string there) =>
        $"organization '{name}' is {here} here and {there} at the peer; one CERT must have one id on every node (rename or remove one, then join again)";

    public static string NoPeer(string peer) => $"no peer '{peer}'";

    public static string PeerExists(string peer) => $"a peer named '{peer}' exists already";

    public static string BadInterval(long seconds) => $"{seconds} is not an interval in seconds (0 or more; 0 runs continuously)";
}
