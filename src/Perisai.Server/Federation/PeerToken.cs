using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Perisai.Server.Federation;

/// <summary>An organization as one node describes it to another: the same STIX identity id on every node.</summary>
public sealed record DirectoryEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("country")] string? Country,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("parent")] string? Parent);

/// <summary>A collection an invitation offers to link.</summary>
public sealed record OfferedChannel(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("alias")] string? Alias,
    [property: JsonPropertyName("title")] string Title);

/// <summary>
/// What <c>perisai peer invite</c> prints, once: where the inviting node is, a fresh sync key for it, its certificate's
/// fingerprint, who it is and speaks for, who the invitee may speak for, and which collections it links.
/// </summary>
public sealed record PeerToken(
    [property: JsonPropertyName("v")] int Version,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("invite")] string Invite,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("fingerprint")] string? Fingerprint,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("serves")] IReadOnlyList<DirectoryEntry> Serves,
    [property: JsonPropertyName("you")] IReadOnlyList<DirectoryEntry> You,
    [property: JsonPropertyName("collections")] IReadOnlyList<OfferedChannel> Collections)
{
    private const string Prefix = "perisai-peer1.";

    /// <summary>The token as one line to copy.</summary>
    public string Encode() => Prefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this)));

    /// <summary>Reads a token, or says why it is not one.</summary>
    public static bool TryDecode(string text, out PeerToken? token, out string? error)
    {
        token = null;
        error = null;
        string t = (text ?? "").Trim();
        if (!t.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = FederationMessages.NotAToken;
            return false;
        }
        try
        {
            token = JsonSerializer.Deserialize<PeerToken>(Base64Url.DecodeFromChars(t.AsSpan(Prefix.Length)));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            error = FederationMessages.NotAToken;
            return false;
        }
        if (token is null || token.Version != 1 || string.IsNullOrEmpty(token.Url) || string.IsNullOrEmpty(token.Key) || token.Serves is not { Count: > 0 } || token.You is not { Count: > 0 })
        {
            (token, error) = (null, FederationMessages.NotAToken);
            return false;
        }
        return true;
    }
}

/// <summary>What the joining node sends the inviting one (<c>POST /api/v1/peers/join</c>, with the token's key).</summary>
public sealed record JoinRequest(
    [property: JsonPropertyName("invite")] string Invite,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("fingerprint")] string? Fingerprint,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("collections")] IReadOnlyList<CollectionPair> Collections);

/// <summary>A collection of the inviting node and the joining node's collection it is linked with.</summary>
public sealed record CollectionPair(
    [property: JsonPropertyName("inviter")] string Inviter,
    [property: JsonPropertyName("joiner")] string Joiner);
